import os
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from transfer import services
from transfer.models import ImportStatus


class Command(BaseCommand):
    help = (
        "Import a project archive as a new project led by --lead; nobody else becomes a member: the "
        "import's page lists the archive's people for the lead to invite."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--lead", required=True, help="E-mail of the user who leads the new project")

    def handle(self, *args, path, lead, **options):
        lead_user = get_user_model().objects.filter(email__iexact=lead, is_active=True).order_by("pk").first()
        if lead_user is None:
            raise CommandError(f"No active user with the e-mail {lead}.")
        started = time.monotonic()
        try:
            with open(path, "rb") as source:
                job = services.import_file_now(source=source, name=os.path.basename(path), user=lead_user)
        except FileNotFoundError as error:
            raise CommandError(f"No file {path}.") from error
        if job.status != ImportStatus.DONE:
            raise CommandError(f"Refused, nothing imported: {job.error}")
        people = job.people.filter(is_importer=False).count()
        took = time.monotonic() - started
        self.stdout.write(
            f"Imported “{job.project.name}” as project {job.project.pk} in {took:.1f} s; "
            f"{lead_user.email} leads it."
        )
        for note in job.note_lines:  # what the import left out (a citation of an entry not in the archive)
            self.stdout.write(note)
        if people:
            self.stdout.write(
                f"The archive names {people} other people; nobody of them is a member. Invite whom you "
                f"choose on {settings.SITE_URL}{job.get_absolute_url()}"
            )
