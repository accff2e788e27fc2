"""Demo users and two demo projects, a whole certification cycle between them: one about half-way
through its roadmap, preparing Stage 1, and one certified about six months ago, in its first
surveillance year. Safe to run again."""

import os
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kernel.extensions import demo_data
from projects import services
from projects.demo import seed_task_discussion
from projects.demo_clock import days_ago, demo_clock, spread_history
from projects.models import Membership, Phase, PhaseStatus, Priority, Project, Role, Task, TaskStatus
from projects.roadmap import PhaseKey

DEMO_PROJECT = "Acme IT Services — ISO/IEC 20000-1"
CERTIFIED_PROJECT = "Borealis Hosting — ISO/IEC 20000-1"
DEMO_USERS = (
    ("lead", "Lena", "Lead", Role.LEAD),
    ("contributor", "Carl", "Contributor", Role.CONTRIBUTOR),
    ("auditor", "Aino", "Auditor", Role.AUDITOR),
    ("viewer", "Victor", "Viewer", Role.VIEWER),
    ("outsider", "Olga", "Outsider", None),
)

# (title, assignee, due offset in days from today, priority, done) by phase
_TASKS_BY_PHASE = (
    (
        PhaseKey.MANAGEMENT_SUPPORT,
        (
            ("Present the business case to the executive board", "lead", -170, Priority.HIGH, True),
            ("Appoint the executive sponsor", "lead", -165, Priority.HIGH, True),
            ("Approve the implementation budget", "viewer", -160, Priority.MEDIUM, True),
        ),
    ),
    (
        PhaseKey.PROJECT_SETUP,
        (
            ("Write the project charter", "lead", -150, Priority.MEDIUM, True),
            ("Agree the RACI for process owners", "contributor", -145, Priority.MEDIUM, True),
        ),
    ),
    (
        PhaseKey.GAP_ANALYSIS,
        (
            ("Run the baseline gap analysis workshops", "auditor", -130, Priority.HIGH, True),
            ("Publish the remediation plan", "lead", -120, Priority.MEDIUM, True),
        ),
    ),
    (
        PhaseKey.SCOPE_AND_POLICY,
        (
            ("Draft the SMS scope statement", "contributor", -105, Priority.HIGH, True),
            ("Write the service management policy", "lead", -95, Priority.HIGH, True),
            ("Set measurable service management objectives", "lead", -90, Priority.MEDIUM, True),
            ("Build the risk register and acceptance criteria", "contributor", -85, Priority.MEDIUM, True),
        ),
    ),
    (
        PhaseKey.SUPPORT_PROCEDURES,
        (
            ("Write the document and record control procedure", "contributor", -75, Priority.MEDIUM, True),
            ("Write the internal audit procedure", "auditor", -70, Priority.MEDIUM, True),
            ("Write the corrective action procedure", "contributor", -65, Priority.HIGH, True),
            ("Draft the communication and training plans", "contributor", -60, Priority.LOW, True),
        ),
    ),
    (
        PhaseKey.PROCESS_DOCUMENTATION,
        (
            ("Describe the incident and major incident process", "contributor", -40, Priority.HIGH, True),
            ("Publish the service catalogue", "contributor", -30, Priority.HIGH, True),
            ("Write the change management policy", "contributor", -20, Priority.MEDIUM, True),
            ("Agree SLAs with the two largest customers", "lead", -6, Priority.MEDIUM, False),
            # Holes, as real projects have them: work nobody took.
            ("Review the capacity plan with the hosting team", None, -4, Priority.MEDIUM, False),
            ("Write the service continuity plan", "contributor", -2, Priority.HIGH, False),
            ("Document supplier contracts and internal agreements", "lead", 5, Priority.MEDIUM, False),
        ),
    ),
    (
        PhaseKey.PROCESS_IMPLEMENTATION,
        (
            ("Configure the ITSM tool for incidents and changes", "contributor", 3, Priority.HIGH, False),
            ("Load the configuration items into the CMDB", "contributor", 25, Priority.MEDIUM, False),
            # ... and work of someone who left the project.
            ("Migrate the problem records from the old tool", "former", -12, Priority.HIGH, False),
        ),
    ),
    (
        PhaseKey.TRAINING,
        (
            ("Run awareness sessions for the service desk", "lead", 60, Priority.LOW, False),
            ("Book the trainer for the change advisory board", None, 30, Priority.LOW, False),
        ),
    ),
    (
        PhaseKey.OPERATION,
        (("Produce the first monthly service report", "contributor", 90, Priority.MEDIUM, False),),
    ),
)
# (phase key, title, assignee, due offset in days from today, priority, done)
DEMO_TASKS = tuple((key, *task) for key, tasks in _TASKS_BY_PHASE for task in tasks)
DONE_PHASES = (
    PhaseKey.MANAGEMENT_SUPPORT,
    PhaseKey.PROJECT_SETUP,
    PhaseKey.GAP_ANALYSIS,
    PhaseKey.SCOPE_AND_POLICY,
    PhaseKey.SUPPORT_PROCEDURES,
)
LATE_PHASES = (PhaseKey.SCOPE_AND_POLICY, PhaseKey.SUPPORT_PROCEDURES)  # finished four days late
# A contributor who left the project (membership removed) and still owns a phase and a task.
FORMER_MEMBER = ("former", "Fiona", "Former")
PHASES_WITHOUT_OWNER = (PhaseKey.OPERATION, PhaseKey.MANAGEMENT_REVIEW)
# The certified project's calendar in days before today: started, Stage 1 and Stage 2 (first and last
# day, as audits.demo_certified holds them); the certification decision follows 30 days later.
CERTIFIED_START_DAYS_AGO = 620
STAGE_1_DAYS_AGO = (260, 258)
STAGE_2_DAYS_AGO = (200, 198)
# The phases held on the audits' days (audits.demo_certified), first and last day before today.
CERTIFIED_PHASE_DAYS_AGO = {
    PhaseKey.INTERNAL_AUDIT: (330, 298),
    PhaseKey.MANAGEMENT_REVIEW: (295, 290),
    PhaseKey.STAGE_1: STAGE_1_DAYS_AGO,
    PhaseKey.STAGE_2: STAGE_2_DAYS_AGO,
}


