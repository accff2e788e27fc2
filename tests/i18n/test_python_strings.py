"""Strings built in Python (services, e-mail subjects, charts, refusals) in the reader's language,
with dates and numbers in the locale's formats."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.utils import translation

from kernel.extensions import ReminderItem
from kernel.formtools import CONFLICT_MESSAGE
from notifications.reminders import Digest, digest_subject
from projects.timeline import timeline_chart
from registers.kinds import KINDS
from transfer.archive import ArchiveRefused
from transfer.verify import open_zip

GERMAN = {
    "SMS Tracker reminders for %(date)s: %(parts)s": "SMS-Tracker-Erinnerungen vom %(date)s: %(parts)s",
    "Someone else saved this {noun} while you were editing. The form now shows the saved version; "
    "make your change again if it is still needed.": "Jemand anderes hat diese(s) {noun} gespeichert.",
    "This is not a project archive, or it is truncated: the zip directory cannot be read.": (
        "Kein Projektarchiv."
    ),
    "service": "Dienst",
}
GERMAN_PLURAL = {
    "%(count)s item, %(overdue)s overdue": (
        "%(count)s Eintrag, %(overdue)s überfällig",
        "%(count)s Einträge, %(overdue)s überfällig",
    ),
}


@pytest.fixture
def german(monkeypatch):
    catalogue = translation.trans_real.translation("de")
    shipped, shipped_plural = catalogue.gettext, catalogue.ngettext
    monkeypatch.setattr(catalogue, "gettext", lambda message: GERMAN.get(message) or shipped(message))

    def ngettext(singular, plural, number):
        if singular not in GERMAN_PLURAL:
            return shipped_plural(singular, plural, number)
        return GERMAN_PLURAL[singular][0 if number == 1 else 1]

    monkeypatch.setattr(catalogue, "ngettext", ngettext)


def _item(n, due):
    return ReminderItem(1, 1, "P", "Task", f"T{n}", due, "projects:dashboard", (1,), f"task:{n}")


def test_the_digest_subject_reads_in_german_with_german_dates_and_numbers(german):
    today = dt.date(2026, 12, 6)
    own = [_item(n, today - dt.timedelta(days=n % 2)) for n in range(1234)]
    digest = Digest(user=None, own=own, escalated=[])
    with translation.override("en"):
        assert (
            digest_subject(digest, today=today)
            == "SMS Tracker reminders for 6 Dec 2026: 1,234 items, 617 overdue"
        )
    with translation.override("de"):
        assert (
            digest_subject(digest, today=today)
            == "SMS-Tracker-Erinnerungen vom 6. Dez 2026: 1.234 Einträge, 617 überfällig"
        )


def test_the_conflict_message_names_the_record_in_the_readers_language(german):
    with translation.override("de"):
        message = CONFLICT_MESSAGE.format(noun=translation.pgettext("record being edited", "task"))
    assert message.startswith("Jemand anderes hat diese(s)")
    with translation.override("de"):  # a register's noun is marked too
        assert str(KINDS["services"].noun) == "Dienst"
    assert KINDS["services"].noun_en == "service"


def test_timeline_ticks_use_the_locales_month_names():
    phases = [
        SimpleNamespace(
            label="1",
            title="A",
            display_title="A",
            status="in_progress",
            progress=0,
            planned_start=dt.date(2026, 1, 5),
            planned_end=dt.date(2026, 6, 30),
            actual_start=None,
            actual_end=None,
        )
    ]
    with translation.override("de"):
        chart = timeline_chart(phases, today=dt.date(2026, 3, 1), target=dt.date(2026, 6, 30))
    labels = [tick.label for tick in chart.ticks]
    assert "Mär 2026" in labels, labels


def test_an_archive_refusal_reads_in_german(german):
    with translation.override("de"), pytest.raises(ArchiveRefused) as refused:
        open_zip(io.BytesIO(b"not a zip"))
    assert str(refused.value) == "Kein Projektarchiv."


def test_reminder_items_are_worded_in_each_digest_readers_language():
    """The sweep collects items once for everyone; each digest words them in its reader's language."""
    import datetime

    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from kernel.i18n import worded_later

    category = gettext_lazy("Approval")
    title = worded_later(
        "Approve %(code)s v%(number)s %(title)s", {"code": "DOC-01", "number": 2, "title": "Scope"}
    )
    due = worded_later(
        "%(label)s (certified %(decision)s) must be held by %(due)s",
        {"label": "Surveillance 1", "decision": datetime.date(2026, 3, 2), "due": datetime.date(2027, 3, 2)},
    )
    assert (str(category), str(title)) == ("Approval", "Approve DOC-01 v2 Scope")
    assert str(due) == "Surveillance 1 (certified 2 Mar 2026) must be held by 2 Mar 2027"
    with translation.override("de"):
        german = (str(category), str(title), str(due))
        expected = translation.gettext("Approve %(code)s v%(number)s %(title)s") % {
            "code": "DOC-01",
            "number": 2,
            "title": "Scope",
        }
    assert german[0] != "Approval" and german[1] == expected != "Approve DOC-01 v2 Scope"
    from django.utils.formats import date_format

    with translation.override("de"):
        decided = date_format(datetime.date(2026, 3, 2), "DATE_FORMAT")
    assert decided.startswith("2. M") and decided in german[2], german[2]


@pytest.mark.django_db
def test_stored_queue_and_import_errors_read_in_the_readers_language():
    """Errors stored in English (compared by the views) are worded when shown."""
    from django.template.loader import render_to_string

    from reports.models import ReportStatus
    from reports.services import QUEUE_ERROR
    from tests.factories import make_project, make_report
    from transfer.services import SERVER_ERROR

    report = make_report(make_project(), status=ReportStatus.FAILED, error=QUEUE_ERROR)
    with translation.override("de"):
        german, german_server = translation.gettext(QUEUE_ERROR), translation.gettext(SERVER_ERROR)
        row = render_to_string(
            "reports/partials/report_row.html", {"report": report, "project": report.project}
        )
        progress = render_to_string(
            "transfer/partials/import_progress.html",
            {
                "job": SimpleNamespace(
                    status="failed", is_lost=False, error=SERVER_ERROR, pk=1, stage="", percent=0
                )
            },
        )
    assert german != QUEUE_ERROR and german in row and QUEUE_ERROR not in row
    assert german_server != SERVER_ERROR and german_server in progress and SERVER_ERROR not in progress


def test_a_translation_that_misnames_a_placeholder_falls_back_to_english(monkeypatch):
    """A reminder's text is worded inside the sweep: a broken translation must not stop the digests."""
    from kernel.i18n import worded_later

    monkeypatch.setattr(translation, "gettext", lambda message: "Genehmigen %(kode)s")
    assert str(worded_later("Approve %(code)s", {"code": "DOC-01"})) == "Approve DOC-01"


def test_an_import_reads_a_choice_in_the_importers_language_or_in_english():
    """A file exported in German or in English imports the same way, whichever language is active."""
    from registers.imports import _form_value

    issues = KINDS["issues"]
    with translation.override("de"):
        german = translation.gettext("External")
        assert german != "External"
        for text in (german, "External", "external"):
            assert _form_value(issues, "kind", text, None, []) == "external", text
