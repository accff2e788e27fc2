"""Journey 1 in a real Chromium: the lead creates a project, sees the fourteen phases,
adds a task inline, completes it and sees the progress change."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("progress_refresh_inline"),  # no worker here: the refresh runs in-process
]


def sign_in(page, live_server, username, password="pw-for-tests-1"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()


def test_lead_creates_project_adds_and_completes_a_task(page, live_server):
    UserFactory(username="lena")
    sign_in(page, live_server, "lena")

    page.get_by_role("link", name="Create your first project").click()
    page.fill("input[name=name]", "Northwind ISO 20000")
    page.fill("input[name=organisation]", "Northwind Hosting")
    target = timezone.localdate() + timedelta(days=270)
    page.fill("input[name=target_certification_date]", target.isoformat())
    page.get_by_role("button", name="Create project").click()

    expect(page.get_by_text("Project created.")).to_be_visible()
    expect(page.get_by_test_id("overall-progress")).to_have_text("0%")

    page.get_by_role("link", name="Roadmap", exact=True).click()
    rows = page.locator("[data-testid=phase-table] tbody tr")
    expect(rows).to_have_count(14)
    expect(rows.first).to_contain_text("Secure management support")
    expect(rows.last).to_contain_text("Certification Stage 2")

    # Phase 8's progress comes from its tasks alone (others also count documents, audits...).
    page.get_by_role("link", name="Train staff and raise awareness").click()
    expect(page.get_by_text("No tasks yet.")).to_be_visible()
    page.fill("#quick-task-form input[name=title]", "Run the awareness session for the service desk")
    page.get_by_role("button", name="Add task").click()
    row = page.locator("#task-rows tr", has_text="Run the awareness session for the service desk")
    expect(row).to_be_visible()
    expect(page.get_by_text("No tasks yet.")).to_have_count(0)
    expect(page.locator("#phase-progress")).to_contain_text("0%")

    row.get_by_role("checkbox").check()
    expect(page.locator("#phase-progress")).to_contain_text("100%")
    expect(
        page.locator("#task-rows tr.task-done", has_text="Run the awareness session for the service desk")
    ).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_test_id("overall-progress")).not_to_have_text("0%")
    expect(
        page.get_by_text("Task “Run the awareness session for the service desk” completed")
    ).to_be_visible()
