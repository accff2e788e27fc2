import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from transfer import exporter


class Command(BaseCommand):
    help = "Write the whole of a project (rows, uploaded files, history) to a .zip archive."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)
        parser.add_argument("path", help="Where to write the archive, e.g. acme.zip")

    def handle(self, *args, project_id, path, **options):
        project = apps.get_model("projects.project").objects.filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"No project {project_id}.")
        started = time.monotonic()
        try:
            with open(path, "wb") as target:
                manifest = exporter.write(project, target)
        except exporter.ExportFailed as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        files = len(manifest["members"]) - 1
        self.stdout.write(
            f"Exported “{project.name}”: {rows} rows, {files} files, to {path} "
            f"in {time.monotonic() - started:.1f} s."
        )
