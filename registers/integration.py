"""What the registers contribute to the rest of the product (sms_tracker/core/extensions.py)."""

from sms_tracker.core.extensions import Contributions

CONTRIBUTIONS = Contributions()
