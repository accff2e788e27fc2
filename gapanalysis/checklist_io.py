"""Import and export of checklist templates as JSON, CSV or Excel.

The three formats hold the same records:
- JSON: {"slug", "name", "standard", "version", "clauses": [...], "questions": [...]} (the shipped file);
- CSV: one table, a row per record; the `type` column says template, clause or question;
- Excel: sheets "Template" (one row), "Clauses" and "Questions".

An import reads and validates the whole file first and reports every problem with its line
(or sheet row); only a file without problems is saved, in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kernel.clauses import TEMPLATE_CLAUSE_NUMBER, clause_depth, parent_clause
from kernel.spreadsheets import Sheet, csv_bytes, unquote, workbook_bytes

from . import checklist_limits as limits
from .models import (
    ChecklistTemplate,
    DocumentedInformation,
    DocumentedInformationTier,
    Question,
    TemplateClause,
)

FORMATS = ("json", "csv", "xlsx")
TEMPLATE_COLUMNS = ("slug", "name", "standard", "version")
CLAUSE_COLUMNS = ("number", "title", "parent", "is_leaf", "guidance", "informative")
QUESTION_COLUMNS = (
    "id",
    "clause",
    "text",
    "documented_information",
    "guidance",
    "documented_information_tier",
)
# Columns an older file may lack: guidance, the tier (then "required" where documented
# information is asked for, which is what the flag meant before tiers existed) and whether a clause
# is explanatory only (then it is not).
OPTIONAL_COLUMNS = ("guidance", "documented_information_tier", "informative")
CSV_COLUMNS = (
    "type",
    "slug",
    "name",
    "standard",
    "version",
    "number",
    "title",
    "parent",
    "is_leaf",
    "id",
    "clause",
    "text",
    "documented_information",
    "guidance",
    "documented_information_tier",
    "informative",
)
REQUIRED_CSV = ("type", "number", "title", "parent", "is_leaf", "id", "clause", "text")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
TRUE, FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}
MAX_BYTES = 5 * 1024 * 1024


class ImportFailed(Exception):
    """The file cannot be imported; `errors` lists every problem found, each with its place."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Row:
    where: str  # "line 12", "sheet Questions, row 4", "questions[3] (line 40)"
    values: dict


@dataclass
class Parsed:
    template: Row | None = None
    clauses: list[Row] = field(default_factory=list)
    questions: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# Export -------------------------------------------------------------------------------------


def template_data(template: ChecklistTemplate) -> dict:
    clauses = TemplateClause.objects.filter(template=template).select_related("parent").order_by("order")
    questions = Question.objects.filter(template=template).select_related("clause").order_by("order")
    return {
        "slug": template.slug,
        "name": template.name,
        "standard": template.standard,
        "version": template.version,
        "clauses": [
            {
                "number": c.number,
                "title": c.title,
                "parent": c.parent.number if c.parent else None,
                "is_leaf": c.is_leaf,
                "guidance": c.guidance,
                "informative": c.informative,
            }
            for c in clauses
        ],
        "questions": [
            {
                "id": q.code,
                "clause": q.clause.number,
                "text": q.text,
                "documented_information": q.documented_information,
                "guidance": q.guidance,
                "documented_information_tier": q.documented_information_tier,
            }
            for q in questions
        ],
    }


def export_template(template: ChecklistTemplate, fmt: str) -> bytes:
    data = template_data(template)
    if fmt == "json":
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "csv":
        rows = [{"type": "template", **{k: data[k] for k in TEMPLATE_COLUMNS}}]
        rows += [{"type": "clause", **_clause_cells(c)} for c in data["clauses"]]
        rows += [{"type": "question", **q} for q in data["questions"]]
        return csv_bytes(headers=CSV_COLUMNS, rows=rows)
    if fmt == "xlsx":
        clauses = [[_clause_cells(c)[k] for k in CLAUSE_COLUMNS] for c in data["clauses"]]
        return workbook_bytes(
            Sheet("Template", TEMPLATE_COLUMNS, [[data[k] for k in TEMPLATE_COLUMNS]]),
            Sheet("Clauses", CLAUSE_COLUMNS, clauses),
            Sheet(
                "Questions", QUESTION_COLUMNS, [[q[k] for k in QUESTION_COLUMNS] for q in data["questions"]]
            ),
        )
    raise ValueError(
        _("Unknown format %(fmt)s; use one of %(items)s.") % {"fmt": repr(fmt), "items": ", ".join(FORMATS)}
    )


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


