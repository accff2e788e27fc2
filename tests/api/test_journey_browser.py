"""In Chromium: a user makes a token on the account page, a script uses it, the user sees its last
use and revokes it; the Swagger UI renders from our static files under the CSP (the autouse
no_csp_violations fixture fails the test on any refused inline code)."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.factories import UserFactory, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/projects/"))


def test_token_made_used_and_revoked(page, live_server):
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="API project")
    _sign_in(page, live_server, "lena")
    page.goto(f"{live_server.url}/account/tokens/")
    page.get_by_label("Name").fill("Nightly export")
    page.get_by_label("Scope").select_option("read")
    page.get_by_label("Project").select_option(label="API project")
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("New token").input_value()
    assert token.startswith("smst_")

    script = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert script.get(f"/api/v1/projects/{project.pk}/tasks/").status_code == 200

    page.goto(f"{live_server.url}/account/tokens/")  # not shown again; its last use is
    expect(page.get_by_label("New token")).to_have_count(0)
    row = page.get_by_role("row", name=re.compile("Nightly export"))
    expect(row).to_contain_text("Read")
    expect(row).not_to_contain_text("Never")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("row", name=re.compile("Nightly export"))).to_contain_text("Revoked")
    assert script.get(f"/api/v1/projects/{project.pk}/tasks/").status_code == 401


def test_swagger_ui_renders_under_the_policy(page, live_server):
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/api/v1/projects/{project_id}/tasks/").first).to_be_visible()
