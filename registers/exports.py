"""The registers' exports: every sheet through the one writer (kernel/spreadsheets.py),
with the columns the import reads back."""

from django.utils import timezone

from kernel.spreadsheets import Sheet, csv_bytes, workbook_bytes

from . import selectors
from .kinds import KINDS, Kind
from .models import SlaActual


def table(kind: Kind, rows) -> tuple[list[str], list[list]]:
    headers = [c.header for c in kind.columns]
    return headers, [[c.value(obj) for c in kind.columns] for obj in rows]


def register_rows(kind: Kind, project, filters=None):
    return selectors.entry_list(kind, project, filters, today=timezone.localdate())


def xlsx(kind: Kind, project, rows) -> bytes:
    headers, values = table(kind, rows)
    # No title lines above the header: the file imports back as it is.
    return workbook_bytes(Sheet(title=str(kind.title)[:31], headers=headers, rows=values, wrap=True))


def csv(kind: Kind, project, rows) -> bytes:
    headers, values = table(kind, rows)
    return csv_bytes(headers=headers, rows=[dict(zip(headers, row, strict=True)) for row in values])


def _spec_builder(key):
    def build(project):
        return table(KINDS[key], register_rows(KINDS[key], project))

    build.__name__ = f"{key}_export"
    return build


def actuals_export(project):
    """Every SLA month of the project: service, measure, target, month, value, met, source."""
    kind = KINDS["actuals"]
    rows = (
        SlaActual.objects.filter(target__service__project=project)
        .select_related("target", "target__service")
        .order_by("target__service__name", "target__measure", "month")
    )
    return table(kind, rows)


issues_export = _spec_builder("issues")
parties_export = _spec_builder("parties")
services_export = _spec_builder("services")
suppliers_export = _spec_builder("suppliers")
risks_export = _spec_builder("risks")
objectives_export = _spec_builder("objectives")
