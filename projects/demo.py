"""The demo project's discussion on tasks: a few comments (one @mentions a member) and a file."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .attachments import attachment_add
from .models import Task, TaskComment

# (task title, author, days ago, text)
DEMO_COMMENTS = (
    (
        "Write the service continuity plan",
        "contributor",
        6,
        "First draft is in the attachments. The recovery times for the hosting platform still come "
        "from the 2023 test; @lead can we get the figures from this spring's failover exercise?",
    ),
    (
        "Write the service continuity plan",
        "lead",
        5,
        "Asked the hosting team, they will send the exercise report this week. Keep the draft moving.",
    ),
    (
        "Agree SLAs with the two largest customers",
        "lead",
        3,
        "Customer A signed. Customer B wants a 4-hour response on priority 2; @contributor please check "
        "whether the service desk rota supports that before we answer.",
    ),
)

CONTINUITY_DRAFT = b"""# Service continuity plan (draft 0.3)

## Scope
Managed hosting and workplace services run from the Leeds and Tampere service centres.

## Recovery objectives
| Service | RTO | RPO |
| --- | --- | --- |
| Hosting platform | 4 h | 15 min |
| Service desk | 2 h | n/a |

## Open points
- Confirm the recovery times with the results of the spring failover exercise.
"""


def seed_task_discussion(project, users) -> None:
    tasks = {task.title: task for task in Task.objects.filter(project=project)}
    now = timezone.now()
    for title, author, days_ago, text in DEMO_COMMENTS:
        task = tasks.get(title)
        if task is None:
            continue
        # Straight into the table: the demo's members are not e-mailed about a mention made "days ago".
        comment = TaskComment.objects.create(task=task, author=users[author], body=text)
        TaskComment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(days=days_ago, hours=2))
    task = tasks.get("Write the service continuity plan")
    if task is not None:
        attachment_add(
            task=task,
            user=users["contributor"],
            upload=SimpleUploadedFile(
                "continuity-plan-draft.md", CONTINUITY_DRAFT, content_type="text/markdown"
            ),
        )
