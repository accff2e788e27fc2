"""The archive format: a zip with manifest.json (format version, schema, and the SHA-256 and size
of every other member), data.json (the rows) and files/... (the uploaded files)."""

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.db import connection
from django.db.migrations.loader import MigrationLoader

FORMAT = "sms-tracker-project"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
CHUNK = 1024 * 1024


class ArchiveRefused(Exception):
    """The archive cannot be imported; the message says why, for the person who uploaded it."""


def encode(value):
    """JSON for a field value: dates and times in full ISO form (microseconds kept, unlike
    DjangoJSONEncoder), decimals and UUIDs as text."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data) -> bytes:
    return json.dumps(data, default=encode, ensure_ascii=False, separators=(",", ":")).encode()


def schema() -> dict[str, list[str]]:
    """app label -> its migrations applied here: what the rows of this installation look like."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = {}
    for app, name in loader.applied_migrations:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


class HashingWriter:
    """Copies chunks into a zip member while counting and hashing them."""

    def __init__(self, target):
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def write(self, chunk: bytes) -> None:
        self.target.write(chunk)
        self.sha256.update(chunk)
        self.size += len(chunk)
