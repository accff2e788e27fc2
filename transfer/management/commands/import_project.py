import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from transfer import importer
from transfer.archive import ArchiveRefused


class Command(BaseCommand):
    help = "Import a project archive as a new project; people are found by e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--lead", help="E-mail of the user who leads the new project (default: the archive's first lead)"
        )

    def handle(self, *args, path, lead=None, **options):
        lead_user = None
        if lead:
            lead_user = (
                get_user_model().objects.filter(email__iexact=lead, is_active=True).order_by("pk").first()
            )
            if lead_user is None:
                raise CommandError(f"No active user with the e-mail {lead}.")
        started = time.monotonic()
        try:
            with open(path, "rb") as source:
                result = importer.import_archive(source, lead=lead_user)
        except FileNotFoundError as error:
            raise CommandError(f"No file {path}.") from error
        except ArchiveRefused as error:
            raise CommandError(f"Refused, nothing imported: {error}") from error
        self.stdout.write(
            f"Imported “{result.project.name}” as project {result.project.pk} "
            f"in {time.monotonic() - started:.1f} s."
        )
        for user in result.placeholders:
            self.stdout.write(
                f"  {user.email or user.username}: no account here, created inactive ({user.username})."
            )
