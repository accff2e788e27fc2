"""Importing a register from Excel or CSV: every row validated by the register's own form, every
problem named with its row, and nothing saved unless every row is good.

The columns are the export's (registers/kinds.py), so an exported file imports again; headers match
loosely (case, spaces, the field's name). Choices may be given by label or value, people by user name
or e-mail address (members only), services by name separated by ";", dates as dates or 2026-12-31.
Bounded like the checklist import: 5 MB, 5,000 rows, 10 seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import ngettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kernel.spreadsheets import unquote
from projects import activity

from . import services
from .kinds import Kind
from .models import Service

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
SECONDS = 10.0
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)


class Refused(Exception):
    """The file as a whole cannot be read (format, size, time)."""


def _key(text) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (float, Decimal)):
        return str(value)
    return str(unquote(value)).strip()


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows (with their row number in the file) of a CSV or the first sheet of an
    Excel workbook."""
    if len(content) > MAX_BYTES:
        raise Refused(f"The file is larger than {MAX_BYTES // 1048576} MB.")
    deadline = time.monotonic() + SECONDS
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                    raise Refused("The workbook unpacks to more than 20 MB.")
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
            raise Refused("Wrong format: not a readable Excel workbook (.xlsx).") from None
        sheet = book.worksheets[0]
        lines = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if number > MAX_ROWS + 1:
                raise Refused(f"The sheet has more than {MAX_ROWS} rows; split it.")
            if time.monotonic() > deadline:
                raise Refused(f"The file took too long to read (stopped at row {number}); split it.")
            lines.append((number, [_cell_text(v) for v in values]))
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refused("Wrong format: the CSV file is not UTF-8 text.") from None
        if "\x00" in text:
            raise Refused("Wrong format: the CSV file holds binary data.")
        reader = csv.reader(io.StringIO(text, newline=""))
        lines = []
        try:
            for values in reader:
                if reader.line_num > MAX_ROWS + 1:
                    raise Refused(f"The file has more than {MAX_ROWS} rows; split it.")
                lines.append((reader.line_num, [_cell_text(v) for v in values]))
        except csv.Error as error:
            raise Refused(f"Wrong format: line {reader.line_num} is not valid CSV ({error}).") from None
    else:
        raise Refused("Choose an Excel (.xlsx) or CSV (.csv) file.")
    lines = [(n, values) for n, values in lines if any(values)]
    if not lines:
        raise Refused("The file is empty: the first row must name the columns.")
    (_, header), rows = lines[0], lines[1:]
    return header, rows