def _certified_calendar(project) -> list[Phase]:
    """The roadmap as it was worked: the audit phases on the days they were held, the other phases
    in their planned proportions between the start and the first internal audit."""
    phases = list(project.phases.order_by("order"))
    others = [p for p in phases if p.key not in CERTIFIED_PHASE_DAYS_AGO]
    first_audit = days_ago(max(first for first, _ in CERTIFIED_PHASE_DAYS_AGO.values())).date()
    start, end = project.start_date, max(p.planned_end for p in others)
    scale = ((first_audit - timedelta(days=1)) - start) / max(end - start, timedelta(days=1))
    for phase in phases:
        if phase.key in CERTIFIED_PHASE_DAYS_AGO:
            first, last = CERTIFIED_PHASE_DAYS_AGO[phase.key]
            phase.planned_start, phase.planned_end = days_ago(first).date(), days_ago(last).date()
        else:
            phase.planned_start = start + (phase.planned_start - start) * scale
            phase.planned_end = start + (phase.planned_end - start) * scale
    return phases


class Command(BaseCommand):
    help = "Create the demo users and the demo project (idempotent). Refuses with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; with DEBUG off pass --force."
            )
        with transaction.atomic():
            users = self._users()
            project = self._project(users)
            certified = self._certified_project(users)
        password_note = "from DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else "default"
        self.stdout.write(self.style.SUCCESS(f"Demo project ready: {project.name} (id {project.pk})"))
        self.stdout.write(self.style.SUCCESS(f"Certified demo project: {certified.name} (id {certified.pk})"))
        self.stdout.write(
            f"Demo logins ({password_note} password “{settings.DEMO_PASSWORD}”): "
            + ", ".join(u for u, *_ in DEMO_USERS)
        )

    def _users(self):
        User = get_user_model()
        users = {}
        for username, first, last, _role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.sms-tracker.local",
                },
            )
            if created or not user.check_password(settings.DEMO_PASSWORD):
                user.set_password(settings.DEMO_PASSWORD)
                user.save()
            users[username] = user
        username, first, last = FORMER_MEMBER
        users[username] = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.sms-tracker.local"},
        )[0]
        return users

    def _seed_other_apps(self, project, users):
        for demo in demo_data():  # each app's part, declared in its integration.py
            demo.seed(project, users)

    def _certified_project(self, users):
        """Certified about six months ago, in its first surveillance year: every phase done."""
        project = Project.objects.filter(name=CERTIFIED_PROJECT).first()
        if project is not None:
            return project
        seeding_since = timezone.now()
        # Dates from the real today, before the clock turns back (inside it "today" is 620 days ago).
        start, target = days_ago(CERTIFIED_START_DAYS_AGO).date(), days_ago(STAGE_2_DAYS_AGO[1]).date()
        with demo_clock(days_ago(CERTIFIED_START_DAYS_AGO, 9)):
            project = services.project_create(
                user=users["lead"],
                name=CERTIFIED_PROJECT,
                organisation="Borealis Hosting Oy",
                scope_summary="Hosting and managed database services from the Oulu data centre.",
                start_date=start,
                target_certification_date=target,  # the roadmap leads up to the Stage 2 audit
                certification_body="Northbridge Certification",
            )
        for username, _f, _l, role in DEMO_USERS:
            if role and role != Role.LEAD:
                Membership.objects.get_or_create(
                    project=project, user=users[username], defaults={"role": role}
                )
        for phase in _certified_calendar(project):
            Phase.objects.filter(pk=phase.pk).update(
                status=PhaseStatus.DONE,
                planned_start=phase.planned_start,
                planned_end=phase.planned_end,
                actual_start=phase.planned_start,
                actual_end=phase.planned_end,
            )
        for demo in demo_data():
            if demo.certified_seed is not None:
                demo.certified_seed(project, users)
        spread_history(project, since=seeding_since)
        services.project_progress_refresh(project=project)
        return project

    def _project(self, users):
        project = Project.objects.filter(name=DEMO_PROJECT).first()
        if project is not None:
            return project
        today = timezone.localdate()
        seeding_since = timezone.now()
        project = services.project_create(
            user=users["lead"],
            name=DEMO_PROJECT,
            organisation="Acme IT Services Ltd",
            scope_summary="Managed workplace and hosting services delivered from the Leeds and Tampere "
            "service centres to external customers.",
            start_date=today - timedelta(days=180),
            target_certification_date=today + timedelta(days=200),
            certification_body="Northbridge Certification",
        )
        for username, _f, _l, role in DEMO_USERS:
            if role and role != Role.LEAD:
                Membership.objects.get_or_create(
                    project=project, user=users[username], defaults={"role": role}
                )
        phases = {p.key: p for p in project.phases.all()}
        for key in (
            PhaseKey.SCOPE_AND_POLICY,
            PhaseKey.SUPPORT_PROCEDURES,
            PhaseKey.PROCESS_DOCUMENTATION,
            PhaseKey.PROCESS_IMPLEMENTATION,
        ):
            Phase.objects.filter(pk=phases[key].pk).update(owner=users["contributor"])
        Phase.objects.filter(pk=phases[PhaseKey.TRAINING].pk).update(owner=users["former"])
        Phase.objects.filter(pk__in=[phases[k].pk for k in PHASES_WITHOUT_OWNER]).update(owner=None)
        for key in DONE_PHASES:
            phase = phases[key]
            Phase.objects.filter(pk=phase.pk).update(
                status=PhaseStatus.DONE,
                actual_start=phase.planned_start,
                actual_end=phase.planned_end + timedelta(days=4 if key in LATE_PHASES else 0),
            )
        Phase.objects.filter(pk=phases[PhaseKey.PROCESS_DOCUMENTATION].pk).update(
            status=PhaseStatus.IN_PROGRESS,
            actual_start=phases[PhaseKey.PROCESS_DOCUMENTATION].planned_start + timedelta(days=8),
        )
        Phase.objects.filter(pk=phases[PhaseKey.PROCESS_IMPLEMENTATION].pk).update(
            status=PhaseStatus.IN_PROGRESS, actual_start=today - timedelta(days=10)
        )
        for key, title, assignee, offset, priority, done in DEMO_TASKS:
            task = Task.objects.create(
                project=project,
                phase=phases[key],
                title=title,
                assignee=users.get(assignee),
                due_date=today + timedelta(days=offset),
                priority=priority,
                status=TaskStatus.DONE if done else TaskStatus.OPEN,
                completed_at=timezone.now() + timedelta(days=offset) if done else None,
                completed_by=users.get(assignee) if done else None,
                created_by=users["lead"],
            )
            # A history spread over months: each task planned about three weeks before it is due.
            Task.objects.filter(pk=task.pk).update(created_at=days_ago(min(175, 21 - offset), 9, offset))
        Project.objects.filter(pk=project.pk).update(created_at=days_ago(180, 9))
        seed_task_discussion(project, users)
        self._seed_other_apps(project, users)
        spread_history(project, since=seeding_since)
        services.project_progress_refresh(project=project)
        services.activity_record(  # "former" was a contributor and left; their work was not handed on
            project=project,
            actor=users["lead"],
            verb="member removed",
            summary="former left the project",
            url=f"/projects/{project.pk}/members/",
        )
        for key, title, assignee, offset, _priority, done in DEMO_TASKS:
            if done and offset > -45:
                with demo_clock(days_ago(-offset, 16, offset)):
                    services.activity_record(
                        project=project,
                        actor=users[assignee],
                        verb="task completed",
                        summary=f"Task “{title}” completed",
                        url=phases[key].get_absolute_url(),
                    )
        return project
