"""Issue 12, item 2, in Chromium: the author is warned that they approve their own draft and names
another approver on the page; sending the version for review puts it under "Waiting for my
approval" on the approver's My work and an e-mail to them in the outbox."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import Document
from notifications.models import OutboxMessage
from projects.models import Role
from tests.factories import UserFactory, add_member, add_version, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()


def test_submitting_a_version_puts_it_in_the_approvers_my_work_and_the_outbox(page, live_server):
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="Journey project")
    author = UserFactory(username="carl", first_name="Carl", last_name="Author")
    approver = UserFactory(username="victor", first_name="Victor", last_name="Approver")
    add_member(project, author, Role.CONTRIBUTOR)
    add_member(project, approver, Role.VIEWER)
    policy = Document.objects.get(project=project, mandatory_code="DOC-02")
    policy.owner, policy.approver = author, author  # the author named themselves: a trap today
    policy.save()
    add_version(policy, author, change_summary="First issue for the board")

    sign_in(page, live_server, "carl", f"/projects/{project.pk}/documents/{policy.pk}/")
    warning = page.get_by_test_id("approver-warning")
    expect(warning).to_contain_text("wrote this version and is also its approver")
    expect(page.get_by_role("button", name=re.compile("Ask .* for review"))).to_have_count(0)
    warning.get_by_label("New approver").select_option(label="Victor Approver")
    warning.get_by_role("button", name="Change approver").click()
    expect(page.get_by_role("alert")).to_contain_text("Victor Approver now approves this document")
    page.get_by_role("button", name="Ask Victor Approver for review").click()
    expect(page.get_by_role("alert")).to_contain_text("sent to Victor Approver for approval")

    message = OutboxMessage.objects.get(kind="review_request")
    assert message.recipient == approver and message.to_email == approver.email
    assert message.subject.startswith("Please approve DOC-02 v1")

    sign_in(page, live_server, "victor", "/my-work/")
    waiting = page.get_by_test_id("waiting")
    expect(waiting.get_by_test_id("waiting-versions")).to_contain_text("1")
    link = waiting.get_by_role("link", name=re.compile("DOC-02 v1"))
    expect(link).to_be_visible()
    expect(waiting).to_contain_text("from Carl Author")
    link.click()
    expect(page.get_by_role("button", name="Approve version 1")).to_be_visible()
