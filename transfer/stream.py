"""data.json read as a stream of ijson events, in bounded memory whatever its size.

ijson's C parser holds whitespace in no buffer, but it does hold one value (a string, a number)
whole until it ends. So the stream refuses a stretch of PROJECT_IMPORT_MAX_VALUE_BYTES without a
single event (one value that long, or blank space that long: no archive this installation writes
has either), and values are built (Builder) against a byte budget: a row, the people, the shared
content. Two passes use it: the outline (verify.py: tables, row counts, people, shared content,
alongside the checksum) and the rows (importer.py), so nothing larger than a row is ever held."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import ijson
from django.conf import settings

from kernel.relabel import current_label

from .archive import ArchiveRefused

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    value_bytes: int
    row_bytes: int
    people: int
    bytes_per_row: int
    base_bytes: int
    rows: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            value_bytes=settings.PROJECT_IMPORT_MAX_VALUE_BYTES,
            row_bytes=settings.PROJECT_IMPORT_MAX_ROW_BYTES,
            people=settings.PROJECT_IMPORT_MAX_PEOPLE,
            bytes_per_row=settings.PROJECT_IMPORT_MAX_BYTES_PER_ROW,
            base_bytes=settings.PROJECT_IMPORT_BASE_BYTES,
            rows=settings.PROJECT_IMPORT_MAX_ROWS,
        )


def mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size < 10 * 1048576 else f"{size / 1048576:.0f} MB"


def chunks(member, size: int = CHUNK) -> Iterator[bytes]:
    while chunk := member.read(size):
        yield chunk


def events(source: Iterable[bytes], limits: Limits) -> Iterator[tuple[str, str, object]]:
    """(prefix, event, value) of the JSON in `source`, a chunk at a time."""
    pending = ijson.sendable_list()
    parser = ijson.parse_coro(pending, use_float=True)
    quiet = 0  # bytes read since the last event (to within one chunk)
    try:
        for chunk in source:
            parser.send(chunk)
            if pending:
                quiet = 0
                ready = list(pending)
                del pending[:]
                yield from ready
                continue
            quiet += len(chunk)
            if quiet > limits.value_bytes:
                raise ArchiveRefused(
                    f"data.json holds a single value or a stretch of blank space longer than "
                    f"{mb(limits.value_bytes)}, which no project archive has."
                )
        parser.close()
    except (ijson.JSONError, UnicodeDecodeError) as error:
        raise ArchiveRefused("data.json in the archive is not valid JSON.") from error
    yield from pending


class Builder:
    """Builds one JSON value from its events, refusing it once it passes `budget` bytes (strings
    count their length, every other value 8)."""

    def __init__(self, budget: int, what: str):
        self.budget, self.what = budget, what
        self.stack: list = []
        self.keys: list = []
        self.value = None
        self.used = 0

    def _spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.budget:
            raise ArchiveRefused(f"data.json holds {self.what} larger than {mb(self.budget)}.")

    def _add(self, value) -> bool:
        if not self.stack:
            self.value = value
            return True
        top = self.stack[-1]
        if isinstance(top, list):
            top.append(value)
        else:
            top[self.keys[-1]] = value
        return False

    def feed(self, event: str, value) -> bool:
        """Takes one event; True once the value is complete (then read .value)."""
        if event == "map_key":
            self._spend(len(value) + 8)
            self.keys[-1] = value
            return False
        self._spend(len(value) if isinstance(value, str) else 8)
        if event in ("start_map", "start_array"):
            container = {} if event == "start_map" else []
            self._add(container)
            self.stack.append(container)
            self.keys.append(None)
            return False
        if event in ("end_map", "end_array"):
            done = self.stack.pop()
            self.keys.pop()
            if not self.stack:
                self.value = done
                return True
            return False
        return self._add(value)


@dataclass
class Table:
    model: str = ""
    fields: list = field(default_factory=list)
    rows: int = 0


@dataclass
class Outline:
    """What data.json holds, read without keeping its rows."""

    tables: list = field(default_factory=list)  # [Table] in the order of the archive
    users: dict = field(default_factory=dict)
    globals: dict = field(default_factory=dict)
    has_project: bool = False


class OutlineReader:
    """Fed the events of the whole of data.json; keeps the tables' names, fields and row counts and
    builds the people and the shared-content keys (each within its budget)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.outline = Outline()
        self.builder: Builder | None = None
        self.building = ""

    def feed(self, prefix: str, event: str, value) -> None:
        if self.builder is not None:
            if self.builder.feed(event, value):
                setattr(self.outline, self.building, self.builder.value)
                self.builder = None
            return
        if prefix == "models.item":
            if event == "start_map":
                self.outline.tables.append(Table())
            return
        if prefix == "models.item.rows.item" and event == "start_array":
            self.outline.tables[-1].rows += 1
        elif prefix == "models.item.model" and event == "string":
            self.outline.tables[-1].model = current_label(value[:200])  # an archive made before a move
        elif prefix == "models.item.fields.item" and event == "string":
            table = self.outline.tables[-1]
            if len(table.fields) >= 1000 or len(value) > 200:
                raise ArchiveRefused(f"data.json lists impossible fields for {table.model or 'a table'}.")
            table.fields.append(value)
        elif prefix == "project" and event == "number":
            self.outline.has_project = True
        elif prefix in ("users", "globals") and event == "start_map":
            budget = self.limits.people * 1024 if prefix == "users" else self.limits.base_bytes
            self.builder = Builder(budget, "a list of people" if prefix == "users" else "shared content")
            self.building = prefix
            self.builder.feed(event, value)
