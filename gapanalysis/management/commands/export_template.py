"""Write a checklist template as JSON, CSV or Excel: `export_template <slug> --format json -o file`."""

import sys

from django.core.management.base import BaseCommand, CommandError

from gapanalysis.checklist_io import FORMATS, export_template
from gapanalysis.models import ChecklistTemplate


class Command(BaseCommand):
    help = "Export a checklist template (the newest version unless --template-version is given)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--template-version", type=int, help="Which version; default the newest.")
        parser.add_argument("-o", "--output", help="File to write; default standard output.")

    def handle(self, *args, slug, format, template_version=None, output=None, **options):
        templates = ChecklistTemplate.objects.library().filter(slug=slug).order_by("-version")
        if template_version is not None:
            templates = templates.filter(version=template_version)
        template = templates.first()
        if template is None:
            raise CommandError(
                f"No checklist template “{slug}”"
                + (f" version {template_version}." if template_version else ".")
            )
        content = export_template(template, format)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Wrote {template} to {output} ({format}).")
        elif format == "xlsx":
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