def _column_map(kind: Kind, header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which form field each column of the file fills; and the unknown headers."""
    known = {}
    for column in kind.import_columns():
        known[_key(column.header)] = column.field
        known[_key(column.field)] = column.field
        known[_key(kind.model._meta.get_field(column.field).verbose_name)] = column.field
    export_only = {_key(c.header) for c in kind.columns if not c.field}
    mapping, unknown = {}, []
    for index, title in enumerate(header):
        if not title or _key(title) in export_only:  # worked out, not imported (a risk's score)
            continue
        target = known.get(_key(title))
        if target is None:
            unknown.append(title)
        else:
            mapping[index] = target
    return mapping, unknown


def _defaults(kind: Kind, mapping: dict[int, str]) -> dict:
    """What a column the file leaves out takes: the model's default (a new supplier is "not rated")."""
    result = {}
    for column in kind.import_columns():
        model_field = kind.model._meta.get_field(column.field)
        if column.field not in mapping.values() and model_field.has_default():
            result[column.field] = model_field.get_default()
    return result


class Lookups:
    """Members and services of the project, read once, for the names a file gives."""

    def __init__(self, project):
        self.people = {}
        for user in project.members.all():
            self.people[user.username.lower()] = user.pk
            if user.email:
                self.people.setdefault(user.email.lower(), user.pk)
        self.services = {s.name.lower(): s.pk for s in Service.objects.filter(project=project)}


def _form_value(kind: Kind, name: str, text: str, lookups: Lookups, problems: list[str]):
    model_field = kind.model._meta.get_field(name)
    if not text:
        return "" if not model_field.many_to_many else []
    if name == "owner":
        pk = lookups.people.get(text.lower())
        if pk is None:
            problems.append(f"owner “{text}” is not a member of the project (give a user name or e-mail)")
        return pk or ""
    if model_field.many_to_many:
        pks = []
        for part in (p.strip() for p in text.split(";")):
            if part:
                pk = lookups.services.get(part.lower())
                if pk is None:
                    problems.append(f"no service named “{part}” in the catalogue")
                else:
                    pks.append(pk)
        return pks
    if model_field.choices:
        with translation.override("en"):
            english = {value: str(label) for value, label in model_field.flatchoices}
        for value, label in model_field.flatchoices:
            # The label in the importer's language or in English (a file exported in either).
            if _key(text) in (_key(value), _key(str(label)), _key(english[value])):
                return value
        return text  # the form names the valid choices
    if model_field.get_internal_type() == "BooleanField":
        return "on" if text.lower() in ("yes", "y", "true", "1", "x") else ""
    return text


def import_entries(*, kind: Kind, project, content: bytes, filename: str, user) -> ImportResult:
    result = ImportResult()
    try:
        header, rows = read_table(content, filename)
    except Refused as refused:
        result.errors.append(str(refused))
        return result
    mapping, unknown = _column_map(kind, header)
    if unknown:
        result.errors.append(f"Row 1: unknown columns {', '.join(unknown)}.")
    fields = kind.form.base_fields
    defaults = _defaults(kind, mapping)
    missing = [
        c.header
        for c in kind.import_columns()
        if c.field in fields
        and fields[c.field].required
        and c.field not in mapping.values()
        and c.field not in defaults
    ]
    if missing:
        result.errors.append(f"Row 1: missing columns {', '.join(missing)}.")
    if result.errors:
        return result
    if not rows:
        result.errors.append("The file has a header but no rows to import.")
        return result
    lookups = Lookups(project)
    deadline = time.monotonic() + SECONDS
    with transaction.atomic():
        for number, values in rows:
            if time.monotonic() > deadline:
                result.errors.append(f"Row {number}: the import took too long; split the file.")
                break
            problems: list[str] = []
            data = dict(defaults)
            for index, name in mapping.items():
                text = values[index] if index < len(values) else ""
                if CONTROL.search(text):
                    problems.append(f"{name}: control characters are not allowed")
                    continue
                data[name] = _form_value(kind, name, text, lookups, problems)
            form = kind.form(data, project=project)
            if not form.is_valid():
                for name, errors in form.errors.items():
                    label = name if name != "__all__" else "row"
                    problems += [f"{label}: {e}" for e in errors]
            if not problems:
                try:
                    services.entry_create(
                        kind=kind, project=project, data=form.cleaned_data, user=user, log=False
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        problems += [f"{k}: {m}" for k, msgs in error.message_dict.items() for m in msgs]
                    else:
                        problems += error.messages
            if problems:
                result.errors.append(f"Row {number}: " + "; ".join(problems) + ".")
            else:
                result.created += 1
            if len(result.errors) >= 50:
                result.errors.append("Stopped after 50 rows with problems.")
                break
        if result.errors:
            transaction.set_rollback(True)  # nothing half-saved
            result.created = 0
        else:
            services.activity_record(
                project=project,
                actor=user,
                verb=f"{kind.noun_en} imported",
                message=ngettext_lazy(
                    "%(count)s %(register)s entry imported from %(file)s",
                    "%(count)s %(register)s entries imported from %(file)s",
                    "count",
                ),
                values={
                    "count": result.created,
                    "register": activity.nested(kind.title, lower_first=True),
                    "file": filename[:80],
                },
            )
    return result


def import_actuals(*, project, content: bytes, filename: str, user) -> ImportResult:
    """Monthly SLA figures for many targets at once: Service, Measure, Month, Value (and Note); the
    other columns of the SLA actuals export (Target, Met, Source) are worked out and skipped."""
    from .forms import SlaActualForm
    from .kinds import KINDS
    from .models import SlaTarget

    kind = KINDS["actuals"]
    result = ImportResult()
    try:
        header, rows = read_table(content, filename)
    except Refused as refused:
        result.errors.append(str(refused))
        return result
    wanted = {"service": "service", "measure": "measure", "month": "month", "value": "value", "note": "note"}
    skipped = {"target", "met", "source"}
    mapping, unknown = {}, []
    for index, title in enumerate(header):
        key = _key(title)
        if key in wanted:
            mapping[index] = wanted[key]
        elif title and key not in skipped:
            unknown.append(title)
    if unknown:
        result.errors.append(f"Row 1: unknown columns {', '.join(unknown)}.")
    missing = [c for c in ("Service", "Measure", "Month", "Value") if _key(c) not in mapping.values()]
    if missing:
        result.errors.append(f"Row 1: missing columns {', '.join(missing)}.")
    if not result.errors and not rows:
        result.errors.append("The file has a header but no rows to import.")
    if result.errors:
        return result
    targets = {
        (t.service.name.lower(), t.measure.lower()): t
        for t in SlaTarget.objects.filter(service__project=project).select_related("service")
    }
    deadline = time.monotonic() + SECONDS
    with transaction.atomic():
        for number, values in rows:
            if time.monotonic() > deadline:
                result.errors.append(f"Row {number}: the import took too long; split the file.")
                break
            row = {name: (values[i] if i < len(values) else "") for i, name in mapping.items()}
            if any(CONTROL.search(v) for v in row.values()):
                result.errors.append(f"Row {number}: control characters are not allowed.")
                continue
            target = targets.get((row["service"].lower(), row["measure"].lower()))
            if target is None:
                result.errors.append(
                    f"Row {number}: no SLA target “{row['measure']}” on a service “{row['service']}”."
                )
                continue
            month = row["month"][:7] if len(row["month"]) >= 7 else row["month"]
            form = SlaActualForm(
                {"month": month, "value": row["value"], "note": row.get("note", "")},
                project=project,
                target=target,
            )
            if not form.is_valid():
                problems = [f"{n}: {e}" for n, errors in form.errors.items() for e in errors]
                result.errors.append(f"Row {number}: " + "; ".join(problems))
                continue
            services.entry_create(
                kind=kind, project=project, parent=target, data=form.cleaned_data, user=user, log=False
            )
            result.created += 1
            if len(result.errors) >= 50:
                result.errors.append("Stopped after 50 rows with problems.")
                break
        if result.errors:
            transaction.set_rollback(True)  # nothing half-saved
            result.created = 0
        else:
            services.activity_record(
                project=project,
                actor=user,
                verb="SLA actuals imported",
                message=ngettext_lazy(
                    "%(count)s SLA month imported from %(file)s",
                    "%(count)s SLA months imported from %(file)s",
                    "count",
                ),
                values={"count": result.created, "file": filename[:80]},
            )
    return result
