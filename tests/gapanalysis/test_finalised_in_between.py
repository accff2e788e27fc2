"""Issue 9 §2.15: an answer or evidence cannot land in an assessment finalised after the page loaded."""

import pytest
from django.core.exceptions import ValidationError

from gapanalysis import services
from gapanalysis.models import Assessment, Evidence, Response, Result
from tests.factories import make_assessment, pdf_upload


@pytest.fixture
def stale(world):
    """A response loaded while its assessment was open; the assessment is finalised afterwards."""
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    response = Response.objects.select_related("assessment").filter(assessment=assessment).first()
    assert not response.assessment.is_finalised
    services.assessment_finalise(assessment=Assessment.objects.get(pk=assessment.pk), user=world.user("lead"))
    return response


def test_an_answer_is_refused_when_the_assessment_was_finalised_in_between(world, stale):
    with pytest.raises(ValidationError, match="finalised"):
        services.response_save(
            response=stale, user=world.user("lead"), expected_version=stale.version, result=Result.CONFORMANT
        )
    stale.refresh_from_db()
    assert stale.result == Result.NOT_ASSESSED and stale.version == 1


def test_evidence_is_refused_when_the_assessment_was_finalised_in_between(world, stale, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="finalised"):
        services.evidence_add(response=stale, user=world.user("lead"), url="https://example.test/x")
    with pytest.raises(ValidationError, match="finalised"):
        services.evidence_add(response=stale, user=world.user("lead"), upload=pdf_upload("a.pdf"))
    assert not Evidence.objects.exists() and not list(tmp_path.rglob("*.pdf"))


def test_the_page_refuses_an_answer_to_a_finalised_assessment(client, world, stale):
    client.force_login(world.user("lead"))
    url = f"/projects/{world.project.pk}/gap/{stale.assessment_id}/responses/{stale.pk}/"
    reply = client.post(url, {"result": "conformant", "version": stale.version}, HTTP_HX_REQUEST="true")
    assert reply.status_code == 403  # nobody may answer a finalised assessment
    stale.refresh_from_db()
    assert stale.result == Result.NOT_ASSESSED
