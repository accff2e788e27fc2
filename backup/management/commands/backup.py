"""`manage.py backup PATH`: every table and every stored file into a new directory (issue 22 §5)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backup import services
from backup.manifest import BackupRefused


class Command(BaseCommand):
    help = "Back up the whole installation (database rows and stored files) into a new directory PATH."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A directory that does not exist yet or is empty.")

    def handle(self, *args, path, **options):
        target = Path(path)
        fresh = not target.exists()
        started = time.monotonic()
        try:
            manifest = services.backup(target)
        except BackupRefused as error:
            raise CommandError(str(error)) from error
        except BaseException:
            if fresh:
                services.remove_partial(target)
            raise
        totals = manifest["totals"]
        self.stdout.write(
            f"Backed up {totals['rows']} rows of {len(manifest['tables'])} tables and {totals['files']} "
            f"files ({totals['file_bytes']} bytes) to {target} in {time.monotonic() - started:.1f} s."
        )
