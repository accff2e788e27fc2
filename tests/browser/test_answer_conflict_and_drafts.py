"""Issue 12, item 1: an auditor never loses typed work. Two people answer the same question in two
browsers; the one who saves second keeps their text on the page and reapplies it with one click.
A draft typed but never saved survives a reload and is offered back."""

import re

import pytest
from playwright.sync_api import expect

from gapanalysis.models import Response, Result
from projects.models import Role
from tests.factories import UserFactory, add_member, make_assessment, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVE = re.compile(r"/responses/\d+/$")
MINE = "Interviewed the service owner.\nThe context review of March is missing its sign-off."
THEIRS = "Context document v2 seen"


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/projects/"))


@pytest.fixture
def clause_setup(db):
    lead = UserFactory(username="lena")
    auditor = UserFactory(username="aino")
    project = make_project(lead=lead, name="Journey project")
    add_member(project, auditor, Role.AUDITOR)
    assessment = make_assessment(
        project, user=lead, title="Baseline", clause_numbers=["4"], auditors=[auditor]
    )
    url = f"/projects/{project.pk}/gap/{assessment.pk}/clauses/4.1/"
    response = Response.objects.get(assessment=assessment, question__code="GA-4.1-01")
    return url, response


def test_the_loser_of_a_conflict_keeps_their_text_and_reapplying_it_saves(
    browser, page, live_server, clause_setup
):
    url, response = clause_setup
    login(page, live_server, "aino")
    page.goto(live_server.url + url)
    lead_context = browser.new_context()
    try:
        lead_page = lead_context.new_page()
        login(lead_page, live_server, "lena")
        lead_page.goto(live_server.url + url)  # both now hold version 1 of the answer

        theirs = lead_page.locator("[data-question='GA-4.1-01']")
        theirs.get_by_text("Conformant", exact=True).click()
        expect(theirs.get_by_test_id("saved")).to_be_visible()
        with lead_page.expect_response(SAVE) as saved:
            theirs.get_by_label("Notes").fill(THEIRS)
            theirs.get_by_label("Notes").press("Tab")
        assert saved.value.status == 200

        card = page.locator("[data-question='GA-4.1-01']")
        with page.expect_response(SAVE) as refused:
            card.get_by_label("Notes").fill(MINE)
            card.get_by_label("Notes").press("Tab")  # leaving the field saves: refused, version moved on
        assert refused.value.status == 409
        conflict = card.get_by_test_id("conflict")
        expect(conflict).to_contain_text("Not saved")
        expect(card.get_by_test_id("conflict-saved")).to_contain_text(THEIRS)
        expect(card.get_by_test_id("conflict-saved")).to_contain_text("Conformant")
        expect(card.get_by_test_id("conflict-mine")).to_contain_text("The context review of March is missing")
        expect(card.get_by_label("Notes")).to_have_value(THEIRS)  # the form holds the saved answer

        with page.expect_response(SAVE) as reapplied:
            card.get_by_role("button", name="Reapply my text").click()
        assert reapplied.value.status == 200
        expect(card.get_by_test_id("saved")).to_be_visible()
        expect(card.get_by_test_id("conflict")).to_have_count(0)  # the banner goes with the save
        expect(card.get_by_label("Notes")).to_have_value(MINE)
        response.refresh_from_db()
        assert response.notes == MINE.strip()
        assert response.result == Result.CONFORMANT  # their result stays: only the text was reapplied
        assert response.version == 4
        assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sms-draft:')).length") == 0
    finally:
        lead_context.close()


def test_a_draft_typed_while_the_server_is_unreachable_survives_a_reload(page, live_server, clause_setup):
    url, response = clause_setup
    login(page, live_server, "aino")
    page.goto(live_server.url + url)
    card = page.locator("[data-question='GA-4.1-01']")

    page.route(SAVE, lambda route: route.abort())  # the connection is lost
    card.get_by_label("Notes").fill("Draft written on the train")
    card.get_by_label("Notes").press("Tab")
    expect(card.locator("[data-offline]")).to_be_visible()
    page.unroute(SAVE)

    page.reload()
    card = page.locator("[data-question='GA-4.1-01']")
    expect(card.get_by_label("Notes")).to_have_value("")  # the server never got it
    offer = card.get_by_test_id("draft-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Draft written on the train")
    with page.expect_response(SAVE) as restored:
        offer.get_by_role("button", name="Restore draft").click()
    assert restored.value.status == 200
    expect(card.get_by_test_id("saved")).to_be_visible()
    expect(offer).to_be_hidden()
    response.refresh_from_db()
    assert response.notes == "Draft written on the train"

    page.reload()  # saved: nothing is offered any more
    card = page.locator("[data-question='GA-4.1-01']")
    expect(card.get_by_label("Notes")).to_have_value("Draft written on the train")
    expect(card.get_by_test_id("draft-offer")).to_be_hidden()


def test_a_discarded_draft_is_not_offered_again(page, live_server, clause_setup):
    url, response = clause_setup
    login(page, live_server, "aino")
    page.goto(live_server.url + url)
    page.route(SAVE, lambda route: route.abort())
    card = page.locator("[data-question='GA-4.1-01']")
    card.get_by_label("Notes").fill("Half a thought")
    card.get_by_label("Notes").press("Tab")
    expect(card.locator("[data-offline]")).to_be_visible()
    page.unroute(SAVE)

    page.reload()
    card = page.locator("[data-question='GA-4.1-01']")
    card.get_by_test_id("draft-offer").get_by_role("button", name="Discard").click()
    expect(card.get_by_test_id("draft-offer")).to_be_hidden()
    page.reload()
    expect(page.locator("[data-question='GA-4.1-01']").get_by_test_id("draft-offer")).to_be_hidden()
    response.refresh_from_db()
    assert response.notes == ""
