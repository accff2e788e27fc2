"""What the readiness app contributes through the extension registry (kernel.extensions):
after each progress refresh, announce a readiness change to the webhooks that listen for it.
(Its rules are not contributions: they are readiness/rules/. Other apps contribute rules here.)"""

from django.utils.translation import gettext_lazy as _

from kernel.extensions import Contributions, WebhookEventSpec

from .gate import blockers_for
from .watch import readiness_watch

CONTRIBUTIONS = Contributions(
    after_progress_refresh=(readiness_watch,),
    readiness_counts=(lambda project, stage: len(blockers_for(project, stage)),),
    webhook_events=(WebhookEventSpec("readiness.changed", _("Stage 1 or Stage 2 readiness changed")),),
)
