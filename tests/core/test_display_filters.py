"""One way to show dates, people, phases and empty choices: the filters every template uses."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.utils import timezone

from kernel.templatetags.choices import option_label
from kernel.templatetags.dates import day, day_time, month
from kernel.templatetags.people import person
from kernel.templatetags.phases import phase_name
from tests.factories import UserFactory, make_project

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def in_tokyo():
    with timezone.override(TOKYO):
        yield


def test_a_day_of_the_current_year_has_no_year_another_year_has_it(in_tokyo):
    this_year = timezone.localdate().year
    assert day(datetime.date(this_year, 12, 3)) == "3 Dec"
    assert day(datetime.date(this_year + 1, 12, 3)) == f"3 Dec {this_year + 1}"
    assert day(datetime.date(this_year - 1, 7, 9)) == f"9 Jul {this_year - 1}"


def test_datetimes_are_shown_in_the_readers_time_zone_across_the_year_boundary(in_tokyo, time_machine):
    # 31 Dec 2026 20:00 UTC is already 1 Jan 2027 05:00 in Tokyo: a Tokyo reader's "today" is in 2027.
    time_machine.move_to(datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC), tick=False)
    moment = datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC)
    assert day(moment) == "1 Jan"
    assert day_time(moment) == "1 Jan 05:00"
    # The UTC year's last day is last year for that reader.
    assert day(datetime.date(2026, 12, 31)) == "31 Dec 2026"
    with timezone.override(datetime.UTC):
        assert day(moment) == "31 Dec"
        assert day(datetime.date(2027, 1, 1)) == "1 Jan 2027"


def test_a_pdf_always_writes_the_year(in_tokyo):
    this_year = timezone.localdate().year
    assert day(datetime.date(this_year, 12, 3), "year") == f"3 Dec {this_year}"
    assert str(this_year) in day_time(timezone.now(), "year")


def test_month_always_carries_the_year_so_an_axis_cannot_be_read_as_days():
    assert month(datetime.date(2026, 7, 1)) == "Jul 2026"
    assert month(datetime.datetime(2027, 1, 15, 3, tzinfo=datetime.UTC)) == "Jan 2027"


def test_nothing_gives_an_empty_string_so_default_applies():
    assert day(None) == day_time(None) == month(None) == ""
    rendered = engines["django"].from_string('{{ d|day|default:"—" }}').render({"d": None})
    assert rendered == "—"


@pytest.mark.django_db
def test_people_by_full_name_username_only_as_fallback():
    assert person(UserFactory(username="lena", first_name="Lena", last_name="Lead")) == "Lena Lead"
    assert person(UserFactory(username="anon", first_name="", last_name="")) == "anon"
    assert person(None) == "—"
    assert person(None, "unassigned") == "unassigned"


@pytest.mark.django_db
def test_a_phase_is_named_not_just_numbered():
    project = make_project(lead=UserFactory())
    phase = project.phases.get(key="6")
    assert phase_name(phase).startswith("6. ")
    assert phase.title[:20] in phase_name(phase)
    assert phase_name(phase, 10) == f"6. {phase.title[:9]}…"
    assert phase_name(None) == "—"


def test_an_empty_choice_says_what_nothing_means():
    assert option_label({"name": "assignee", "label": "---------"}) == "— Unassigned —"
    assert option_label({"name": "task-owner", "label": "---------"}) == "— Nobody yet —"
    assert option_label({"name": "grade", "label": "---------"}) == "— Choose —"
    assert option_label({"name": "assignee", "label": "Lena Lead"}) == "Lena Lead"


def test_the_filters_are_available_in_every_template_without_load():
    template = engines["django"].from_string("{{ d|day }} {{ d|month }} {{ u|person }}")
    assert template.render({"d": datetime.date(2001, 2, 3), "u": None}) == "3 Feb 2001 Feb 2001 —"
