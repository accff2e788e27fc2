"""What the registers contribute to the rest of the product (sms_tracker/core/extensions.py)."""

from sms_tracker.core.extensions import Contributions

CONTRIBUTIONS = Contributions()


from .feed_integration import with_feeds  # noqa: E402  (API, evidence, snapshots, review, PDF, readiness)

CONTRIBUTIONS = with_feeds(CONTRIBUTIONS)
