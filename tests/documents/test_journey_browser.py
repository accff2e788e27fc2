"""Journey 3 of PRODUCT.md in a real Chromium: the author uploads a draft and asks for review,
the approver approves, and the register's coverage rises at once."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import Document
from projects.models import Role
from tests.factories import PDF_BYTES, UserFactory, add_member, make_project

PASSWORD = "pw-for-tests-1"


def sign_in(page, live_server, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
def test_author_uploads_draft_asks_for_review_approver_approves_and_coverage_rises(
    transactional_db, live_server, page
):
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="Journey project")
    author, approver = UserFactory(username="carl"), UserFactory(username="victor")
    add_member(project, author, Role.CONTRIBUTOR)
    add_member(project, approver, Role.VIEWER)
    policy = Document.objects.get(project=project, mandatory_code="DOC-02")
    policy.owner, policy.approver = author, approver
    policy.save()
    register = f"/projects/{project.pk}/documents/"

    sign_in(page, live_server, "carl", register)
    expect(page.get_by_test_id("coverage")).to_have_text("0 / 42")
    page.get_by_role("link", name="DOC-02").click()
    page.get_by_role("link", name="Add first version").click()
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "service-policy.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_label("Change summary").fill("First issue for the board")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 1 saved as a draft")
    page.get_by_role("button", name=re.compile("Ask .* for review")).click()
    expect(page.get_by_role("alert")).to_contain_text("sent to victor for approval")
    expect(page.get_by_role("button", name="Approve version 1")).to_have_count(0)  # the author cannot

    sign_in(page, live_server, "victor", f"/projects/{project.pk}/documents/{policy.pk}/")
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 1 approved")
    expect(page.get_by_test_id("next-review")).not_to_have_text("—")
    page.get_by_role("link", name="← Register").click()
    expect(page.get_by_test_id("coverage")).to_have_text("1 / 42")
    expect(page.locator("tr", has_text="DOC-02")).to_contain_text("Approved")
