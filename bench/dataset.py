"""Generated data for the benchmarks: one large project, or the 100× world of many of them.

`make_large_project()` builds one project the size of a busy real one (report benchmark);
`make_world(projects=50)` builds the "100×" data set of issue 14 with bulk inserts — per project
300 tasks, 4 gap assessments with every answer given, 60 documents with 5 versions each, 4 audits
with 160 findings and their corrective actions, 400 activity lines — so 50 projects hold about
15k tasks, 39k answers, 15k document versions and 8k findings. Every project has the same lead
and the same members, so the lead's project list and My work span all of them.

Django must be set up before these functions are called.
"""

from datetime import timedelta
from itertools import cycle

from django.utils import timezone

LEAD = "bench-lead"
PEOPLE = 8


def bench_people():
    """The lead and the members shared by every generated project (created once)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    people = []
    for name in [LEAD] + [f"bench-{i}" for i in range(PEOPLE)]:
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create_user(name, f"{name}@example.test", "bench-pass-2018")
        people.append(user)
    return people


def make_project(name, people, *, tasks=300, gap_assessments=3, documents=60, versions=1,
                 audits=4, findings=100, activity=0):
    """One project with its roadmap under way and the given amount of work in every app."""
    from projects import services
    from projects.models import Membership, Role

    today = timezone.localdate()
    lead = people[0]
    project = services.project_create(
        user=lead,
        name=name,
        organisation="Bench Org",
        start_date=today - timedelta(days=300),
        target_certification_date=today + timedelta(days=120),
        certification_body="Bench Certification",
    )
    Membership.objects.bulk_create(
        [Membership(project=project, user=user, role=Role.CONTRIBUTOR) for user in people[1:]]
    )
    notes = [_phases_and_tasks(project, people, tasks)]
    notes.append(_assessments(project, people, gap_assessments))
    notes.append(_documents(project, people, documents, versions))
    notes.append(_findings(project, people, audits, findings))
    if activity:
        notes.append(_activity(project, people, activity))
    services.project_progress_refresh(project=project)
    return project, notes


def demo_project():
    """The demo project (seed_demo), made if the database has none."""
    import os

    from django.core.management import call_command

    from projects.models import Project

    demo = Project.objects.filter(name__startswith="Acme IT Services").first()
    if demo is None:
        call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))
        demo = Project.objects.get(name__startswith="Acme IT Services")
    return demo


def make_large_project():
    """The report benchmark's project: 300 tasks, 3 assessments, 60 documents, 100 findings."""
    return make_project("Large generated project", bench_people())


def make_world(*, projects=50, prefix="Bench", progress=None):
    """The 100× data set: `projects` projects of the size described in the module docstring."""
    people = bench_people()
    made = []
    for index in range(projects):
        project, _ = make_project(
            f"{prefix} {index:02d}", people, gap_assessments=4, versions=5, findings=160, activity=400
        )
        made.append(project)
        if progress:
            progress(index + 1, projects)
    return made


def _phases_and_tasks(project, people, count):
    from projects.models import Phase, PhaseStatus, Task, TaskStatus

    today = timezone.localdate()
    phases = list(project.phases.order_by("order"))
    for phase in phases[:6]:
        Phase.objects.filter(pk=phase.pk).update(
            status=PhaseStatus.DONE,
            actual_start=phase.planned_start,
            actual_end=phase.planned_end,
            progress=100,
        )
    Phase.objects.filter(pk=phases[6].pk).update(
        status=PhaseStatus.IN_PROGRESS, actual_start=phases[6].planned_start, progress=40
    )
    tasks = []
    for index in range(count):
        phase = phases[index % len(phases)]
        tasks.append(
            Task(
                project=project,
                phase=phase,
                title=f"Generated task {index + 1}: put the {phase.title.lower()} work in place",
                assignee=people[index % len(people)],
                due_date=today + timedelta(days=(index % 90) - 45),
                status=TaskStatus.DONE if index % 3 == 0 else TaskStatus.OPEN,
            )
        )
    Task.objects.bulk_create(tasks)
    return f"{len(phases)} phases and {count} tasks"


def _assessments(project, people, count):
    """Gap assessments of the shipped checklist, every question answered."""
    from gapanalysis import services as gap_services
    from gapanalysis.models import ChecklistTemplate, Response, Result

    template = ChecklistTemplate.objects.order_by("id").first()
    results = cycle((Result.CONFORMANT, Result.PARTIAL, Result.NONCONFORMANT, Result.CONFORMANT))
    answered = 0
    for number in range(count):
        assessment = gap_services.assessment_create(
            project=project, template=template, title=f"Assessment {number + 1}", user=people[0]
        )
        responses = list(Response.objects.filter(assessment=assessment))
        for response in responses:
            response.result = next(results)
            response.notes = "Generated answer with a short note about the evidence seen."
        Response.objects.bulk_update(responses, ["result", "notes"], batch_size=500)
        answered += len(responses)
    return f"{count} assessments with {answered} answers"


