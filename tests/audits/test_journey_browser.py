"""Journey 4 in a real Chromium: the auditor records a minor nonconformity, the contributor adds
the root cause and a corrective action and reports it implemented, a different user verifies it,
and the finding closes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits import services
from projects.models import Role
from tests.factories import UserFactory, add_member, iso_template, make_audit, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()


def test_minor_nonconformity_from_record_to_verified_closure(page, live_server):
    iso_template()  # an earlier transactional test may have flushed the migration's template rows
    lead = UserFactory(username="lena")
    auditor, contributor = UserFactory(username="arno"), UserFactory(username="cora")
    project = make_project(lead=lead, name="Northwind")
    add_member(project, auditor, Role.AUDITOR)
    add_member(project, contributor, Role.CONTRIBUTOR)
    audit = make_audit(project, user=lead, lead_auditor=auditor, team=[auditor], scope=["9.2", "10.1"])
    services.audit_advance(audit=audit, user=auditor, to_status="in_progress")

    sign_in(page, live_server, "arno")
    page.goto(f"{live_server.url}{audit.get_absolute_url()}")
    page.get_by_role("link", name="Record a finding").click()
    page.select_option("select[name=grade]", "minor_nc")
    page.select_option("select[name=clause]", "9.2")
    page.fill("textarea[name=description]", "The March audit has no retained report.")
    page.fill("textarea[name=evidence]", "Audit folder checked on site; report missing.")
    page.select_option("select[name=owner]", label="cora")
    page.fill("input[name=due_date]", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record finding").click()
    expect(page.get_by_text("Finding F-1 recorded.")).to_be_visible()
    expect(page.get_by_test_id("finding-status")).to_contain_text("Open")

    sign_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/projects/{project.pk}/audits/findings/")
    page.get_by_role("link", name="F-1").click()
    page.get_by_test_id("respond").click()
    page.fill("textarea[name=correction]", "Report written up from the auditor's notes.")
    page.fill("textarea[name=root_cause]", "Nobody was responsible for filing audit reports.")
    # The two 10.1 questions: without answers the nonconformity cannot be verified closed.
    page.fill("textarea[name=similar_nonconformities]", "Checked the other audit folders; all filed.")
    page.fill("textarea[name=actions_appropriate]", "Yes: a named owner fits one missing report.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("root-cause")).to_contain_text("Nobody was responsible")
    page.get_by_test_id("add-action").click()
    page.fill("textarea[name=description]", "Name the lead auditor as owner of the report in the procedure.")
    page.fill("input[name=due_date]", (timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Add action").click()
    page.get_by_label("What was done").fill("Procedure IA-01 updated and briefed.")
    page.get_by_role("button", name="Report implemented").click()
    expect(page.get_by_test_id("finding-status")).to_contain_text("Awaiting verification")
    expect(page.get_by_role("button", name="Record verification")).to_have_count(0)  # not their own

    sign_in(page, live_server, "arno")
    page.goto(f"{live_server.url}/projects/{project.pk}/audits/findings/?show=all")
    page.get_by_role("link", name="F-1").click()
    page.get_by_label("Effective", exact=True).check()
    page.get_by_label("What you checked").fill("Procedure revision 2 seen; April report filed.")
    page.get_by_role("button", name="Record verification").click()
    expect(page.get_by_text("Verified effective.", exact=True)).to_be_visible()
    expect(page.get_by_test_id("finding-status")).to_contain_text("Closed")
    expect(page.locator(".lifecycle")).to_contain_text("closed")
