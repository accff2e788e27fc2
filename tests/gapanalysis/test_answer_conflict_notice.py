"""A refused save shows both texts (the saved answer and what the user sent) and a "Reapply my
text" action; the next successful save empties the notice (out of band), so no stale "Not saved"
banner stays on the page."""

import re
from html import escape

import pytest

from gapanalysis import services
from gapanalysis.models import Response, Result
from tests.factories import make_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}
MINE = "Spoke to <b>Ann</b>.\nThe register has no owner."


@pytest.fixture
def response(world):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )
    return Response.objects.select_related("assessment").get(
        assessment=assessment, question__code="GA-4.1-01"
    )


def url(world, response):
    return f"/projects/{world.project.pk}/gap/{response.assessment_id}/responses/{response.pk}/"


def test_conflict_shows_the_saved_answer_and_the_users_own_text(client, world, response):
    services.response_save(
        response=response, user=world.user("lead"), expected_version=1, result=Result.CONFORMANT, notes="Seen"
    )
    client.force_login(world.user("auditor"))
    reply = client.post(url(world, response), {"result": "partial", "notes": MINE, "version": 1}, **HTMX)
    assert reply.status_code == 409
    body = reply.content.decode()
    saved = _block(body, "conflict-saved")
    mine = _block(body, "conflict-mine")
    assert "Conformant" in saved and "Seen" in saved
    assert "Partially conformant" in mine
    assert f'<p class="conflict-text mb-0" data-mine-notes>{escape(MINE)}</p>' in mine  # escaped, lines kept
    assert "<b>Ann</b>" not in body
    assert f'data-reapply data-mine="{escape(MINE)}"' in body
    assert re.search(
        r"<textarea[^>]*name=\"notes\"[^>]*>Seen</textarea>", body
    )  # the form holds the saved answer
    assert '<input type="hidden" name="version" value="2">' in body  # and the version to save on top of
    response.refresh_from_db()
    assert (response.result, response.notes) == (Result.CONFORMANT, "Seen")


def test_a_successful_save_empties_the_notice_out_of_band(client, world, response):
    client.force_login(world.user("auditor"))
    reply = client.post(url(world, response), {"result": "partial", "notes": "ok", "version": 1}, **HTMX)
    assert reply.status_code == 200
    body = reply.content.decode()
    notice = re.search(
        rf'<div id="notice-{response.pk}" class="answer-notice" hx-swap-oob="true">(.*?)</div>\s*$',
        body,
        re.S,
    )
    assert notice is not None
    assert 'data-testid="conflict"' not in body and "save-error" not in body


def test_the_answer_form_carries_a_draft_key_per_user_assessment_and_question(client, world, response):
    auditor = world.user("auditor")
    client.force_login(auditor)
    page = client.get(f"/projects/{world.project.pk}/gap/{response.assessment_id}/clauses/4.1/")
    body = page.content.decode()
    key = f"sms-draft:u{auditor.pk}:a{response.assessment_id}:q{response.question_id}"
    assert f'id="answer-{response.pk}" class="answer-form" data-draft-key="{key}"' in body
    assert re.search(r'role="status" data-draft-offer data-testid="draft-offer" hidden>', body)


def _block(body, testid):
    """The markup from the element marked data-testid=`testid` to the next part of the notice."""
    start = body.index(f'data-testid="{testid}"')
    end = body.index("data-testid=" if testid == "conflict-saved" else "data-reapply", start + 20)
    return body[start:end]