def _clause_cells(clause: dict) -> dict:
    """A clause as text cells (CSV and Excel): no parent is empty, flags are true/false."""
    flags = {k: _bool_text(clause[k]) for k in ("is_leaf", "informative")}
    return {**clause, "parent": clause["parent"] or "", **flags}


# Reading ------------------------------------------------------------------------------------


def detect_format(filename: str, content: bytes) -> str:
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension in FORMATS:
        return extension
    raise ImportFailed(
        [_("Wrong format: “%(filename)s” is not a .json, .csv or .xlsx file.") % {"filename": filename}]
    )


def parse(content: bytes, fmt: str, deadline: limits.Deadline | None = None) -> Parsed:
    if len(content) > MAX_BYTES:
        return Parsed(errors=[_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 1048576}])
    deadline = deadline or limits.Deadline()
    readers = {"json": _parse_json, "csv": _parse_csv, "xlsx": _parse_xlsx}
    if fmt not in readers:
        return Parsed(errors=[_("Wrong format: use one of %(items)s.") % {"items": ", ".join(FORMATS)}])
    try:
        return readers[fmt](content, deadline)
    except limits.TooBig as error:
        return Parsed(errors=[str(error)])


def _text(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _item_lines(text: str) -> dict[str, list[int]]:
    """Line numbers where each object of the top-level "clauses" and "questions" arrays opens."""
    lines: dict[str, list[int]] = {"clauses": [], "questions": []}
    depth, key = 0, None
    for ch, line, last_string in limits.json_structure(text):
        if ch == ":" and depth == 1:
            key = last_string
        elif ch in "[{":
            if ch == "{" and depth == 2 and key in lines:
                lines[key].append(line)
            depth += 1
        elif ch in "]}":
            depth -= 1
    return lines


def _parse_json(content: bytes, deadline: limits.Deadline) -> Parsed:
    text = _text(content)
    if text is None:
        return Parsed(errors=[_("Wrong format: the file is not UTF-8 text.")])
    if not limits.json_depth_ok(text):
        return Parsed(
            errors=[
                _("Wrong format: the JSON nests deeper than %(MAX_JSON_DEPTH)s levels.")
                % {"MAX_JSON_DEPTH": limits.MAX_JSON_DEPTH}
            ]
        )
    try:
        data = json.loads(text)
    except RecursionError:
        return Parsed(errors=[_("Wrong format: the JSON nests too deeply.")])
    except json.JSONDecodeError as error:
        return Parsed(
            errors=[
                _("Wrong format: not valid JSON (line %(lineno)s: %(msg)s).")
                % {"lineno": error.lineno, "msg": error.msg}
            ]
        )
    if not isinstance(data, dict):
        return Parsed(errors=[_("Wrong format: the JSON must be an object with clauses and questions.")])
    parsed = Parsed()
    missing = [k for k in (*TEMPLATE_COLUMNS, "clauses", "questions") if k not in data]
    if missing:
        parsed.errors.append(_("Missing fields: %(join)s.") % {"join": ", ".join(missing)})
        return parsed
    parsed.template = Row(_("the template fields"), {k: data[k] for k in TEMPLATE_COLUMNS})
    lines = _item_lines(text)
    for key, columns, target in (
        ("clauses", CLAUSE_COLUMNS, parsed.clauses),
        ("questions", QUESTION_COLUMNS, parsed.questions),
    ):
        items = data[key]
        if not isinstance(items, list):
            parsed.errors.append(_("“%(key)s” must be a list.") % {"key": key})
            continue
        if len(items) > limits.MAX_ROWS:
            parsed.errors.append(f"“{key}” has {limits.too_many_rows(len(items))}.")
            continue
        for index, item in enumerate(items):
            deadline.check(f"{key}[{index}]")
            line = lines[key][index] if index < len(lines[key]) else None
            where = _("line %(line)s") % {"line": line} if line else f"{key}[{index}]"
            if not isinstance(item, dict):
                parsed.errors.append(
                    _("%(where)s: each entry of “%(key)s” must be an object.") % {"where": where, "key": key}
                )
                continue
            absent = [c for c in columns if c not in item and c not in OPTIONAL_COLUMNS]
            if absent:
                parsed.errors.append(f"{where}: missing {', '.join(absent)}.")
                continue
            target.append(Row(where, item))
    return parsed


def _parse_csv(content: bytes, deadline: limits.Deadline) -> Parsed:
    text = _text(content)
    if text is None or "\x00" in text:
        return Parsed(errors=[_("Wrong format: the file is not UTF-8 CSV text.")])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_CSV if c not in header]
    if missing:
        return Parsed(
            errors=[
                _("Missing columns: %(items)s (line 1 must name the columns).")
                % {"items": ", ".join(missing)}
            ]
        )
    parsed = Parsed()
    try:
        for count, row in enumerate(reader, 1):
            where = _("line %(line)s") % {"line": reader.line_num}
            deadline.check(where)
            if count > limits.MAX_ROWS:
                parsed.errors.append(
                    _("%(where)s: the file has %(too_many_rows)s.")
                    % {"where": where, "too_many_rows": limits.too_many_rows(count)}
                )
                break
            values = {k: unquote((v or "").strip()) for k, v in row.items() if k}
            kind = values.get("type", "").lower()
            if kind == "template":
                if parsed.template is not None:
                    parsed.errors.append(
                        _("%(where)s: a second template row; a file holds one template.") % {"where": where}
                    )
                parsed.template = Row(where, {k: values.get(k, "") for k in TEMPLATE_COLUMNS})
            elif kind == "clause":
                parsed.clauses.append(Row(where, {k: values.get(k, "") for k in CLAUSE_COLUMNS}))
            elif kind == "question":
                parsed.questions.append(Row(where, {k: values.get(k, "") for k in QUESTION_COLUMNS}))
            elif any(values.values()):
                parsed.errors.append(
                    _("%(where)s: type must be template, clause or question, not “%(type)s”.")
                    % {"where": where, "type": values["type"]}
                )
    except csv.Error as error:
        parsed.errors.append(
            _("Wrong format: line %(line_num)s is not valid CSV (%(error)s).")
            % {"line_num": reader.line_num, "error": error}
        )
    if parsed.template is None:
        parsed.errors.append(_("The file has no row of type template (slug, name, standard, version)."))
    return parsed


