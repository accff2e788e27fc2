"""What `projects` contributes through the extension registry (kernel.extensions): the
storage its task attachments take and the first steps of the new-project checklist (its roadmap
rule of the readiness gate is in readiness/rules/roadmap.py). Registered in ProjectsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from kernel.extensions import Contributions, EmailKind, ThrottleScopeSpec, WebhookEventSpec

from .attachments import task_attachment_bytes
from .invitations import SCOPE as INVITATION_SCOPE
from .responsibilities import PROJECT_RESPONSIBILITIES
from .setup_checklist import PROJECT_SETUP_STEPS

CONTRIBUTIONS = Contributions(
    email_kinds=(
        EmailKind("invitation", _("Invitation to a project")),
        EmailKind("mention", _("Mention in a task comment")),
    ),
    webhook_events=(WebhookEventSpec("task.done", _("A task was marked done")),),
    throttle_scopes=(ThrottleScopeSpec(INVITATION_SCOPE, _("Invitation sent")),),
    responsibilities=PROJECT_RESPONSIBILITIES,
    upload_usage=(task_attachment_bytes,),
    setup_steps=PROJECT_SETUP_STEPS,
)
