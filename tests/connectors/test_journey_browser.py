"""In a real Chromium: the lead adds a Jira connector, tests the connection and sees a synced
connector's tickets escaped with its progress; adds a CSV connector, maps an export's columns, sees a
row-numbered error, fixes the mapping and imports. No CSP violation, no serious axe finding."""

import pytest
from playwright.sync_api import expect

from connectors.models import Connector
from connectors.sync import run_sync
from tests.browser.demo import serious_violations
from tests.browser.test_lead_journey import sign_in
from tests.connectors.fake_tools import FakeTool
from tests.factories import UserFactory, make_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.connectors,
    pytest.mark.timeout(180),
    pytest.mark.django_db(transaction=True),
]

EXPORT = (
    "Ref,Subject,Kind,When\nT-1,Disk <b>full</b>,Incident,2026-04-01 10:00\nT-2,Printer,Incident,1 April\n"
)


def test_lead_connects_syncs_and_imports(page, live_server, tmp_path, settings):
    settings.CONNECTOR_PAGE_SIZE = 10
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="Northwind")
    sign_in(page, live_server, "lena")
    with FakeTool("jira", count=12) as jira:
        page.goto(f"{live_server.url}/projects/{project.pk}/connectors/")
        expect(page.get_by_text("No connectors yet.")).to_be_visible()
        page.get_by_role("link", name="Add connector").click()
        page.select_option("select[name=kind]", "jira")
        page.fill("input[name=name]", "Service desk")
        page.fill("input[name=base_url]", jira.url)
        page.fill("input[name=username]", "bot@example.com")
        page.fill("input[name=secret]", "good-token")
        page.get_by_role("button", name="Add connector").click()
        expect(page.get_by_text("Credentials: stored")).to_be_visible()
        page.get_by_role("button", name="Test connection").click()
        expect(page.get_by_text("Connected to Jira as Sync <b>bot</b>.")).to_be_visible()
        run_sync(Connector.objects.get(name="Service desk").pk, trigger="manual")  # what the worker does
        page.reload()
        expect(page.get_by_test_id("sync-progress")).to_contain_text("12 tickets read")
        expect(page.get_by_test_id("ticket-table").locator("tbody tr")).to_have_count(12)
        expect(page.get_by_text("Ticket 1 <script>alert(1)</script>")).to_be_visible()  # shown as text
        page.screenshot(path=str(tmp_path / "connector.png"), full_page=True)
        assert serious_violations(page) == []

    page.goto(f"{live_server.url}/projects/{project.pk}/connectors/new/")
    page.select_option("select[name=kind]", "csv")
    page.fill("input[name=name]", "Old helpdesk")
    page.get_by_role("button", name="Add connector").click()
    page.get_by_role("link", name="Import a file").click()
    (tmp_path / "export.csv").write_text(EXPORT)
    page.set_input_files("input[name=file]", str(tmp_path / "export.csv"))
    page.get_by_role("button", name="Upload and map columns").click()
    page.select_option("select[name=map_external_id]", "Ref")
    page.select_option("select[name=map_title]", "Subject")
    page.select_option("select[name=map_opened_at]", "When")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("Row 3, Created is not a date and time")
    assert serious_violations(page) == []
    page.select_option("select[name=map_opened_at]", "")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("Disk <b>full</b>")
    page.get_by_role("button", name="Import 2 tickets").click()
    expect(page.get_by_text("Imported 2 tickets: 2 new, 0 changed, 0 unchanged.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "import.png"), full_page=True)
