"""CSV / Excel import for any other ticketing tool: read the file, map its columns to ticket fields,
preview, and import all rows or none.

The file is kept in the storage (Django's storage API) under a random name between the upload and
the import; the form carries that name signed with the connector's id. Every problem names its row
(the header is row 1). The import upserts by external id in one transaction: a file with one bad row
imports nothing."""

import csv
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kernel.uploads import validate_upload

from .models import RunStatus, RunTrigger, SyncRun
from .normalise import MalformedData, TicketData, parse_when
from .sync import upsert

MAX_ROWS = 50_000
PREVIEW_ROWS = 10
SIGNING_SALT = "connectors.fileimport"

# ticket field -> (label, names a column may have that map to it without the lead choosing)
FIELDS = {
    "external_id": ("Ticket id (required)", ("id", "key", "number", "ticket", "ticket id", "issue key")),
    "title": ("Title", ("title", "subject", "summary", "short description")),
    "ticket_type": ("Type", ("type", "ticket type", "issue type", "record type")),
    "queue": ("Queue / group", ("queue", "group", "assignment group", "team", "project")),
    "category": ("Category", ("category",)),
    "status": ("Status", ("status", "state")),
    "priority": ("Priority", ("priority",)),
    "opened_at": ("Created", ("created", "opened", "opened at", "created at")),
    "resolved_at": ("Resolved", ("resolved", "resolved at", "resolution date")),
    "closed_at": ("Closed", ("closed", "closed at")),
    "source_updated_at": ("Updated", ("updated", "last updated", "updated at")),
    "reopened_count": ("Times reopened", ("reopened", "reopen count", "reopened count")),
    "is_emergency": ("Emergency change (yes/no)", ("emergency",)),
    "change_succeeded": ("Change succeeded (yes/no)", ("successful", "change succeeded", "outcome")),
    "service_name": ("Service", ("service", "business service")),
}
DATES = {"opened_at", "resolved_at", "closed_at", "source_updated_at"}
BOOLEANS = {"is_emergency", "change_succeeded"}
YES = {"yes", "y", "true", "1", "success", "successful"}
NO = {"no", "n", "false", "0", "failed", "failure", "unsuccessful"}


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (row number in the file, values)


@dataclass
class Checked:
    tickets: list[TicketData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)


def store_upload(upload, *, connector) -> str:
    """Check the file, keep it in the storage, and return the signed token the mapping form carries."""
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        validate_upload(upload)  # the one upload check: real xlsx content, size, no zip bomb
        extension = "xlsx"
    elif name.endswith(".csv"):
        if not upload.size:
            raise ValidationError("The file is empty.")
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1048576:.1f} MB; "
                f"the limit is {settings.UPLOAD_MAX_BYTES / 1048576:.0f} MB."
            )
        extension = "csv"
    else:
        raise ValidationError("Upload a CSV (.csv, UTF-8) or Excel (.xlsx) export of the tickets.")
    upload.seek(0)
    stored = default_storage.save(
        f"connector-imports/{uuid.uuid4().hex}.{extension}", ContentFile(upload.read())
    )
    table = read_table(stored)  # refuse an unreadable file now, not after the mapping
    if not table.header:
        default_storage.delete(stored)
        raise ValidationError("The file has no header row: row 1 must name the columns.")
    return signing.dumps({"connector": connector.pk, "name": stored}, salt=SIGNING_SALT)


def stored_name(token: str, *, connector) -> str:
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=86400)
    except signing.BadSignature:
        raise ValidationError("The uploaded file is no longer available: upload it again.") from None
    if data.get("connector") != connector.pk or not default_storage.exists(data.get("name", "")):
        raise ValidationError("The uploaded file is no longer available: upload it again.")
    return data["name"]


def read_table(name: str) -> Table:
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    if name.endswith(".csv"):
        return _read_csv(content)
    return _read_xlsx(content)


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The CSV file is not UTF-8 text: save it as “CSV UTF-8”.") from None
    if "\x00" in text:
        raise ValidationError("The CSV file holds binary data: it is not a CSV export.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        rows = []
        for values in reader:
            if len(rows) >= MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(count)s rows; split it.")
                    % {"count": number_format(MAX_ROWS, force_grouping=True)}
                )
            if any(v.strip() for v in values):
                rows.append((reader.line_num, values))
    except csv.Error as error:
        raise ValidationError(f"Row {reader.line_num} is not valid CSV ({error}).") from None
    return Table([h.strip() for h in header], rows)


