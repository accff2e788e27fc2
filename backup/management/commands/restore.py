"""`manage.py restore PATH`: a backup into an empty installation, after checking every part."""

import time

from django.core.management.base import BaseCommand, CommandError

from backup import services
from backup.manifest import BackupRefused


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into this installation, which must be empty "
        "(migrated, no users or projects, no stored files). Nothing changes if any part is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup directory.")

    def handle(self, *args, path, **options):
        started = time.monotonic()
        try:
            result = services.restore(path)
        except BackupRefused as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(
            f"Restored {result['rows']} rows and {result['files']} files from {path} in "
            f"{time.monotonic() - started:.1f} s."
        )
