"""Grow one project (the demo, about 1,100 rows) to about 99,000 rows, as a project that has run
for years does: tasks, answered gap assessments, document versions, findings with their corrective
actions (nearly all closed), and its activity log. Used by `bench/pages.py --in-process --grow` to
check that page time stays flat as a project grows (issue 20 §3). Django must be set up; the caller
rolls it back."""

from datetime import timedelta
from itertools import cycle

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

# Rows added per kind, in the proportions of the 100× world (bench/dataset.py).
SHARE = {
    "tasks": 0.30,
    "answers": 0.10,
    "versions": 0.10,
    "findings": 0.10,
    "actions": 0.03,
    "activity": 0.37,
}


def grow(project, *, target=99_000):
    with transaction.atomic():  # all or nothing: a half-grown database is not measured
        _grow(project, target)


def _grow(project, target):
    from pages import project_rows as rows_of

    people = [m.user for m in project.memberships.select_related("user").order_by("pk")]
    have = rows_of(project)
    add = max(target - have, 0)
    _tasks(project, people, int(add * SHARE["tasks"]))
    _answers(project, people, int(add * SHARE["answers"]))
    _versions(project, people, int(add * SHARE["versions"]))
    _findings(project, people, int(add * SHARE["findings"]), int(add * SHARE["actions"]))
    _activity(project, people, target - rows_of(project))
    project.refresh_from_db()


def _tasks(project, people, count):
    from projects.models import Task, TaskStatus

    today = timezone.localdate()
    phases = list(project.phases.order_by("order"))
    Task.objects.bulk_create(
        [
            Task(
                project=project,
                phase=phases[index % len(phases)],
                title=f"Grown task {index + 1}",
                assignee=people[index % len(people)],
                due_date=today + timedelta(days=(index % 400) - 380),
                # A project that has run for years: most of its work is done.
                status=TaskStatus.DONE if index % 20 else TaskStatus.OPEN,
            )
            for index in range(count)
        ],
        batch_size=2000,
    )


def _answers(project, people, count):
    from gapanalysis import services as gap_services
    from gapanalysis.models import Assessment, Response, Result

    template = Assessment.objects.filter(project=project).order_by("id").first().template
    results = cycle((Result.CONFORMANT, Result.CONFORMANT, Result.CONFORMANT, Result.PARTIAL))
    made = 0
    number = 0
    while made < count:
        number += 1
        assessment = gap_services.assessment_create(
            project=project, template=template, title=f"Grown assessment {number}", user=people[0]
        )
        responses = list(Response.objects.filter(assessment=assessment))
        for response in responses:
            response.result = next(results)
            response.notes = "Grown answer."
        Response.objects.bulk_update(responses, ["result", "notes"], batch_size=1000)
        made += len(responses)


def _versions(project, people, count):
    """Old superseded versions under 200 extra documents (the register grows, its approved state
    does not change)."""
    from documents.models import Document, DocumentType, DocumentVersion, VersionStatus

    documents = Document.objects.bulk_create(
        [
            Document(
                project=project,
                code=f"GROWN-{index:03d}",
                title=f"Grown procedure {index}",
                doc_type=DocumentType.PROCEDURE,
                owner=people[index % len(people)],
            )
            for index in range(200)
        ]
    )
    now = timezone.now()
    per = max(count // len(documents), 1)
    DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                number=number,
                link=f"https://intranet.example.test/{document.code}/{number}",
                change_summary=f"Grown version {number}",
                author=people[number % len(people)],
                status=VersionStatus.SUPERSEDED,
                submitted_at=now,
            )
            for document in documents
            for number in range(1, per + 1)
        ],
        batch_size=2000,
    )


def _findings(project, people, count, actions):
    """Findings of past audits, closed or noted; `actions` closed corrective actions."""
    from audits.models import ActionStatus, Audit, CorrectiveAction, Finding, FindingStatus, Grade

    audits = list(Audit.objects.filter(project=project).order_by("pk"))
    first = (Finding.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    grades = (Grade.OBSERVATION, Grade.OFI, Grade.MINOR_NC, Grade.OBSERVATION)
    rows = Finding.objects.bulk_create(
        [
            Finding(
                project=project,
                audit=audits[index % len(audits)],
                number=first + index,
                grade=grades[index % 4],
                clause="8.1",
                description=f"Grown finding {index + 1}.",
                status=FindingStatus.CLOSED if grades[index % 4] == Grade.MINOR_NC else FindingStatus.NOTED,
                raised_by=people[1 % len(people)],
            )
            for index in range(count)
        ],
        batch_size=2000,
    )
    minors = [finding for finding in rows if finding.grade == Grade.MINOR_NC][:actions]
    CorrectiveAction.objects.bulk_create(
        [
            CorrectiveAction(
                project=project,
                finding=finding,
                description="Grown corrective action",
                status=ActionStatus.EFFECTIVE,
                due_date=finding.created_at.date() if finding.created_at else timezone.localdate(),
                owner=people[0],
                created_by=people[0],
            )
            for finding in minors
        ],
        batch_size=2000,
    )


def _activity(project, people, count):
    from projects.models import Activity

    now = timezone.now()
    Activity.objects.bulk_create(
        [
            Activity(
                project=project,
                actor=people[index % len(people)],
                verb="edited",
                summary=f"Grown event {index}",
                created_at=now - timedelta(minutes=index),
            )
            for index in range(max(count, 0))
        ],
        batch_size=2000,
    )