def _read_xlsx(content: bytes) -> Table:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ValidationError("The file is not a readable Excel workbook.") from None
    sheet = book.worksheets[0]
    header, rows = [], []
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        if number == 1:
            header = ["" if v is None else str(v).strip() for v in values]
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                _("The sheet has more than %(count)s rows; split it.")
                % {"count": number_format(MAX_ROWS, force_grouping=True)}
            )
        if any(v not in (None, "") for v in values):
            rows.append((number, list(values)))
    book.close()
    return Table(header, rows)


def guess_mapping(header: list[str]) -> dict[str, str]:
    """field -> column, for the columns whose name says what they hold."""
    lowered = {h.lower().strip(): h for h in header if h}
    mapping = {}
    for name, (_label, aliases) in FIELDS.items():
        for alias in aliases:
            if alias in lowered:
                mapping[name] = lowered[alias]
                break
    return mapping


def _value(name, raw, where):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if name in DATES:
        if isinstance(raw, datetime):
            return (
                raw if timezone.is_aware(raw) else timezone.make_aware(raw, timezone.get_current_timezone())
            )
        return parse_when(str(raw).strip(), what=f"{where}, {FIELDS[name][0]}")
    if name in BOOLEANS:
        word = str(raw).strip().lower()
        if word in YES:
            return True
        if word in NO:
            return False
        raise MalformedData(f"{where}, {FIELDS[name][0]}: “{str(raw)[:40]}” is not yes or no.")
    if name == "reopened_count":
        try:
            return int(float(raw))
        except (TypeError, ValueError):
            raise MalformedData(f"{where}, {FIELDS[name][0]}: “{str(raw)[:40]}” is not a number.") from None
    return str(raw).strip()


def check(table: Table, mapping: dict[str, str]) -> Checked:
    """Every row read with the mapping; errors name the row. Nothing is saved here."""
    result = Checked()
    if not mapping.get("external_id"):
        result.errors.append("Choose the column that holds the ticket id.")
        return result
    unknown = [c for c in mapping.values() if c and c not in table.header]
    if unknown:
        result.errors.append(f"No column named {', '.join(unknown)} in the file.")
        return result
    index = {name: table.header.index(column) for name, column in mapping.items() if column}
    seen = {}
    for number, values in table.rows:
        where = f"Row {number}"
        data = {}
        try:
            for name, position in index.items():
                raw = values[position] if position < len(values) else None
                value = _value(name, raw, where)
                if value is not None:
                    data[name] = value
            if not data.get("external_id"):
                raise MalformedData(f"{where}: the ticket id is empty.")
        except MalformedData as error:
            result.errors.append(str(error))
            continue
        if data["external_id"] in seen:
            result.errors.append(
                f"{where}: ticket {data['external_id'][:40]} is already on row {seen[data['external_id']]}."
            )
            continue
        seen[data["external_id"]] = number
        data.setdefault(
            "source_updated_at", data.get("closed_at") or data.get("resolved_at") or data.get("opened_at")
        )
        ticket = TicketData(
            **data,
            raw={h: ("" if v is None else str(v)) for h, v in zip(table.header, values, strict=False) if h},
        )
        result.tickets.append(ticket)
        if len(result.preview) < PREVIEW_ROWS:
            result.preview.append({"row": number, **data})
    return result


def import_checked(*, connector, checked: Checked, name: str, user) -> SyncRun:
    """All rows in one transaction, or none (the caller checked there are no errors)."""
    if checked.errors or not checked.tickets:
        raise ValidationError("Nothing was imported: correct the rows listed and upload the file again.")
    now = timezone.now()
    with transaction.atomic():
        created = updated = unchanged = 0
        for start in range(0, len(checked.tickets), 1000):
            c, u, same, _ = upsert(connector, checked.tickets[start : start + 1000])
            created, updated, unchanged = created + c, updated + u, unchanged + same
        run = SyncRun.objects.create(
            connector=connector,
            status=RunStatus.SUCCEEDED,
            trigger=RunTrigger.UPLOAD,
            started_at=now,
            finished_at=timezone.now(),
            pages=1,
            fetched=len(checked.tickets),
            created=created,
            updated=updated,
            unchanged=unchanged,
        )
        type(connector).objects.filter(pk=connector.pk).update(
            last_synced_at=now,
            sync_state="succeeded",
            last_error="",
            sync_done=len(checked.tickets),
            sync_total=len(checked.tickets),
        )
    transaction.on_commit(lambda: default_storage.delete(name))
    return run
