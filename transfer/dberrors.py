"""A database refusal told in words: which records, and which rule of the database they break —
never the database's own message, which quotes the failing row (issue 19 defect 11)."""

from django.apps import apps
from django.db import DataError, IntegrityError

# SQLSTATE (PostgreSQL) -> what the rule is about
RULES = {
    "23505": "two of them would be the same where this installation allows only one",
    "23503": "one of them refers to a record that does not exist",
    "23514": "a value is outside what this installation allows",
    "23502": "a required value is missing",
    "23P01": "two of them overlap where this installation allows no overlap",
    "22001": "a text is longer than this installation allows",
    "22003": "a number is out of range",
    "22007": "a date or time has the wrong form",
    "22008": "a date or time is out of range",
    "22P02": "a value has the wrong form",
}


def _model_name(table: str | None) -> str:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            return f"{model._meta.verbose_name_plural} ({model._meta.label_lower})"
    return "its records"


def database_refusal(error) -> str:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    state = getattr(cause, "sqlstate", None) or ""
    table = getattr(diag, "table_name", None)
    constraint = getattr(diag, "constraint_name", None)
    column = getattr(diag, "column_name", None)
    what = RULES.get(state)
    if what is None:
        what = (
            "they break a rule of this installation's database"
            if isinstance(error, IntegrityError)
            else "a value does not fit this installation's database"
            if isinstance(error, DataError)
            else "the database could not store them"
        )
    detail = f" (rule “{constraint}”)" if constraint else f" (field “{column}”)" if column else ""
    return (
        f"The archive's data cannot be imported: in {_model_name(table)}, {what}{detail}. "
        "Nothing was imported."
    )
