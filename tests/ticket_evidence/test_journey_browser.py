"""In a real Chromium (issue 24, "Done when"): the lead connects a CSV export, imports last month's
tickets, maps incidents to 8.6.1, freezes the month and sees its figures; the auditor draws a sample,
marks a ticket not conforming and records it as a finding. No CSP violation, no serious axe finding."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Finding, FindingSource
from projects.models import Role
from tests.browser.demo import serious_violations
from tests.browser.test_lead_journey import sign_in
from tests.factories import UserFactory, add_member, iso_template, make_project

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240), pytest.mark.django_db(transaction=True)]


def export_of_last_month() -> str:
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    rows = ["Id,Title,Type,Queue,Created,Resolved"]
    for day, hours, title in (
        (2, 3, "Mail down"),
        (3, 12, "VPN <b>broken</b>"),
        (4, 5, "Printer"),
        (5, 1, "Disk full"),
    ):
        opened = f"{month:%Y-%m}-{day:02d} 09:00"
        resolved = (timezone.datetime(month.year, month.month, day, 9) + timedelta(hours=hours)).strftime(
            "%Y-%m-%d %H:%M"
        )
        rows.append(f"INC-{day},{title},Incident,Service Desk,{opened},{resolved}")
    rows.append(f"REQ-1,New laptop,Service request,Service Desk,{month:%Y-%m}-06 10:00,")
    return "\n".join(rows) + "\n"


def test_connect_sync_see_figures_sample_and_record_a_failure(page, live_server, tmp_path):
    iso_template()  # the clause library: a transactional test before this one may have flushed it
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="Northwind")
    add_member(project, UserFactory(username="aude"), Role.AUDITOR)
    base = f"{live_server.url}/projects/{project.pk}"

    sign_in(page, live_server, "lena")
    page.goto(f"{base}/connectors/new/")
    page.select_option("select[name=kind]", "csv")
    page.fill("input[name=name]", "Helpdesk export")
    page.get_by_role("button", name="Add connector").click()
    page.get_by_role("link", name="Import a file").click()
    (tmp_path / "export.csv").write_text(export_of_last_month())
    page.set_input_files("input[name=file]", str(tmp_path / "export.csv"))
    page.get_by_role("button", name="Upload and map columns").click()
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import 5 tickets").click()
    expect(page.get_by_text("Imported 5 tickets")).to_be_visible()

    page.goto(f"{base}/ticket-evidence/rules/")
    page.select_option("select[name=field]", "ticket_type")
    page.fill("input[name=value]", "incident")
    page.select_option("select[name=clause]", "8.6.1")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_test_id("rules")).to_contain_text("8.6.1 Incident management")
    page.goto(f"{base}/ticket-evidence/")
    page.get_by_role("button", name="Freeze closed months").click()
    expect(page.get_by_text("1 month frozen as operating evidence.")).to_be_visible()
    figures = page.get_by_test_id("figures-8-6-1")
    expect(figures.get_by_test_id("volume").first).to_have_text("4")
    expect(page.locator("#process-8-6-1 svg.ticket-chart")).to_be_visible()
    expect(page.get_by_test_id("populations")).to_contain_text("4")
    assert serious_violations(page) == []
    page.goto(f"{base}/documents/operation/8-6-1/")
    expect(page.get_by_test_id("ticket-panel")).to_contain_text("Figures from the ticketing tool")

    page.context.clear_cookies()
    sign_in(page, live_server, "aude")
    page.goto(f"{base}/ticket-evidence/")
    page.get_by_test_id("populations").get_by_role("link").first.click()
    expect(page.get_by_text("VPN <b>broken</b>")).to_be_visible()  # shown as text, not markup
    page.get_by_role("button", name="Draw a sample").click()
    expect(page.get_by_test_id("sample-facts")).to_contain_text("4 of 4 tickets")
    row = page.get_by_test_id("worksheet").locator("tbody tr").first
    ticket_id = row.locator(".fw-semibold").inner_text()
    row.get_by_label("Not conforming").check()
    row.locator("textarea").fill("Closed without the caller's confirmation")
    row.get_by_role("button", name="Save mark").click()
    expect(page.get_by_text(f"Ticket {ticket_id} marked.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Raise a finding").click()
    page.get_by_role("button", name="Raise finding").click()
    expect(page.get_by_text("raised from the sample")).to_be_visible()
    finding = Finding.objects.get(project=project)
    assert finding.source == FindingSource.SAMPLE and ticket_id in finding.source_reference
    expect(page.get_by_text("Auditor's sample of operating records").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "finding.png"), full_page=True)
