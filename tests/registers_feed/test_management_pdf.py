"""The management PDF gains an SLA attainment chart (server-side SVG) and an objectives table."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
import time_machine
from pypdf import PdfReader

from registers.attainment import sla_attainment
from registers.charts import attainment_chart
from reports.services import report_request
from reports.tasks import render_report
from tests.registers.builders import make_actual, make_measurement, make_objective, make_service, make_target


def _fill(project, owner):
    email = make_target(make_service(project, name="E-mail"))
    desk = make_target(make_service(project, name="Service desk"), measure="Resolved within 8 h", target="90")
    for month, (mail, fixes) in {
        dt.date(2026, 8, 1): ("99.9", "93"),
        dt.date(2026, 9, 1): ("99.1", "91"),
        dt.date(2026, 10, 1): ("99.8", "84"),
    }.items():
        make_actual(email, month=month, value=mail)
        make_actual(desk, month=month, value=fixes)
    objective = make_objective(project, title="First-contact resolution", target="70", unit="%", owner=owner)
    make_measurement(objective, measured_on=dt.date(2026, 10, 31), value="72")
    make_objective(project, title="Customer satisfaction", measure="CSAT", target="4.2")


def test_the_chart_has_a_bar_per_month_coloured_by_attainment(world):
    _fill(world.project, world.user("lead"))
    months = sla_attainment(world.project, today=dt.date(2026, 11, 5), months=4)
    assert [(m.label, m.met, m.total) for m in months] == [
        ("Aug 2026", 2, 2), ("Sep 2026", 1, 2), ("Oct 2026", 1, 2), ("Nov 2026", 0, 0),
    ]  # fmt: skip
    chart = attainment_chart(months)
    assert [b.value for b in chart["bars"]] == ["100%", "50%", "50%", "—"]
    assert chart["bars"][0].height == 160 and chart["bars"][3].height == 0


@time_machine.travel(dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC), tick=False)
def test_the_management_pdf_shows_the_sla_chart_and_the_objectives_table(
    world, media, django_capture_on_commit_callbacks, tmp_path
):
    _fill(world.project, world.user("lead"))
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(project=world.project, kind="management", user=world.user("lead"))
    assert render_report(report.pk) == "done"
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        content = handle.read()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    assert "SLA attainment" in text
    assert "4 of 6 monthly SLA actuals met their target" in text
    for label in ("Aug 26", "Sep 26", "Oct 26", "100%", "50%"):
        assert label in text  # the SVG chart's text is in the PDF
    assert "Service management objectives" in text
    assert "First-contact resolution" in text and "On target" in text
    assert "Customer satisfaction" in text and "No measurement yet" in text
    pdf = tmp_path / "management.pdf"
    pdf.write_bytes(content)
    assert shutil.which("pdftotext"), "poppler-utils (scripts/system-deps.sh) is missing"
    plain = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    start = plain.index("SLA attainment")
    chart = plain[start : plain.index("Service management objectives", start)]
    assert "Dec 25" in chart and "Nov 26" in chart and "100%" in chart  # the axis and the bars' labels


@pytest.mark.parametrize("objectives", [0])
def test_without_register_data_the_sections_say_what_to_do(
    world, media, django_capture_on_commit_callbacks, objectives
):
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(project=world.project, kind="management", user=world.user("lead"))
    assert render_report(report.pk) == "done"
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "No monthly SLA actuals recorded in the last twelve months" in text
    assert "No active service management objectives" in text
