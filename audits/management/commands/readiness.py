"""`python manage.py readiness <project id>`: the Stage 1 blockers; exit status 1 when not ready."""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from projects.models import Project
from projects.readiness import readiness_blockers

from ... import selectors


class Command(BaseCommand):
    help = "Print what still blocks the Stage 1 certification audit; exit 1 when the project is not ready."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)

    def handle(self, *args, project_id, **options):
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"No project with id {project_id}.", returncode=2)
        blockers = readiness_blockers(project)
        groups = defaultdict(list)
        for blocker in blockers:
            groups[blocker.category].append(blocker)
        self.stdout.write(f"{project.name} ({project.organisation}): readiness for Stage 1")
        for category, items in sorted(groups.items()):
            self.stdout.write(f"\n{category} ({len(items)})")
            for blocker in items:
                self.stdout.write(f"  - {blocker.message}" + (f"  [{blocker.url}]" if blocker.url else ""))
        prog = selectors.programme_for(project)
        audits = [a for a in selectors.audit_list(project) if selectors.in_cycle(a, prog)]
        warnings = selectors.independence_warnings(project, audits)
        if warnings:
            self.stdout.write(f"\nAuditor independence warnings ({len(warnings)})")
            for warning in warnings:
                self.stdout.write(f"  ! {warning.message}")
        if blockers:
            self.stdout.write(self.style.ERROR(f"\nNot ready: {len(blockers)} blocker(s)."))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("\nReady for Stage 1."))
