"""In a real Chromium: the lead of a new project sees what to do next, changes tasks in bulk from
the task list (select all, assign, confirm), and a comment's @mention reaches the outbox."""

import pytest
from playwright.sync_api import expect

from notifications.models import OutboxMessage
from projects.models import Task
from tests.browser.test_lead_journey import sign_in
from tests.factories import UserFactory, add_member, make_project, make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_follows_the_checklist_changes_tasks_in_bulk_and_mentions_a_member(page, live_server):
    lead = UserFactory(username="lena", first_name="Lena", last_name="Lead")
    project = make_project(lead=lead, name="Northwind ISO 20000")
    sign_in(page, live_server, "lena")

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    card = page.get_by_test_id("setup-checklist")
    expect(card).to_contain_text("0 of 4 done")
    card.get_by_role("link", name="Invite the team").click()
    expect(page).to_have_url(f"{live_server.url}/projects/{project.pk}/members/")

    carl = UserFactory(username="carl", first_name="Carl", last_name="Contributor")
    add_member(project, carl)
    for i in range(3):
        make_task(project, title=f"Write procedure {i}")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_test_id("setup-checklist")).to_contain_text("1 of 4 done")

    page.goto(f"{live_server.url}/projects/{project.pk}/tasks/")
    select_all = page.get_by_label("Select all tasks on this page")
    expect(select_all).to_be_hidden()  # the select boxes come with the bulk panel
    page.get_by_text("Change the selected tasks").click()
    select_all.check()
    page.select_option("#bulk-assignee", label="Carl Contributor")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_test_id("bulk-summary").locator("tbody tr")).to_have_count(3)
    page.get_by_role("button", name="Assign to Carl Contributor: 3 tasks").click()
    expect(page.get_by_text("Assign to Carl Contributor: done for 3 tasks.")).to_be_visible()
    assert set(Task.objects.filter(project=project).values_list("assignee__username", flat=True)) == {"carl"}

    page.get_by_role("link", name="Write procedure 0").click()
    page.fill("textarea[name=body]", "Please start with this one, @carl.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".comment .mention")).to_have_text("@carl")
    assert OutboxMessage.objects.filter(kind="mention", recipient=carl).count() == 1
