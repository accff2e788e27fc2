"""What the readiness app contributes through the extension registry (sms_tracker.core.extensions):
after each progress refresh, announce a readiness change to the webhooks that listen for it.
(Its rules are not contributions: they are readiness/rules/. Other apps contribute rules here.)"""

from sms_tracker.core.extensions import Contributions

from .watch import readiness_watch

CONTRIBUTIONS = Contributions(after_progress_refresh=(readiness_watch,))
