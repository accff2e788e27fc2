"""The activity feed in the reader's language: a line stores its message id and values, not an
English sentence, and is worded when shown (projects/activity.py). Old lines show their summary."""

import datetime as dt

import pytest
from django.utils import translation

from identity.models import LanguagePreference
from projects import services
from projects.bulk import BulkAction, BulkChange, tasks_bulk_update
from projects.models import Activity, Role, Task
from tests.factories import UserFactory, add_member, make_project

pytestmark = pytest.mark.django_db

GERMAN = {
    "Task “%(title)s” created": "Aufgabe „%(title)s“ angelegt",
    "%(username)s is now %(role)s": "%(username)s ist jetzt %(role)s",
    "Viewer": "Betrachter",
    "Set the due date to %(date)s": "Fälligkeit auf %(date)s setzen",
}
GERMAN_PLURAL = {
    "%(count)s task changed: %(change)s": (
        "%(count)s Aufgabe geändert: %(change)s",
        "%(count)s Aufgaben geändert: %(change)s",
    ),
}


@pytest.fixture
def german(monkeypatch):
    """A German catalogue with a few entries, whatever the shipped catalogue holds today."""
    catalogue = translation.trans_real.translation("de")
    shipped = catalogue.gettext  # Django's own German (month names) stays
    monkeypatch.setattr(catalogue, "gettext", lambda message: GERMAN.get(message) or shipped(message))

    def ngettext(singular, plural, number):
        forms = GERMAN_PLURAL.get(singular, (singular, plural))
        return forms[0] if number == 1 else forms[1]

    monkeypatch.setattr(catalogue, "ngettext", ngettext)
    return catalogue


def test_a_line_recorded_by_an_english_user_reads_in_german(german):
    lead = UserFactory(username="ellen")
    project = make_project(lead=lead)
    with translation.override("en"):
        services.task_create(
            project=project, user=lead, phase=project.phases.get(key="5"), title="Write the policy"
        )
    line = Activity.objects.filter(project=project, verb="task created").get()
    assert line.message == "Task “%(title)s” created"
    assert line.values == {"title": "Write the policy"}
    assert line.summary == "Task “Write the policy” created"  # English, for exports and old readers
    with translation.override("de"):
        assert line.text == "Aufgabe „Write the policy“ angelegt"
    with translation.override("en"):
        assert line.text == "Task “Write the policy” created"


def test_a_choice_is_stored_as_its_key_and_worded_when_shown(german):
    lead = UserFactory(username="ellen")
    project = make_project(lead=lead)
    member = add_member(project, UserFactory(username="vic"), Role.CONTRIBUTOR)
    with translation.override("de"):  # who records it does not matter
        services.membership_change_role(membership=member, role=Role.VIEWER, user=lead)
    line = Activity.objects.get(project=project, verb="role changed")
    assert line.values["role"]["key"] == "viewer"
    assert line.summary == "vic is now viewer"
    with translation.override("de"):
        assert line.text == "vic ist jetzt Betrachter"  # German keeps its capitals


def test_a_counted_line_uses_the_plural_and_dates_in_the_locale_format(german):
    lead = UserFactory(username="ellen")
    project = make_project(lead=lead)
    tasks = [
        services.task_create(
            project=project,
            user=lead,
            phase=project.phases.get(key="5"),
            title=f"Task {n}",
            due_date=dt.date(2026, 11, 30),
        )
        for n in range(2)
    ]
    change = BulkChange(action=BulkAction.DUE, due_date=dt.date(2026, 12, 6))
    versions = {t.pk: Task.objects.get(pk=t.pk).version for t in tasks}
    tasks_bulk_update(project=project, user=lead, change=change, versions=versions)
    line = Activity.objects.get(project=project, verb="tasks changed")
    assert line.summary == "2 tasks changed: set the due date to 6 Dec 2026"
    with translation.override("de"):
        assert line.text == "2 Aufgaben geändert: fälligkeit auf 6. Dez 2026 setzen"


def test_an_old_line_shows_its_summary_in_every_language():
    project = make_project(lead=UserFactory())
    line = Activity.objects.create(project=project, verb="x", summary="Something happened long ago")
    with translation.override("de"):
        assert line.text == "Something happened long ago"


@pytest.fixture
def language_kept():
    """A request activates its reader's language in this thread; the tests after it keep theirs."""
    language = translation.get_language()
    yield
    translation.activate(language)


def test_the_dashboard_shows_the_feed_in_the_readers_language(client, german, language_kept):
    lead = UserFactory(username="ellen")
    project = make_project(lead=lead)
    services.task_create(
        project=project, user=lead, phase=project.phases.get(key="5"), title="Write the policy"
    )
    LanguagePreference.objects.create(user=lead, language="de")
    client.force_login(lead)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Aufgabe „Write the policy“ angelegt" in page
    assert "Task “Write the policy” created" not in page


def test_a_shipped_phase_title_reads_in_the_readers_language_a_changed_one_as_written():
    from projects import activity

    project = make_project(lead=UserFactory())
    phase = project.phases.order_by("order").first()
    shipped = Activity(
        message="Phase %(label)s %(title)s", values={"label": "1", "title": activity.phase_title(phase)}
    )
    with translation.override("de"):
        german = phase.definition.title
    assert german != phase.definition.english_title  # the roadmap ships German
    with translation.override("de"):
        assert shipped.text.endswith(german)
    phase.title = "Our own start"
    changed = Activity(
        message="Phase %(label)s %(title)s", values={"label": "1", "title": activity.phase_title(phase)}
    )
    with translation.override("de"):
        assert changed.text.endswith("Our own start")
