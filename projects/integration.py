"""What `projects` contributes through the extension registry (kernel.extensions): the
roadmap condition of the Stage 1 readiness gate, the storage its task attachments take and the
first steps of the new-project checklist. Registered in ProjectsConfig.ready()."""

from django.urls import reverse

from kernel.extensions import Contributions, EmailKind, ReadinessGroup, WebhookEventSpec

from .attachments import task_attachment_bytes
from .readiness import CATEGORY_ROADMAP, roadmap_phases_not_done
from .responsibilities import PROJECT_RESPONSIBILITIES
from .setup_checklist import PROJECT_SETUP_STEPS

CONTRIBUTIONS = Contributions(
    email_kinds=(
        EmailKind("invitation", "Invitation to a project"),
        EmailKind("mention", "Mention in a task comment"),
    ),
    webhook_events=(
        WebhookEventSpec("task.done", "A task was marked done"),
        WebhookEventSpec("readiness.changed", "Stage 1 or Stage 2 readiness changed"),
    ),
    readiness_blockers=(roadmap_phases_not_done,),
    responsibilities=PROJECT_RESPONSIBILITIES,
    upload_usage=(task_attachment_bytes,),
    setup_steps=PROJECT_SETUP_STEPS,
    readiness_groups=(
        # Last: the phases close once the work the other groups ask for is done.
        ReadinessGroup(
            CATEGORY_ROADMAP,
            90,
            "roadmap phase not done",
            "roadmap phases not done",
            "Open the roadmap",
            lambda project: reverse("projects:roadmap", args=[project.pk]),
        ),
    ),
)
