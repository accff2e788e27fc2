"""Benchmark: render the management progress report for the demo project and a large generated one.

Not a test: prints seconds and pages. Everything it creates is rolled back at the end, so it can
run against any database (default: the local SQLite file; set DATABASE_URL for PostgreSQL).

    .venv/bin/python bench/report_render.py [--runs 3]

The large project has 14 phases, 300 tasks, 3 gap assessments with every question answered,
60 documents and 100 findings (with their corrective actions), generated below.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()


class Rollback(Exception):
    pass


def make_large_project():
    from django.contrib.auth import get_user_model

    from projects import services
    from projects.models import Membership, Phase, PhaseStatus, Role, Task, TaskStatus

    User = get_user_model()
    today = timezone.localdate()
    lead = User.objects.create_user("bench-lead", "bench-lead@example.test", "x")
    project = services.project_create(
        user=lead,
        name="Large generated project",
        organisation="Bench Org",
        start_date=today - timedelta(days=300),
        target_certification_date=today + timedelta(days=120),
        certification_body="Bench Certification",
    )
    people = [lead] + [
        User.objects.create_user(f"bench-{i}", f"bench-{i}@example.test", "x") for i in range(8)
    ]
    Membership.objects.bulk_create(
        [Membership(project=project, user=user, role=Role.CONTRIBUTOR) for user in people[1:]]
    )
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
    for index in range(300):
        phase = phases[index % 14]
        due = today + timedelta(days=(index % 90) - 45)
        tasks.append(
            Task(
                project=project,
                phase=phase,
                title=f"Generated task {index + 1}: put the {phase.title.lower()} work in place",
                assignee=people[index % len(people)],
                due_date=due,
                status=TaskStatus.DONE if index % 3 == 0 else TaskStatus.OPEN,
            )
        )
    Task.objects.bulk_create(tasks)
    notes = ["14 phases and 300 tasks generated"]
    for generator in GENERATORS:
        notes.append(generator(project, people))
    services.project_progress_refresh(project=project)
    return project, notes


# Generators for the other apps' records, added as those apps land on main. Each returns a note.
GENERATORS = []


def documents(project, people):
    """60 documents: the seeded mandatory register topped up, half of them approved."""
    from documents.models import Document, DocumentStatus, DocumentType

    today = timezone.localdate()
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
            for index in range(max(60 - existing, 0))
        ]
    )
    ids = list(Document.objects.filter(project=project).order_by("id").values_list("id", flat=True)[:60])
    Document.objects.filter(project=project).exclude(id__in=ids).delete()
    for offset, pk in enumerate(ids[::2]):
        Document.objects.filter(pk=pk).update(
            status=DocumentStatus.APPROVED, next_review_date=today + timedelta(days=offset * 7 - 30)
        )
    return f"60 documents ({existing} seeded mandatory items topped up), 30 approved"


def assessments(project, people):
    """3 gap assessments of the shipped checklist, every question answered."""
    from itertools import cycle

    from gapanalysis import services as gap_services
    from gapanalysis.models import ChecklistTemplate, Response, Result

    template = ChecklistTemplate.objects.order_by("id").first()
    results = cycle((Result.CONFORMANT, Result.PARTIAL, Result.NONCONFORMANT, Result.CONFORMANT))
    sizes = []
    for number in range(3):
        assessment = gap_services.assessment_create(
            project=project, template=template, title=f"Assessment {number + 1}", user=people[0]
        )
        responses = list(Response.objects.filter(assessment=assessment))
        for response in responses:
            response.result = next(results)
            response.notes = "Generated answer with a short note about the evidence seen."
        Response.objects.bulk_update(responses, ["result", "notes"])
        sizes.append(len(responses))
    return f"3 assessments with {', '.join(map(str, sizes))} answers"


def findings(project, people):
    """100 findings over 4 internal audits, nonconformities with a corrective action each."""
    from audits import services as audit_services
    from audits.models import AuditType, CorrectiveAction, Finding, Grade

    today = timezone.localdate()
    grades = (Grade.MINOR_NC, Grade.MAJOR_NC, Grade.OBSERVATION, Grade.OFI)
    auditor = people[1]
    Membership = project.memberships.model
    Membership.objects.filter(project=project, user=auditor).update(role="auditor")
    count = 0
    for number in range(4):
        audit = audit_services.audit_create(
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
        for _ in range(25):
            grade = grades[count % 4]
            nonconformity = grade in (Grade.MINOR_NC, Grade.MAJOR_NC)
            finding = audit_services.finding_create(
                audit=audit,
                user=auditor,
                grade=grade,
                clause="8.1",
                description=f"Generated finding {count + 1} about operational planning and control.",
                owner=people[2 + count % 6] if nonconformity else None,
                due_date=today + timedelta(days=count % 40 - 20) if nonconformity else None,
            )
            if nonconformity:
                Finding.objects.filter(pk=finding.pk).update(root_cause="Generated root cause.")
                CorrectiveAction.objects.create(
                    project=project,
                    finding=finding,
                    description="Generated corrective action",
                    owner=finding.owner,
                    due_date=finding.due_date,
                )
            count += 1
    return f"{count} findings in 4 audits, {count // 2} corrective actions"


GENERATORS += [assessments, documents, findings]


def render(project, runs: int, save_to=None):
    from sms_tracker.core.extensions import report_kind
    from sms_tracker.reports.pdf import render_pdf

    spec = report_kind("management")
    timings, pages = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        today = timezone.localdate()
        context = spec.build(project, subject_id=None, today=today)
        context.update(today=today, generated_at=timezone.now(), requested_by=None)
        pdf = render_pdf(spec.template, context)
        timings.append(time.perf_counter() - started)
        pages = pdf.page_count
    if save_to:
        Path(save_to).write_bytes(pdf.content)
    return timings, pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", help="Directory to write the two PDFs to, to look at them")
    args = parser.parse_args()
    from django.core.management import call_command
    from django.db import transaction

    from projects.models import Project

    call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            demo = Project.objects.filter(name__startswith="Acme IT Services").first()
            if demo is None:
                call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))
                demo = Project.objects.get(name__startswith="Acme IT Services")
            large, notes = make_large_project()
            render(demo, 1)  # warm-up: fonts and templates load once per process
            for label, project in (("demo project", demo), ("large project", large)):
                path = Path(args.out) / f"{label.replace(' ', '-')}.pdf" if args.out else None
                timings, pages = render(project, args.runs, path)
                print(
                    f"{label:14s} {pages:3d} pages  median {statistics.median(timings):.2f} s  "
                    f"(min {min(timings):.2f}, max {max(timings):.2f}, {args.runs} runs)"
                )
            for note in notes:
                print(f"  large project: {note}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