def _documents(project, people, count, versions):
    """The seeded mandatory register topped up to `count`; half approved, each with `versions`."""
    from documents.models import Document, DocumentStatus, DocumentType, DocumentVersion, VersionStatus

    today = timezone.localdate()
    now = timezone.now()
    existing = Document.objects.filter(project=project).count()
    Document.objects.bulk_create(
        [
            Document(
                project=project,
                code=f"GEN-{index:02d}",
                title=f"Generated procedure {index}",
                doc_type=DocumentType.PROCEDURE,
                owner=people[index % len(people)],
            )
            for index in range(max(count - existing, 0))
        ]
    )
    documents = list(Document.objects.filter(project=project).order_by("id"))
    Document.objects.filter(pk__in=[d.pk for d in documents[count:]]).delete()
    documents = documents[:count]
    rows = []
    for offset, document in enumerate(documents):
        approved = offset % 2 == 0
        for number in range(1, versions + 1):
            last = number == versions
            status = VersionStatus.SUPERSEDED if not last else (
                VersionStatus.APPROVED if approved else VersionStatus.IN_REVIEW
            )
            author = people[(offset + number) % len(people)]
            approver = None
            if status != VersionStatus.IN_REVIEW:
                approver = people[(offset + number + 1) % len(people)]
            rows.append(
                DocumentVersion(
                    document=document,
                    number=number,
                    link=f"https://intranet.example.test/docs/{document.code}/v{number}",
                    change_summary=f"Generated version {number}",
                    author=author,
                    status=status,
                    submitted_at=now,
                    approved_by=approver,
                    approved_at=now if approver else None,
                )
            )
    DocumentVersion.objects.bulk_create(rows, batch_size=1000)
    latest = {}
    for version in DocumentVersion.objects.filter(document__project=project).order_by("number"):
        latest[version.document_id] = version
    for offset, document in enumerate(documents):
        version = latest.get(document.pk)
        document.latest_version = version
        if offset % 2 == 0 and version is not None:
            document.status = DocumentStatus.APPROVED
            document.current_version = version
            document.approved_at = now
            document.next_review_date = today + timedelta(days=offset * 7 - 30)
    Document.objects.bulk_update(
        documents, ["latest_version", "current_version", "status", "approved_at", "next_review_date"]
    )
    return f"{len(documents)} documents ({existing} seeded mandatory items topped up), {len(rows)} versions"


def _findings(project, people, audits, count):
    """`count` findings over `audits` internal audits; nonconformities with a corrective action."""
    from audits import services as audit_services
    from audits.models import AuditType, CorrectiveAction, Finding, FindingStatus, Grade

    today = timezone.localdate()
    grades = (Grade.MINOR_NC, Grade.MAJOR_NC, Grade.OBSERVATION, Grade.OFI)
    auditor = people[1]
    project.memberships.filter(user=auditor).update(role="auditor")
    made = []
    for number in range(audits):
        made.append(
            audit_services.audit_create(
                project=project,
                user=people[0],
                scope_clauses=["8.1", "9.2"],
                team=[auditor],
                audit_type=AuditType.INTERNAL,
                title=f"Internal audit {number + 1}",
                planned_start=today - timedelta(days=90 - number * 20),
                planned_end=today - timedelta(days=88 - number * 20),
                lead_auditor=auditor,
            )
        )
    rows = []
    for index in range(count):
        grade = grades[index % 4]
        nonconformity = grade in (Grade.MINOR_NC, Grade.MAJOR_NC)
        rows.append(
            Finding(
                project=project,
                audit=made[index % audits],
                number=index + 1,
                grade=grade,
                clause="8.1",
                description=f"Generated finding {index + 1} about operational planning and control.",
                owner=people[2 + index % 6] if nonconformity else None,
                due_date=today + timedelta(days=index % 40 - 20) if nonconformity else None,
                root_cause="Generated root cause." if nonconformity else "",
                status=FindingStatus.OPEN if nonconformity else FindingStatus.NOTED,
                raised_by=auditor,
            )
        )
    Finding.objects.bulk_create(rows, batch_size=1000)
    actions = [
        CorrectiveAction(
            project=project,
            finding=finding,
            description="Generated corrective action",
            owner=finding.owner,
            due_date=finding.due_date,
            created_by=people[0],
        )
        for finding in Finding.objects.filter(project=project, owner__isnull=False)
    ]
    CorrectiveAction.objects.bulk_create(actions, batch_size=1000)
    return f"{count} findings in {audits} audits, {len(actions)} corrective actions"


def _activity(project, people, count):
    from projects.models import Activity

    now = timezone.now()
    Activity.objects.bulk_create(
        [
            Activity(
                project=project,
                actor=people[index % len(people)],
                verb="edited",
                summary=f"Generated event {index}",
                created_at=now - timedelta(minutes=index),
            )
            for index in range(count)
        ],
        batch_size=1000,
    )
    return f"{count} activity lines"