def _parse_xlsx(content: bytes, deadline: limits.Deadline) -> Parsed:
    if not limits.xlsx_size_ok(content):
        mb = limits.MAX_UNPACKED_BYTES // 1048576
        return Parsed(
            errors=[_("The workbook unpacks to more than %(mb)s MB; it cannot be a template.") % {"mb": mb}]
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        return Parsed(errors=[_("Wrong format: not a readable Excel workbook.")])
    parsed = Parsed()
    missing_sheets = [s for s in ("Template", "Clauses", "Questions") if s not in book.sheetnames]
    if missing_sheets:
        parsed.errors.append(_("Missing sheets: %(join)s.") % {"join": ", ".join(missing_sheets)})
        return parsed
    sheets = {}
    for name, columns in (
        ("Template", TEMPLATE_COLUMNS),
        ("Clauses", CLAUSE_COLUMNS),
        ("Questions", QUESTION_COLUMNS),
    ):
        rows = []
        for number, row in enumerate(book[name].iter_rows(values_only=True), 1):
            deadline.check(_("sheet %(name)s, row %(number)s") % {"name": name, "number": number})
            if number > limits.MAX_ROWS + 1:
                parsed.errors.append(
                    _("Sheet %(name)s, row %(number)s: the sheet has %(too_many_rows)s.")
                    % {"name": name, "number": number, "too_many_rows": limits.too_many_rows(number)}
                )
                break
            rows.append(row)
        if parsed.errors:
            continue
        header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else ())]
        absent = [c for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
        if absent:
            parsed.errors.append(
                _("Sheet %(name)s: missing columns %(join)s.") % {"name": name, "join": ", ".join(absent)}
            )
            continue
        sheets[name] = [
            Row(
                _("sheet %(name)s, row %(number)s") % {"name": name, "number": number},
                {c: _cell(row, header.index(c)) if c in header else "" for c in columns},
            )
            for number, row in enumerate(rows[1:], 2)
            if any(v not in (None, "") for v in row)
        ]
    if parsed.errors:
        return parsed
    if len(sheets["Template"]) != 1:
        parsed.errors.append(_("Sheet Template must hold exactly one row under its header."))
    else:
        parsed.template = sheets["Template"][0]
    parsed.clauses, parsed.questions = sheets["Clauses"], sheets["Questions"]
    return parsed


def _cell(row, index):
    value = row[index] if index < len(row) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, bool) else unquote(str(value).strip())


# Validation ---------------------------------------------------------------------------------


def _as_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return None


def _str(value) -> str:
    return "" if value is None else str(value).strip()


