"""Journey 2: an auditor works through a clause, answers are saved as they go, and a gap becomes a
remediation task in one click."""

import re

import pytest
from playwright.sync_api import expect

from gapanalysis import services
from gapanalysis.models import Response, Result
from projects.models import Role
from tests.factories import UserFactory, add_member, make_assessment, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/projects/"))


def test_auditor_answers_three_questions_reloads_and_turns_a_gap_into_a_task(page, live_server):
    lead = UserFactory(username="lena")
    auditor = UserFactory(username="aino")
    project = make_project(lead=lead, name="Journey project")
    add_member(project, auditor, Role.AUDITOR)
    assessment = make_assessment(
        project, user=lead, title="Baseline", clause_numbers=["4"], auditors=[auditor]
    )

    login(page, live_server, "aino")
    page.get_by_role("link", name="Journey project").click()
    page.get_by_role("link", name="Gap analysis", exact=True).click()
    page.get_by_role("link", name="Baseline", exact=True).click()
    page.get_by_role("link", name="Continue at 4.1").click()
    expect(
        page.get_by_role("heading", name="4.1 Understanding the organization and its context")
    ).to_be_visible()

    answers = {"GA-4.1-01": "Conformant", "GA-4.1-02": "Partially conformant", "GA-4.1-03": "Nonconformant"}
    for code, label in answers.items():
        card = page.locator(f"[data-question='{code}']")
        card.get_by_text(label, exact=True).click()
        expect(card.get_by_test_id("saved")).to_be_visible()
    with page.expect_response(re.compile(r"/responses/\d+/$")) as typed:
        page.locator("[data-question='GA-4.1-02']").get_by_label("Notes").type(
            "Only a draft"
        )  # saved after a pause
    assert typed.value.status == 200
    notes = page.locator("[data-question='GA-4.1-03']").get_by_label("Notes")
    notes.fill("No decision on climate change found")
    notes.press("Tab")  # leaving the field saves it, from the keyboard alone
    expect(page.locator("[data-question='GA-4.1-03']").get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("clause-answered")).to_have_text("3 / 4")  # v3 asks 4 questions on 4.1

    page.reload()
    for code, label in answers.items():
        card = page.locator(f"[data-question='{code}']")
        expect(card.get_by_label(label, exact=True)).to_be_checked()
    gap = page.locator("[data-question='GA-4.1-03']")
    expect(gap.get_by_label("Notes")).to_have_value("No decision on climate change found")
    expect(page.locator("[data-question='GA-4.1-02']").get_by_label("Notes")).to_have_value("Only a draft")

    gap.get_by_role("button", name="Create remediation task").click()
    expect(gap.get_by_test_id("open-tasks")).to_contain_text("Close gap GA-4.1-03")
    expect(
        page.locator("[data-question='GA-4.1-01']").get_by_role("button", name="Create remediation task")
    ).to_be_hidden()

    saved = {
        r.question.code: r for r in Response.objects.filter(assessment=assessment).select_related("question")
    }
    assert saved["GA-4.1-01"].result == Result.CONFORMANT
    assert saved["GA-4.1-02"].result == Result.PARTIAL
    assert saved["GA-4.1-03"].result == Result.NONCONFORMANT
    task = saved["GA-4.1-03"].remediation_tasks.get()
    assert task.phase.key == "7" and task.created_by == auditor

    gap.get_by_role("link", name=re.compile("Close gap GA-4.1-03")).click()
    expect(page.get_by_role("heading", name=re.compile("Close gap GA-4.1-03"))).to_be_visible()


def test_a_concurrent_save_is_refused_in_the_page_and_shows_the_saved_answer(page, live_server):
    lead = UserFactory(username="lena")
    auditor = UserFactory(username="aino")
    project = make_project(lead=lead, name="Journey project")
    add_member(project, auditor, Role.AUDITOR)
    assessment = make_assessment(
        project, user=lead, title="Baseline", clause_numbers=["4"], auditors=[auditor]
    )

    login(page, live_server, "aino")
    page.goto(f"{live_server.url}/projects/{project.pk}/gap/{assessment.pk}/clauses/4.2/")
    response = Response.objects.select_related("assessment").get(
        assessment=assessment, question__code="GA-4.2-01"
    )
    services.response_save(
        response=response, user=lead, expected_version=1, result=Result.CONFORMANT, notes="Register seen"
    )

    card = page.locator("[data-question='GA-4.2-01']")
    card.get_by_text("Nonconformant", exact=True).click()
    expect(card.get_by_test_id("conflict")).to_contain_text("Conformant")
    expect(card.get_by_test_id("conflict")).to_contain_text("Register seen")
    expect(card.get_by_label("Conformant", exact=True)).to_be_checked()
    expect(card.get_by_label("Notes")).to_have_value("Register seen")
    response.refresh_from_db()
    assert response.result == Result.CONFORMANT

    card.get_by_text("Partially conformant", exact=True).click()  # a deliberate change on the fresh version
    expect(card.get_by_test_id("saved")).to_be_visible()
    response.refresh_from_db()
    assert (response.result, response.version) == (Result.PARTIAL, 3)
