"""Write a report's PDF synchronously, for operators and tests (no worker, no Report row)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kernel.extensions import report_kind, report_kinds
from projects.models import Project
from reports.pdf import render_pdf


class Command(BaseCommand):
    help = "Render a project's report to a PDF file: render_report <project id or name> <kind> -o file.pdf"

    def add_arguments(self, parser):
        parser.add_argument("project", help="Project id, or its exact name")
        parser.add_argument("kind", help="Report kind, e.g. management")
        parser.add_argument("-o", "--output", required=True, help="Where to write the PDF")
        parser.add_argument(
            "--subject", type=int, help="Id of the assessment, audit or review, for those kinds"
        )

    def handle(self, *args, project, kind, output, subject=None, **options):
        found = (
            Project.objects.filter(pk=int(project))
            if project.isdigit()
            else Project.objects.filter(name=project)
        )
        project_obj = found.first()
        if project_obj is None:
            raise CommandError(f"No project {project!r}.")
        spec = report_kind(kind)
        if spec is None:
            known = ", ".join(s.kind for s in report_kinds())
            raise CommandError(f"Unknown report kind {kind!r}; known: {known}.")
        if spec.subjects is not None and subject not in dict(spec.subjects(project_obj)):
            raise CommandError(
                f"The {kind} report needs --subject with the id of one of the project's records."
            )
        today = timezone.localdate()
        context = spec.build(project_obj, subject_id=subject, today=today)
        context.update(today=today, generated_at=timezone.now(), requested_by=None)
        context.setdefault("title", spec.label)
        pdf = render_pdf(spec.template, context)
        Path(output).write_bytes(pdf.content)
        self.stdout.write(
            f"Wrote {output}: {pdf.page_count} pages, {len(pdf.content)} bytes, sha256 {pdf.checksum}"
        )
