"""The next ids of every table, so a restored installation hands out the same ids the original would
have (a deleted row's id is not reused)."""

from django.db import connection

from kernel import relabel


def read() -> dict:
    if connection.vendor == "postgresql":
        return _read_postgresql()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='sqlite_sequence'")
            if not cursor.fetchone():
                return {}
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
            return {name: {"seq": seq} for name, seq in cursor.fetchall()}
    return {}


def _read_postgresql() -> dict:
    from .rows import models_to_copy

    found = {}
    with connection.cursor() as cursor:
        for model in models_to_copy():
            pk = model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
            sequence = cursor.fetchone()[0]
            if not sequence:
                continue
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # name from the catalogue
            last_value, is_called = cursor.fetchone()
            found[model._meta.db_table] = {"sequence": sequence, "last": last_value, "called": is_called}
    return found


def write(saved: dict, vendor: str) -> None:
    """Set every sequence as saved; from another database vendor, past the largest id instead."""
    from django.core.management.color import no_style

    from .rows import models_to_copy

    saved = {relabel.current_table(table): state for table, state in saved.items()}  # from before a move
    with connection.cursor() as cursor:
        if vendor != connection.vendor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models_to_copy()):
                cursor.execute(statement)
            return
        if connection.vendor == "postgresql":
            for table, state in saved.items():
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                    [table, _pk_column(table), state["last"], state["called"]],
                )
        elif connection.vendor == "sqlite" and saved:
            cursor.execute("DELETE FROM sqlite_sequence")
            for table, state in saved.items():
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, state["seq"]]
                )


def _pk_column(table: str) -> str:
    from .rows import models_to_copy

    for model in models_to_copy():
        if model._meta.db_table == table:
            return model._meta.pk.column
    raise ValueError(f"No model has the table {table}")
