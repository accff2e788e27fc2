"""`manage.py pseudolocale`: the pseudo-translated catalogue of the marked strings
(kernel/pseudolocale.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from kernel.pseudolocale import build


class Command(BaseCommand):
    help = (
        "Write a pseudo-translated catalogue ([Ŝéţţîñĝš]) of every string marked for translation into "
        "DIR/<PSEUDO_LANGUAGE>/LC_MESSAGES (a test-only locale; docs/i18n.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BASE_DIR / ".pseudolocale"), metavar="DIR")
        parser.add_argument(
            "--source",
            metavar="LOCALE_DIR",
            help="Use LOCALE_DIR/en/LC_MESSAGES/*.po instead of extracting the strings now.",
        )

    def handle(self, *args, output, source, **options):
        counts = build(
            Path(output), language=settings.PSEUDO_LANGUAGE, source=Path(source) if source else None
        )
        for domain, count in counts.items():
            self.stdout.write(f"{domain}: {count} strings")
        self.stdout.write(f"Written to {Path(output) / settings.PSEUDO_LANGUAGE / 'LC_MESSAGES'}")
