"""Wording (issue 25 §2.7): a recommended item is not called "mandatory"; dates in the app's one format
("6 Nov 2026", no leading zero); allauth's pages in sentence case; a task made from a review decision
carries no full stop; an unused checklist closed with the report says so."""

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from audits import reviews
from audits.models import Finding, OutputKind
from readiness.rules.audits import stage1_blockers
from tests.factories import make_audit, make_finding, make_review, mandatory

pytestmark = pytest.mark.django_db


def test_a_recommended_document_is_not_called_mandatory(client, world):
    client.force_login(world.user("viewer"))
    recommended = mandatory(world.project, "DOC-19")
    required = mandatory(world.project, "DOC-02")

    def tier_line(document):
        html = client.get(reverse("documents:detail", args=[world.project.pk, document.pk])).content.decode()
        text = re.search(r'data-testid="item-tier">(.*?)</span>\s*</div>', html, re.S).group(1)
        return " ".join(re.sub(r"<[^>]+>", " ", text).split())

    assert tier_line(recommended) == "recommended document good practice"
    assert tier_line(required) == "required document"


def test_dates_in_messages_have_no_leading_zero(world):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"))
    Finding.objects.filter(pk=finding.pk).update(due_date=date(2026, 11, 6))

    messages = [blocker.message for blocker in stage1_blockers(world.project)]

    assert any("(6 Nov 2026)" in text for text in messages), messages
    assert not any("06 Nov" in text for text in messages)


@pytest.mark.parametrize(
    ("path", "wanted", "title_case"),
    [
        ("/accounts/reauthenticate/", "Confirm access", "Confirm Access"),
        ("/accounts/2fa/", "Two-factor authentication", "Two-Factor Authentication"),
        ("/accounts/2fa/", "Recovery codes", "Recovery Codes"),
        ("/accounts/password/change/", "Current password", "Current Password"),
    ],
)
def test_allauth_pages_speak_in_sentence_case(world, path, wanted, title_case):
    client = Client()
    client.force_login(world.user("viewer"))
    html = client.get(path).content.decode()
    assert wanted in html and title_case not in html


def test_the_two_factor_sign_in_step_is_titled_in_sentence_case(world):
    from tests.identity.helpers import activate_totp

    activate_totp(world.user("viewer"))
    client = Client()
    client.post("/accounts/login/", {"login": "viewer", "password": "pw-for-tests-1"})
    html = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "<title>" in html and "Sign In" not in html and "Sign in" in html


def test_a_task_from_a_review_decision_has_no_full_stop(world):
    review = make_review(world.project, user=world.user("lead"))
    output = reviews.review_output_create(
        review=review, user=world.user("lead"), kind=OutputKind.IMPROVEMENT, text="Automate the SLA report."
    )
    action = reviews.review_output_to_task(output=output, user=world.user("lead"))
    assert action.task.title == "Automate the SLA report"


@pytest.mark.parametrize(
    ("answered", "finalised", "text"),
    [
        (0, True, "Closed with the report, unused: none of its 46 questions was answered."),
        (12, True, "12 of 46 questions answered; closed with the report."),
        (0, False, "0 of 46 questions answered"),
    ],
)
def test_the_audit_checklist_state_reads_coherently(answered, finalised, text):
    checklist = {"answered": answered, "total": 46, "finalised": finalised}
    html = render_to_string("audits/partials/checklist_state.html", {"checklist": checklist})
    assert " ".join(html.split()) == text


@pytest.mark.timeout(300)
def test_the_demo_has_no_audit_numbered_0_and_no_task_ending_in_a_full_stop(db):
    from audits.models import Audit
    from projects.models import Task
    from tests.browser.demo import seed_demo

    seed_demo()

    titles = list(Audit.objects.values_list("title", flat=True))
    assert titles and not any(re.search(r"\baudit 0\b", title) for title in titles), titles
    assert "Preliminary audit of the documented system (clauses 5 to 7)" in titles
    stops = list(Task.objects.filter(title__endswith=".").values_list("title", flat=True))
    assert stops == []
