"""Dates, numbers and the first day of the week follow the active language (sms_tracker/formats/)."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import get_format, number_format

FIRST_DAY = {"en": 1, "de": 1, "fr": 1, "es": 1, "zh-hans": 1}


@pytest.mark.parametrize("language,first", FIRST_DAY.items())
def test_the_first_day_of_the_week_follows_the_locale(language, first):
    with translation.override(language):
        assert get_format("FIRST_DAY_OF_WEEK") == first


def test_us_english_would_start_on_sunday_but_our_english_is_british():
    """Django's own "en" starts weeks on Sunday; ours keeps the app's British conventions."""
    from django.conf.locale.en import formats as us

    assert us.FIRST_DAY_OF_WEEK == 0
    with translation.override("en"):
        assert get_format("FIRST_DAY_OF_WEEK") == 1
        assert get_format("SHORT_DATE_FORMAT") == "d/m/Y"


@time_machine.travel(dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    "language,this_year,other_year,month",
    [
        ("en", "6 Nov", "6 Nov 2027", "Nov 2026"),
        ("de", "6. Nov", "6. Nov 2027", "Nov 2026"),
        ("fr", "6 Nov", "6 Nov 2027", "Nov 2026"),
        ("es", "6 Nov", "6 Nov 2027", "Nov 2026"),
        ("zh-hans", "11月6日", "2027年11月6日", "2026年11月"),
    ],
)
def test_the_day_filter_writes_the_locales_date(language, this_year, other_year, month):
    template = Template("{{ a|day }}|{{ b|day }}|{{ a|month }}")
    with translation.override(language):
        rendered = template.render(Context({"a": dt.date(2026, 11, 6), "b": dt.date(2027, 11, 6)}))
    assert rendered.split("|") == [this_year, other_year, month]


def test_numbers_follow_the_locale():
    with translation.override("de"):
        assert number_format(1234.5, 1, use_l10n=True, force_grouping=True) == "1.234,5"
    with translation.override("en"):
        assert number_format(1234.5, 1, use_l10n=True, force_grouping=True) == "1,234.5"
