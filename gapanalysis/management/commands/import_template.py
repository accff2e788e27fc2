"""Import a checklist template from a .json, .csv or .xlsx file; nothing is saved if any row is bad."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gapanalysis.checklist_io import ImportFailed, import_template


class Command(BaseCommand):
    help = (
        "Import a checklist template. Every problem is listed with its line; on any problem nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            template = import_template(path.read_bytes(), filename=path.name)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(failed.errors)} problem(s) found; nothing was imported.") from failed
        clauses, questions = template.clauses.count(), template.questions.count()
        self.stdout.write(f"Imported {template}: {clauses} clauses, {questions} questions.")