def validate(parsed: Parsed, *, project=None, deadline: limits.Deadline | None = None) -> dict:
    """Every problem of the parsed file in `parsed.errors`; the clean data when there is none.

    Versions are checked against the templates of the same owner: the project's own, or the
    shipped library when `project` is None."""
    errors = parsed.errors
    deadline = deadline or limits.Deadline()
    meta = {}
    if parsed.template is not None:
        values, where = parsed.template.values, parsed.template.where
        meta = {k: _str(values.get(k)) for k in TEMPLATE_COLUMNS}
        if problems := limits.field_problems(meta):
            errors.append(f"{where}: {'; '.join(problems)}.")
        if not SLUG.match(meta["slug"]):
            errors.append(
                _("%(where)s: slug must be letters, digits, - or _ (got “%(slug)s”).")
                % {"where": where, "slug": meta["slug"]}
            )
        for key in ("name", "standard"):
            if not meta[key]:
                errors.append(_("%(where)s: %(key)s is required.") % {"where": where, "key": key})
        try:
            meta["version"] = int(meta["version"])
            if not 1 <= meta["version"] <= limits.MAX_VERSION:
                raise ValueError
        except ValueError:
            errors.append(
                _("%(where)s: version must be a whole number from 1 to %(MAX_VERSION)s (got “%(str)s”).")
                % {"where": where, "MAX_VERSION": limits.MAX_VERSION, "str": str(meta["version"])[:20]}
            )
        else:
            same_owner = (
                ChecklistTemplate.objects.filter(project=project)
                if project
                else ChecklistTemplate.objects.library()
            )
            if same_owner.filter(slug=meta["slug"], version=meta["version"]).exists():
                errors.append(
                    _(
                        "%(where)s: template %(slug)s version %(version)s already exists; raise the "
                        "version to import a new one."
                    )
                    % {"where": where, "slug": meta["slug"], "version": meta["version"]}
                )

    clauses, first_seen = [], {}
    for row in parsed.clauses:
        v, where = row.values, row.where
        number, title, parent = _str(v.get("number")), _str(v.get("title")), _str(v.get("parent"))
        is_leaf = _as_bool(v.get("is_leaf"))
        informative = _as_bool(v.get("informative") or "")
        deadline.check(where)
        problems = limits.field_problems({"number": number, "title": title, "parent": parent})
        problems += limits.field_problems({"guidance": v.get("guidance")})
        if problems:
            errors.append(f"{where}: {'; '.join(problems)}.")
            continue
        if not TEMPLATE_CLAUSE_NUMBER.match(number):
            problems.append(_("clause number “%(number)s” is not like 8.2.1") % {"number": number})
        elif clause_depth(number) >= limits.MAX_CLAUSE_DEPTH:
            problems.append(
                _("clause %(number)s is nested deeper than %(MAX_CLAUSE_DEPTH)s levels")
                % {"number": number, "MAX_CLAUSE_DEPTH": limits.MAX_CLAUSE_DEPTH}
            )
        elif number in first_seen:
            problems.append(
                _("clause %(number)s is listed twice (first at %(first_seen)s)")
                % {"number": number, "first_seen": first_seen[number]}
            )
        if not title:
            problems.append(_("title is required"))
        if is_leaf is None:
            problems.append(_("is_leaf must be true or false (got “%(get)s”)") % {"get": v.get("is_leaf")})
        if informative is None:
            problems.append(
                _("informative must be true or false (got “%(str)s”)")
                % {"str": str(v.get("informative"))[:20]}
            )
        elif informative and is_leaf is False:
            problems.append(_("only a leaf clause can be informative (explanatory)"))
        if parent and parent_clause(number) != parent:
            problems.append(
                _("parent %(parent)s does not match the clause number %(number)s")
                % {"parent": parent, "number": number}
            )
        if problems:
            errors.append(f"{where}: {'; '.join(problems)}.")
        first_seen.setdefault(number, where)
        clauses.append(
            {
                "number": number,
                "title": title,
                "parent": parent or None,
                "is_leaf": bool(is_leaf),
                "guidance": _str(v.get("guidance")),
                "informative": bool(informative),
                "where": where,
            }
        )
    numbers = {c["number"]: c for c in clauses}
    parents = {c["parent"] for c in clauses if c["parent"]}
    for clause in clauses:
        if clause["parent"] and clause["parent"] not in numbers:
            errors.append(
                _("%(where)s: parent clause %(parent)s is unknown.")
                % {"where": clause["where"], "parent": clause["parent"]}
            )
        if clause["is_leaf"] and clause["number"] in parents:
            errors.append(
                _("%(where)s: clause %(number)s has sub-clauses, so it cannot be a leaf.")
                % {"where": clause["where"], "number": clause["number"]}
            )
    if not parsed.clauses and not errors:
        errors.append(_("The file has no clauses."))

    questions, seen_codes = [], {}
    for row in parsed.questions:
        v, where = row.values, row.where
        code, clause, text = _str(v.get("id")), _str(v.get("clause")), _str(v.get("text"))
        documented = _str(v.get("documented_information")).lower() or DocumentedInformation.NONE
        tier = _str(v.get("documented_information_tier")).lower()
        deadline.check(where)
        problems = limits.field_problems(
            {
                "id": code,
                "clause": clause,
                "text": text,
                "guidance": v.get("guidance"),
                "documented_information": documented,
                "documented_information_tier": tier,
            }
        )
        if problems:
            errors.append(f"{where}: {'; '.join(problems)}.")
            continue
        if not code:
            problems.append(_("question id is required"))
        elif len(code) > 40:
            problems.append(_("question id is longer than 40 characters"))
        elif code in seen_codes:
            problems.append(
                _("duplicate question id %(code)s (first at %(seen_codes)s)")
                % {"code": code, "seen_codes": seen_codes[code]}
            )
        if clause not in numbers:
            problems.append(_("unknown clause “%(clause)s”") % {"clause": clause})
        elif not numbers[clause]["is_leaf"]:
            problems.append(
                _("clause %(clause)s is not a leaf clause; questions belong to leaf clauses")
                % {"clause": clause}
            )
        if not text:
            problems.append(_("text is required"))
        if documented not in DocumentedInformation.values:
            problems.append(
                _("documented_information must be document, record or none (got “%(documented)s”)")
                % {"documented": documented}
            )
        elif documented == DocumentedInformation.NONE and tier:
            problems.append(
                _("documented_information_tier must be empty when documented_information is none")
            )
        elif documented != DocumentedInformation.NONE:
            tier = tier or DocumentedInformationTier.REQUIRED
            if tier not in DocumentedInformationTier.values:
                problems.append(
                    _("documented_information_tier must be required or recommended (got “%(tier)s”)")
                    % {"tier": tier}
                )
            elif tier == DocumentedInformationTier.REQUIRED and numbers.get(clause, {}).get("informative"):
                problems.append(
                    _(
                        "clause %(clause)s is informative (explanatory) and requires nothing: "
                        "documented_information_tier must be recommended"
                    )
                    % {"clause": clause}
                )
        if problems:
            errors.append(f"{where}: {'; '.join(problems)}.")
        seen_codes.setdefault(code, where)
        questions.append(
            {
                "id": code,
                "clause": clause,
                "text": text,
                "documented_information": documented,
                "guidance": _str(v.get("guidance")),
                "documented_information_tier": tier,
            }
        )
    if not parsed.questions and not errors:
        errors.append(_("The file has no questions."))
    return {**meta, "clauses": clauses, "questions": questions}


