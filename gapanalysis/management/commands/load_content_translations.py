"""`manage.py load_content_translations`: the checklist's translations from the data files beside the
English one into the translated columns (gapanalysis/content_translations.py; docs/i18n.md)."""

from django.core.management.base import BaseCommand

from gapanalysis.content_translations import load_all


class Command(BaseCommand):
    help = "Load the shipped checklist's translations (data/<file>.<language>.json) into the database."

    def handle(self, *args, **options):
        for name, counts in load_all().items():
            self.stdout.write(f"{name}: {counts}")
