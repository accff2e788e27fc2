"""One way to write a date on every page, e-mail and PDF.

`{{ d|day }}`: "3 Dec" in the current year, "3 Dec 2027" in any other (a date that could be last
year's or next year's says so). `{{ dt|day_time }}`: the same with the time, "3 Dec 14:05".
`{{ d|month }}`: "Jul 2026", for chart axes and periods (never read as a day). Datetimes are shown
in the current time zone (the user's, where the middleware activated one), so "today" and the year
are those of the reader. A PDF outlives the year it is made in: its templates write `|day:"year"`,
which always carries the year.
"""

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.formats import get_format

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day_format(value, always_year) -> str:
    # The active language's order and words ("6 Nov", "6. Nov.", "11月6日"; sms_tracker/formats/).
    same_year = value.year == timezone.localdate().year and always_year != "year"
    return get_format("MONTH_DAY_FORMAT" if same_year else "DATE_FORMAT")


@register.filter
def day(value, always_year=None):
    if value in (None, ""):
        return ""
    value = _local(value)
    return dateformat.format(value, _day_format(value, always_year))


@register.filter
def day_time(value, always_year=None):
    if value in (None, ""):
        return ""
    value = _local(value)
    return dateformat.format(value, _day_format(value, always_year) + " H:i")


@register.filter
def month(value):
    if value in (None, ""):
        return ""
    return dateformat.format(_local(value), get_format("YEAR_MONTH_FORMAT"))
