"""Gap answers through the API: the same optimistic locking as the web (stale version -> 409 with
the current answer), the same answer rules (lead and assigned auditors), evidence links and files
through the same service and content checks."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gapanalysis.models import Evidence, Response
from tests.api.conftest import url
from tests.factories import make_assessment, pdf_upload


def _answer(world, **kw):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")], **kw
    )
    return assessment, Response.objects.get(assessment=assessment, question__code="GA-4.1-01")


def _answer_url(world, assessment, answer, tail=""):
    return url(world.project, f"assessments/{assessment.pk}/answers/{answer.pk}/{tail}")


def test_assigned_auditor_saves_an_answer(api, world):
    assessment, answer = _answer(world)
    response = api(world.user("auditor")).patch(
        _answer_url(world, assessment, answer),
        {"result": "partial", "notes": "Half there", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["result"] == "partial" and response.json()["version"] == 2
    answer.refresh_from_db()
    assert answer.answered_by == world.user("auditor") and answer.notes == "Half there"


def test_stale_answer_version_gets_409_with_the_current_answer(api, world):
    assessment, answer = _answer(world)
    client = api(world.user("lead"))
    client.patch(
        _answer_url(world, assessment, answer), {"result": "conformant", "version": 1}, format="json"
    )
    response = client.patch(
        _answer_url(world, assessment, answer), {"result": "nonconformant", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["result"] == "conformant" and response.json()["current"]["version"] == 2
    answer.refresh_from_db()
    assert answer.result == "conformant"


def test_contributor_may_not_answer(api, world):
    assessment, answer = _answer(world)
    response = api(world.user("contributor")).patch(
        _answer_url(world, assessment, answer), {"result": "partial", "version": 1}, format="json"
    )
    assert response.status_code == 403


def test_assessment_detail_has_scores_per_clause(api, world):
    assessment, answer = _answer(world)
    api(world.user("lead")).patch(
        _answer_url(world, assessment, answer), {"result": "conformant", "version": 1}, format="json"
    )
    body = api(world.user("viewer")).get(url(world.project, f"assessments/{assessment.pk}/")).json()
    assert body["counts"]["conformant"] == 1
    clause = next(c for c in body["clauses"] if c["number"] == "4.1")
    assert clause["score_percent"] == 100 and clause["answered"] == 1


def test_evidence_link_is_added(api, world):
    assessment, answer = _answer(world)
    response = api(world.user("auditor")).post(
        _answer_url(world, assessment, answer, "evidence/"),
        {"url": "https://itsm.example.test/incident/7", "description": "Incident record"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "link" and response.json()["added_by"]["username"] == "auditor"
    listed = api(world.user("viewer")).get(_answer_url(world, assessment, answer, "evidence/")).json()
    assert [e["url"] for e in listed["results"]] == ["https://itsm.example.test/incident/7"]


def test_evidence_file_goes_through_the_content_checks(api, world, media):
    assessment, answer = _answer(world)
    client = api(world.user("lead"))
    fake = SimpleUploadedFile("evidence.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    refused = client.post(
        _answer_url(world, assessment, answer, "evidence/"), {"file": fake}, format="multipart"
    )
    assert refused.status_code == 422 and "not a real .pdf" in refused.json()["detail"]
    assert not Evidence.objects.exists()
    accepted = client.post(
        _answer_url(world, assessment, answer, "evidence/"),
        {"file": pdf_upload("ok.pdf")},
        format="multipart",
    )
    assert accepted.status_code == 201 and accepted.json()["filename"] == "ok.pdf"


def test_link_and_file_together_are_refused(api, world, media):
    assessment, answer = _answer(world)
    response = api(world.user("lead")).post(
        _answer_url(world, assessment, answer, "evidence/"),
        {"file": pdf_upload(), "url": "https://x.example.test/"},
        format="multipart",
    )
    assert response.status_code == 422
    assert not Evidence.objects.exists()
