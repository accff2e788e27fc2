"""Bounds of a template import, checked before and while reading, so a hostile or broken file
gets a clear answer with its row instead of a 500 or minutes of work.

- sizes: the upload (5 MB), an xlsx's unpacked parts, every text field (the model's lengths);
- shape: JSON nesting depth, clause depth, number of rows in every format;
- time: reading and validating stop after IMPORT_SECONDS;
- content: no NUL or other control characters (PostgreSQL refuses NUL in text).
"""

from __future__ import annotations

import io
import re
import time
import zipfile

from django.utils.translation import gettext as _

MAX_ROWS = 5000  # clauses + questions; the ISO checklist has about 250
MAX_JSON_DEPTH = 10  # the export format needs 3
MAX_CLAUSE_DEPTH = 8  # 8.5.1.2 has 4 levels
MAX_VERSION = 1_000_000
MAX_TEXT = 4000  # question text and guidance
MAX_UNPACKED_BYTES = 10 * 1024 * 1024  # an xlsx's XML parts together (a template is about 100 kB)
IMPORT_SECONDS = 10.0
LENGTHS = {  # the model fields' max_length
    "slug": 80,
    "name": 200,
    "standard": 120,
    "number": 20,
    "title": 200,
    "parent": 20,
    "id": 40,
    "clause": 20,
    "text": MAX_TEXT,
    "guidance": MAX_TEXT,
    "documented_information": 10,
    "documented_information_tier": 12,
    "is_leaf": 10,
    "version": 12,
}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TooBig(Exception):
    """The file breaks a bound; the message says which, and where."""


class Deadline:
    """Reading and validating a file stop after IMPORT_SECONDS, with an error instead of a hang."""

    def __init__(self, seconds: float | None = None):
        self.until = time.monotonic() + (IMPORT_SECONDS if seconds is None else seconds)

    def check(self, where: str = "") -> None:
        if time.monotonic() > self.until:
            place = _(" (stopped at %(where)s)") % {"where": where} if where else ""
            raise TooBig(
                _("The file took too long to read%(place)s; split it or simplify it.") % {"place": place}
            )


def json_structure(text: str):
    """The structural characters of a JSON text outside its strings, each as (character, line,
    the last string read). One pass; shared by the depth check and the line finder."""
    line, in_string, escaped, start, last_string = 1, False, False, 0, ""
    for i, ch in enumerate(text):
        if ch == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                last_string = text[start + 1 : i]
        elif ch == '"':
            in_string, start = True, i
        elif ch in "[]{}:":
            yield ch, line, last_string


def json_depth_ok(text: str) -> bool:
    """True when no array or object nests deeper than MAX_JSON_DEPTH (checked before json.loads,
    which would recurse once per level)."""
    depth = 0
    for ch, _line, _last in json_structure(text):
        if ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def xlsx_size_ok(content: bytes) -> bool:
    """True when the workbook's parts unpack to at most MAX_UNPACKED_BYTES (no zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(info.file_size for info in archive.infolist()) <= MAX_UNPACKED_BYTES
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # not a zip at all: the reader reports the wrong format


def too_many_rows(count: int) -> str:
    return _("more than %(MAX_ROWS)s rows; a template holds at most %(MAX_ROWS)s clauses and questions") % {
        "MAX_ROWS": MAX_ROWS
    }


def field_problems(values: dict) -> list[str]:
    """Lengths and characters of one row's fields, in the row's own words."""
    problems = []
    for key, value in values.items():
        if isinstance(value, bool) or value is None:
            continue
        text = str(value)
        limit = LENGTHS.get(key)
        if limit is not None and len(text) > limit:
            problems.append(
                _("%(key)s is longer than %(limit)s characters (%(len)s)")
                % {"key": key, "limit": limit, "len": len(text)}
            )
        if CONTROL.search(text):
            problems.append(_("%(key)s contains a control character (such as NUL)") % {"key": key})
    return problems
