"""The tickets of a connector as an Excel workbook, through the one spreadsheet writer."""

from kernel.spreadsheets import Sheet, workbook_bytes

from . import selectors

HEADERS = (
    "Id",
    "Title",
    "Type",
    "Queue",
    "Category",
    "Status",
    "Priority",
    "Created",
    "Resolved",
    "Closed",
    "Updated",
    "Reopened",
    "Emergency",
    "Succeeded",
    "Service",
    "Cut",
)


def _rows(connector):
    fields = (
        "external_id",
        "title",
        "ticket_type",
        "queue",
        "category",
        "status",
        "priority",
        "opened_at",
        "resolved_at",
        "closed_at",
        "source_updated_at",
        "reopened_count",
        "is_emergency",
        "change_succeeded",
        "service_name",
        "truncated",
    )
    for row in (
        selectors.connector_tickets(connector=connector).values_list(*fields).iterator(chunk_size=2000)
    ):
        yield [
            "" if value is None else ("yes" if value is True else "no" if value is False else value)
            for value in row
        ]


def tickets_workbook(*, connector) -> bytes:
    return workbook_bytes(
        Sheet(title="Tickets", headers=HEADERS, rows=_rows(connector), widths=[14, 60] + [16] * 14)
    )
