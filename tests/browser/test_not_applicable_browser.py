"""In the browser: choosing "Not applicable" without a reason is refused on the spot with the choice
kept and the notes label asking why; typing the reason saves the answer."""

import re

import pytest
from playwright.sync_api import expect

from gapanalysis.models import Response, Result
from projects.models import Role
from tests.factories import UserFactory, add_member, make_assessment, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_not_applicable_asks_for_the_reason_and_saves_once_given(page, live_server):
    lead = UserFactory(username="lena")
    auditor = UserFactory(username="aino")
    project = make_project(lead=lead, name="NA project")
    add_member(project, auditor, Role.AUDITOR)
    assessment = make_assessment(project, user=lead, clause_numbers=["4"], auditors=[auditor])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("aino")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/projects/"))
    page.goto(f"{live_server.url}/projects/{project.pk}/gap/{assessment.pk}/clauses/4.1/")

    card = page.locator("[data-question='GA-4.1-03']")
    with page.expect_response(re.compile(r"/responses/\d+/$")) as refused:
        card.get_by_text("Not applicable", exact=True).click()
    assert refused.value.status == 422
    expect(card.get_by_role("alert")).to_contain_text("Say why this question does not apply")
    expect(card.locator("input[value=not_applicable]")).to_be_checked()
    expect(card.get_by_text("Notes: why this question does not apply")).to_be_visible()

    with page.expect_response(re.compile(r"/responses/\d+/$")) as saved:
        card.locator("textarea[name=notes]").type("The organization runs no facilities of its own.")
    assert saved.value.status == 200
    expect(card.get_by_test_id("saved")).to_be_visible()
    response = Response.objects.get(assessment=assessment, question__code="GA-4.1-03")
    assert response.result == Result.NOT_APPLICABLE
    assert response.notes == "The organization runs no facilities of its own."