@transaction.atomic
def _save(data: dict, user, project) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.create(
        project=project,
        slug=data["slug"],
        name=data["name"],
        standard=data["standard"],
        version=data["version"],
        imported_by=user,
    )
    saved: dict[str, TemplateClause] = {}
    pending = list(enumerate(data["clauses"], 1))
    while pending:  # parents first, whatever the file's order
        rest = []
        for order, c in pending:
            if c["parent"] and c["parent"] not in saved:
                rest.append((order, c))
                continue
            saved[c["number"]] = TemplateClause.objects.create(
                template=template,
                number=c["number"],
                title=c["title"],
                parent=saved.get(c["parent"]) if c["parent"] else None,
                is_leaf=c["is_leaf"],
                order=order,
                guidance=c["guidance"],
                informative=c["informative"],
            )
        if len(rest) == len(pending):
            raise ImportFailed(
                [
                    _("%(where)s: parent clause %(parent)s is unknown.")
                    % {"where": c["where"], "parent": c["parent"]}
                    for _, c in rest
                ]
            )
        pending = rest
    Question.objects.bulk_create(
        Question(
            template=template,
            clause=saved[q["clause"]],
            code=q["id"],
            text=q["text"],
            documented_information=q["documented_information"],
            documented_information_tier=q["documented_information_tier"],
            guidance=q["guidance"],
            order=order,
        )
        for order, q in enumerate(data["questions"], 1)
    )
    return template


def import_template(content: bytes, *, filename: str, user=None, project=None) -> ChecklistTemplate:
    """Validate the whole file, then save it in one transaction; raise ImportFailed with every error.

    With a project the template belongs to that project only; without one it joins the shipped
    library shared by every project (staff and the `import_template` command only)."""
    fmt = detect_format(filename, content)
    deadline = limits.Deadline()
    parsed = parse(content, fmt, deadline)
    try:
        data = validate(parsed, project=project, deadline=deadline)
    except limits.TooBig as error:
        parsed.errors.append(str(error))
    if parsed.errors:
        raise ImportFailed(parsed.errors)
    return _save(data, user, project)
