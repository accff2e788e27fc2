"""`python manage.py readiness <project id> [--stage 1|2]`: what blocks the stage; exit status 1 while
the project is not ready for it (readiness.gate computes it, as for the pages and the API)."""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from projects.models import Project
from readiness.gate import readiness


class Command(BaseCommand):
    help = "Print what still blocks a certification stage; exit 1 when the project is not ready for it."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)
        parser.add_argument("--stage", type=int, choices=(1, 2), default=1, help="1 (default) or 2")

    def handle(self, *args, project_id, stage, **options):
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"No project with id {project_id}.", returncode=2)
        gate = readiness(project, stage)
        groups = defaultdict(list)
        for blocker in gate.blockers:
            groups[blocker.category].append(blocker)
        self.stdout.write(f"{project.name} ({project.organisation}): readiness for Stage {stage}")
        for category, items in sorted(groups.items()):
            self.stdout.write(f"\n{category} ({len(items)})")
            for blocker in items:
                self.stdout.write(f"  - {blocker.message}" + (f"  [{blocker.url}]" if blocker.url else ""))
        if gate.warnings:
            self.stdout.write(f"\nWarnings ({len(gate.warnings)})")
            for warning in gate.warnings:
                self.stdout.write(f"  ! {warning.category}: {warning.message}")
        if gate.blockers:
            self.stdout.write(
                self.style.ERROR(f"\nNot ready for Stage {stage}: {len(gate.blockers)} blocker(s).")
            )
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"\nReady for Stage {stage}."))
