"""Journey 7 in a real Chromium with a real worker: a viewer asks for the management report, watches
the row change by itself (HTMX polling) and downloads the PDF."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, add_member, make_project

pytestmark = [pytest.mark.browser, pytest.mark.services]


def test_viewer_asks_for_a_report_and_downloads_it_when_the_worker_is_done(page, live_server, workers):
    project = make_project(name="Journey seven")
    add_member(project, UserFactory(username="vicky"), "viewer")
    workers.start("journey")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "vicky")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/projects/{project.pk}/reports/")
    expect(page.get_by_text("No reports yet")).to_be_visible()

    page.get_by_role("button", name="Generate PDF").click()

    expect(page.get_by_text("queued: this page shows its progress")).to_be_visible()
    row = page.locator("[data-testid=report-table] tbody tr").first
    expect(row.get_by_role("link", name="Download PDF")).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
