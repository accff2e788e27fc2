"""E-mails in the recipient's language, PDFs in the project's (else the asker's), Chinese glyphs in PDFs."""

import datetime as dt
import io
import re
import subprocess

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from identity.models import LanguagePreference
from kernel.i18n import languages_of
from projects.models import Role
from reports.models import ReportTrigger
from reports.schedules import monthly_report_mail
from reports.services import report_language, report_request
from reports.tasks import render_report
from tests.factories import UserFactory, add_member, make_project, make_report

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC)


def _speaks(user, language):
    LanguagePreference.objects.create(user=user, language=language)
    return user


def test_each_recipient_gets_the_monthly_report_mail_in_their_language(media):
    lead = _speaks(UserFactory(username="lena"), "de")
    project = make_project(lead=lead)
    viewer = UserFactory(username="victor")  # chose nothing: English
    add_member(project, viewer, Role.VIEWER)
    finished = timezone.make_aware(dt.datetime(2026, 12, 5, 9))
    report = make_report(project, trigger=ReportTrigger.SCHEDULED)
    report.finished_at = finished
    report.save()
    ids = monthly_report_mail(report=report)
    assert len(ids) == 2
    subjects = _subjects(ids)
    assert subjects["lena"].endswith("Dezember 2026")  # Django's German month name
    assert subjects["victor"].endswith("December 2026")


def _subjects(ids):
    from kernel.outbox import OutboxMessage

    return {m.recipient.username: m.subject for m in OutboxMessage.objects.filter(pk__in=ids)}


def test_languages_of_reads_everyones_choice_in_one_query(django_assert_num_queries):
    people = [_speaks(UserFactory(), "fr"), UserFactory(), _speaks(UserFactory(), "zh-hans")]
    with django_assert_num_queries(1):
        assert list(languages_of([p.pk for p in people]).values()) == ["fr", "en", "zh-hans"]
    many = [UserFactory() for _ in range(20)]
    with django_assert_num_queries(1):
        languages_of([p.pk for p in many])


def test_a_report_is_in_the_projects_language_else_the_askers():
    asker = _speaks(UserFactory(), "fr")
    project = make_project(lead=asker)
    on_demand = make_report(project, user=asker)
    scheduled = make_report(project, trigger=ReportTrigger.SCHEDULED)
    assert (report_language(on_demand), report_language(scheduled)) == ("fr", "en")
    project.report_language = "es"
    project.save()
    on_demand.refresh_from_db()
    scheduled.refresh_from_db()
    assert (report_language(on_demand), report_language(scheduled)) == ("es", "es")


def _render_scheduled(project, django_capture_on_commit_callbacks) -> bytes:
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            project=project, kind="management", user=None, trigger=ReportTrigger.SCHEDULED
        )
    assert render_report(report.pk) == "done"
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        return handle.read()


def _text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@time_machine.travel(NOW, tick=False)
def test_a_scheduled_pdf_is_in_the_projects_language(media, django_capture_on_commit_callbacks):
    target = dt.date(2027, 9, 9)
    project = make_project(report_language="de", target_certification_date=target)
    text = _text(_render_scheduled(project, django_capture_on_commit_callbacks))
    assert "9. Sep 2027" in text  # the target date, written the German way
    english = make_project(name="English one", target_certification_date=target)
    assert "9 Sep 2027" in _text(_render_scheduled(english, django_capture_on_commit_callbacks))


@time_machine.travel(NOW, tick=False)
def test_a_chinese_pdf_embeds_a_cjk_font_and_keeps_the_text(
    media, django_capture_on_commit_callbacks, tmp_path
):
    project = make_project(name="服务管理体系试点项目", report_language="zh-hans")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_render_scheduled(project, django_capture_on_commit_callbacks))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Noto-?Sans-?CJK-?SC", fonts), fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "服务管理体系试点项目" in text
    assert "2027年" in text  # dates in the Chinese form


# Report words whose German differs from the English (a one-word heading like "Status" may not);
# not narrow table headings, which the PDF hyphenates ("Ge- plant").
REPORT_WORDS = ("overall progress", "overdue tasks", "readiness blockers", "Owner")


@time_machine.travel(NOW, tick=False)
def test_a_german_pdf_reads_in_german(media, django_capture_on_commit_callbacks):
    """Headings from the catalogue and the shipped phase titles, in German; not their English."""
    from django.utils import translation

    from projects.roadmap import ROADMAP_BY_KEY

    project = make_project(report_language="de", target_certification_date=dt.date(2027, 9, 9))
    text = _text(_render_scheduled(project, django_capture_on_commit_callbacks))
    with translation.override("de"):
        german = {word: translation.gettext(word) for word in REPORT_WORDS}
        phase_title = ROADMAP_BY_KEY["1"].title
    assert all(german[word] != word for word in REPORT_WORDS), german
    for word, translated in german.items():
        assert translated in text, translated
        assert word not in text, word
    assert phase_title in text and ROADMAP_BY_KEY["1"].english_title not in text


def test_a_german_reader_gets_the_monthly_report_mail_in_german(media):
    from django.utils import translation

    from kernel.outbox import OutboxMessage

    lead = _speaks(UserFactory(username="lena", first_name="Lena"), "de")
    project = make_project(lead=lead)
    report = make_report(project, trigger=ReportTrigger.SCHEDULED)
    report.finished_at = timezone.make_aware(dt.datetime(2026, 12, 5, 9))
    report.save()
    (message_id,) = monthly_report_mail(report=report)
    body = OutboxMessage.objects.get(pk=message_id).body_text
    from django.utils.formats import date_format

    with translation.override("de"):
        greeting = translation.gettext("Hello %(name)s,") % {"name": "Lena"}
        month = date_format(dt.date(2026, 12, 1), "YEAR_MONTH_FORMAT")
    assert greeting != "Hello Lena," and greeting in body
    assert month.startswith("Dez") and month in body and "attached is" not in body
