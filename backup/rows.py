"""Rows of every model as JSON values that come back exactly (no natural keys, full microseconds).

Django's serializers cut datetimes to milliseconds and run each row through save(); here every concrete
table is read with values_list() and written back with raw inserts (no auto_now, no signals), so a
restored row equals the original, column for column.
"""

import base64
import datetime
import decimal
import uuid

from django.apps import apps
from django.db import connection
from django.db.models.sql import InsertQuery


def models_to_copy() -> list:
    """Every model with a table of its own: managed, not a proxy, not swapped; m2m tables included."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def columns(model) -> list:
    return list(model._meta.local_concrete_fields)


def encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return {"us": (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds}
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    return value


def decode(field, value):
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DurationField":
        return datetime.timedelta(microseconds=value["us"])
    if kind == "BinaryField":
        return base64.b64decode(value["b64"])
    if kind in ("JSONField",):
        return value
    if kind in ("DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField"):
        return field.to_python(value)
    return value


def blanked(model) -> set[str]:
    """Columns a model marks as never leaving the installation, not even encrypted (`BACKUP_BLANK_FIELDS`,
    e.g. a connector's credentials): the backup holds them empty, so a restore asks for them again."""
    return set(getattr(model, "BACKUP_BLANK_FIELDS", ()))


def read_rows(model, chunk_size: int = 2000):
    """The model's rows as lists of JSON values, in primary-key order."""
    fields = columns(model)
    blank = [f.attname in blanked(model) for f in fields]
    query = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
    for row in query.iterator(chunk_size=chunk_size):
        yield ["" if hide else encode(value) for hide, value in zip(blank, row, strict=True)]


def insert_rows(model, rows: list[list], using: str) -> None:
    """Insert rows as they are: raw=True skips pre_save (auto_now) and nothing sends signals."""
    fields = columns(model)
    objects = []
    for row in rows:
        instance = model.__new__(model)
        instance.__dict__.update({f.attname: decode(f, v) for f, v in zip(fields, row, strict=True)})
        objects.append(instance)
    query = InsertQuery(model)
    query.insert_values(fields, objects, raw=True)
    query.get_compiler(using=using).execute_sql(returning_fields=None)


def batch_size(model) -> int:
    """Rows per INSERT within the backend's parameter limit."""
    limit = connection.features.max_query_params or 60000
    return max(1, min(500, limit // max(1, len(columns(model)))))
