"""What the registers feed, in a real Chromium: an auditor cites an SLA month as evidence for a
checklist answer; the management review shows the inputs pre-filled from the registers; the
management PDF carries the SLA attainment chart (its text read with pdftotext, its page drawn as a
PNG with pdftoppm for a person to look at: set REGISTERS_FEED_ARTIFACTS to keep it)."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gapanalysis.models import Evidence
from projects.models import Role
from registers.models import PerformanceRating
from reports.services import report_request
from reports.tasks import render_report
from tests.browser.demo import serious_violations
from tests.factories import UserFactory, add_member, make_assessment, make_project, make_review
from tests.registers.builders import (
    make_actual,
    make_measurement,
    make_objective,
    make_service,
    make_supplier,
    make_target,
)

PASSWORD = "pw-for-tests-1"


def sign_in(page, live_server, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _months_back(n: int) -> dt.date:
    first = timezone.localdate().replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def _catalogue(project, owner):
    email = make_target(make_service(project, name="E-mail", owner=owner))
    desk = make_target(
        make_service(project, name="Service desk", owner=owner), measure="Resolved within 8 h", target="90"
    )
    for back, mail, fixes in ((3, "99.9", "93"), (2, "99.1", "91"), (1, "99.8", "84")):
        make_actual(email, month=_months_back(back), value=mail)
        make_actual(desk, month=_months_back(back), value=fixes)
    return email


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_an_auditor_cites_an_sla_month_as_evidence(transactional_db, live_server, page):
    lead, auditor = UserFactory(username="lena"), UserFactory(username="aud")
    project = make_project(lead=lead, name="Evidence project")
    add_member(project, auditor, Role.AUDITOR)
    target = _catalogue(project, lead)
    month = _months_back(2)
    assessment = make_assessment(project, user=lead, clause_numbers=["8.3.3"], auditors=[auditor])
    clause = f"/projects/{project.pk}/gap/{assessment.pk}/clauses/8.3.3/"

    sign_in(page, live_server, "aud", clause)
    page.get_by_test_id("cite-entry").first.click()
    expect(page.get_by_role("heading", name="Cite a register entry as evidence")).to_be_visible()
    assert serious_violations(page) == []
    label = f"SLA month: E-mail — Availability, {month:%B %Y}: 99.1% against 99.5% (missed)"
    row = page.get_by_test_id("citable-entries").locator("li", has_text=label)
    row.get_by_label("Note (optional)").fill("Storage failure")
    row.get_by_role("button", name=f"Cite {label}").click()

    expect(page.get_by_role("alert")).to_contain_text("Register entry cited as evidence.")
    cited = page.get_by_test_id("cited-entry")
    expect(cited).to_have_count(1)
    expect(cited).to_contain_text(f"SLA month: E-mail — Availability, {month:%B %Y}")
    evidence = Evidence.objects.get()
    assert (evidence.entry_kind, evidence.description) == ("sla_actual", "Storage failure")
    assert evidence.entry_id == target.actuals.get(month=month).pk
    cited.click()
    expect(page).to_have_url(f"{live_server.url}{target.get_absolute_url()}#actual-{evidence.entry_id}")


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_the_management_review_shows_inputs_prefilled_from_the_registers(transactional_db, live_server, page):
    lead, viewer = UserFactory(username="lena"), UserFactory(username="vera")
    project = make_project(lead=lead, name="Review project")
    add_member(project, viewer, Role.VIEWER)
    _catalogue(project, lead)
    make_supplier(project, name="Cool Air Ltd", performance_rating=PerformanceRating.POOR)
    make_measurement(make_objective(project, title="First-contact resolution", target="70"), value="65")
    review = make_review(project, user=lead, attendees=[viewer])

    sign_in(page, live_server, "vera", review.get_absolute_url())
    body = page.locator("main")
    expect(body).to_contain_text("SLA attainment, targets met of recorded, last six months")
    expect(body).to_contain_text("Objectives (1 active): 0 on target, 1 below target")
    expect(body).to_contain_text("Performing poorly or needing improvement: Cool Air Ltd (poor).")
    expect(body).to_contain_text("whether it is a relevant issue is not yet determined")
    assert serious_violations(page) == []


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_the_management_pdf_shows_the_sla_chart(transactional_db, live_server, page, media, tmp_path):
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="Chart project")
    _catalogue(project, lead)
    make_measurement(
        make_objective(project, title="First-contact resolution", target="70", unit="%", owner=lead),
        value="72",
    )
    report = report_request(project=project, kind="management", user=lead)
    assert render_report(report.pk) == "done"  # the worker's part, run here

    sign_in(page, live_server, "lena", f"/projects/{project.pk}/reports/")
    row = page.locator("[data-testid=report-table] tbody tr").first
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "management.pdf"
    shutil.copy(download_info.value.path(), pdf)

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    start = text.index("SLA attainment")
    section = text[start : text.index("Service management objectives", start)]
    assert "4 of 6 monthly SLA actuals met their target" in section
    for back in (1, 2, 3):
        assert f"{_months_back(back):%b %y}" in section  # the chart's month labels
    assert "100%" in section and "50%" in section
    assert "First-contact resolution" in text[start:] and "On target" in text[start:]

    page_number = text[:start].count("\f") + 1
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            str(page_number),
            "-l",
            str(page_number),
            str(pdf),
            str(tmp_path / "chart"),
        ],
        check=True,
    )
    png = next(tmp_path.glob("chart*.png"))
    assert png.stat().st_size > 5000
    keep = os.environ.get("REGISTERS_FEED_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / "management-sla-chart.png")
