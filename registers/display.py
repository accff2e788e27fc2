"""How a register value is written on a page: dates as everywhere, figures without trailing zeros,
choices by label, people by name, long text shortened in lists."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.template.defaultfilters import truncatechars

from kernel.templatetags.dates import day

from .models import format_number


def cell(value, *, short: bool = True) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, (Decimal, float)):
        return format_number(value)
    text = str(value)
    return truncatechars(text, 90) if short else text


def field_rows(obj, names) -> list[tuple[str, str]]:
    """(label, value) for the detail page's fields."""
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif isinstance(field, models.ForeignKey):
            value = (
                (value.get_full_name() or value.username)
                if value is not None and hasattr(value, "username")
                else value
            )
        elif isinstance(field, models.BooleanField):
            value = "yes" if value else "no"
        rows.append((str(field.verbose_name).capitalize(), cell(value, short=False)))
    return rows
