"""Fetched data is untrusted: every value is bounded before it is stored.

A text longer than its field is cut and ends with CUT_MARK; the raw key fields keep only scalars,
each cut the same way, and at most RAW_MAX_KEYS of them. Dates must parse, or the page is malformed."""

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

CUT_MARK = " […cut]"
RAW_MAX_VALUE = 2000
RAW_MAX_KEYS = 60

FIELD_LIMITS = {
    "external_id": 200,
    "ticket_type": 100,
    "queue": 200,
    "category": 200,
    "title": 500,
    "status": 100,
    "priority": 100,
    "service_name": 200,
}


class MalformedData(Exception):
    """A page or a row the connector cannot read; the message says what and where."""


def cut(value, limit: int) -> tuple[str, bool]:
    text = "" if value is None else str(value)
    text = text.replace("\x00", "")
    if len(text) <= limit:
        return text, False
    return text[: limit - len(CUT_MARK)] + CUT_MARK, True


def parse_when(value, *, what: str) -> datetime | None:
    """An ISO 8601 time (RT, Jira and ServiceNow all give one form of it); naive means UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        if text.startswith("1970-01-01T00:00:00"):  # RT's "not set"
            return None
        # Jira writes +0000 without a colon; ServiceNow a space between date and time.
        if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit() and text[-3] != ":":
            text = text[:-2] + ":" + text[-2:]
        try:
            parsed = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
        except ValueError:
            parsed = None
        if parsed is None:
            raise MalformedData(f"{what} is not a date and time: {text[:40]!r}")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def bounded_raw(raw: dict) -> tuple[dict, bool]:
    """Scalars only (nested values as compact JSON), each cut, at most RAW_MAX_KEYS keys."""
    result, was_cut = {}, False
    for i, (key, value) in enumerate(raw.items()):
        if i >= RAW_MAX_KEYS:
            result["_cut"] = f"{len(raw) - RAW_MAX_KEYS} more fields left out"
            was_cut = True
            break
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            value = json.dumps(value, default=str, sort_keys=True)
        if isinstance(value, str):
            value, c = cut(value, RAW_MAX_VALUE)
            was_cut |= c
        result[str(key)[:100]] = value
    return result, was_cut


@dataclass
class TicketData:
    """One ticket as a client reads it, before it is bounded and stored."""

    external_id: str
    title: str = ""
    ticket_type: str = ""
    queue: str = ""
    category: str = ""
    status: str = ""
    priority: str = ""
    opened_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    source_updated_at: datetime | None = None
    reopened_count: int = 0
    is_emergency: bool | None = None
    change_succeeded: bool | None = None
    service_name: str = ""
    raw: dict = field(default_factory=dict)


def ticket_fields(data: TicketData) -> dict:
    """The Ticket model's fields for one fetched ticket: bounded, with `truncated` and `fingerprint`."""
    if not str(data.external_id or "").strip():
        raise MalformedData("a ticket has no id")
    values = {f.name: getattr(data, f.name) for f in fields(data)}  # shallow: asdict deep-copies raw
    truncated = False
    for name, limit in FIELD_LIMITS.items():
        values[name], was_cut = cut(values[name], limit)
        truncated |= was_cut
    values["raw"], was_cut = bounded_raw(values["raw"] or {})
    truncated |= was_cut
    try:
        values["reopened_count"] = max(0, int(values["reopened_count"] or 0))
    except (TypeError, ValueError):
        raise MalformedData(f"ticket {values['external_id']}: the reopen count is not a number") from None
    values["truncated"] = truncated
    digest = json.dumps({k: v for k, v in values.items() if k != "raw"}, default=str, sort_keys=True)
    values["fingerprint"] = hashlib.sha256(digest.encode()).hexdigest()
    return values
