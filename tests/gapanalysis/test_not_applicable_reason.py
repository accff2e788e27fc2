""" "Not applicable" needs a reason: the save is refused without one (422, the user's choice kept),
the overview lists N/A answers and why, and a gap analysis with an unexplained N/A answer cannot be
finalised (422 naming them, nothing changed). Older N/A answers without a reason stay readable."""

import pytest
from django.core.exceptions import ValidationError

from gapanalysis import services
from gapanalysis.models import AssessmentStatus, Response, Result
from tests.factories import answer, make_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(world):
    return make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )


def response_of(assessment, code):
    return Response.objects.select_related("assessment").get(assessment=assessment, question__code=code)


def legacy_not_applicable(assessment, code):
    """An N/A answer saved before reasons were required: no notes."""
    Response.objects.filter(assessment=assessment, question__code=code).update(
        result=Result.NOT_APPLICABLE, notes=""
    )


def test_service_refuses_not_applicable_without_a_reason(world, assessment):
    response = response_of(assessment, "GA-4.1-03")
    for notes in (None, "", "   \n "):
        with pytest.raises(ValidationError) as refused:
            services.response_save(
                response=response,
                user=world.user("auditor"),
                expected_version=1,
                result=Result.NOT_APPLICABLE,
                notes=notes,
            )
        assert "does not apply" in str(refused.value)
    saved = response_of(assessment, "GA-4.1-03")
    assert (saved.result, saved.version) == (Result.NOT_ASSESSED, 1)


def test_existing_notes_count_as_the_reason_for_a_result_only_change(world, assessment):
    response = answer(
        assessment,
        "GA-4.1-03",
        Result.PARTIAL,
        user=world.user("auditor"),
        notes="Climate not relevant here.",
    )
    saved = services.response_save(
        response=response, user=world.user("auditor"), expected_version=2, result=Result.NOT_APPLICABLE
    )
    assert (saved.result, saved.notes) == (Result.NOT_APPLICABLE, "Climate not relevant here.")


def test_form_without_a_reason_is_refused_with_the_choice_kept(client, world, assessment):
    client.force_login(world.user("auditor"))
    response = response_of(assessment, "GA-4.1-03")
    url = f"/projects/{world.project.pk}/gap/{assessment.pk}/responses/{response.pk}/"
    reply = client.post(url, {"result": "not_applicable", "notes": "", "version": 1}, **HTMX)
    body = reply.content.decode()
    assert reply.status_code == 422
    assert "Say why this question does not apply" in body
    assert 'value="not_applicable" autocomplete="off" checked' in body  # the choice stays on the form
    assert 'name="version" value="1"' in body
    assert response_of(assessment, "GA-4.1-03").result == Result.NOT_ASSESSED

    reply = client.post(
        url, {"result": "not_applicable", "notes": "No climate exposure: office only.", "version": 1}, **HTMX
    )
    assert reply.status_code == 200
    saved = response_of(assessment, "GA-4.1-03")
    assert (saved.result, saved.notes) == (Result.NOT_APPLICABLE, "No climate exposure: office only.")


def test_overview_lists_not_applicable_answers_and_why(client, world, assessment):
    answer(assessment, "GA-4.1-03", Result.NOT_APPLICABLE, user=world.user("lead"), notes="Office only.")
    legacy_not_applicable(assessment, "GA-4.2-03")
    client.force_login(world.user("viewer"))
    body = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/").content.decode()
    assert "Marked not applicable (2)" in body
    listed = body.split('data-testid="not-applicable"')[1].split("</ul>")[0]
    assert "GA-4.1-03" in listed and "Office only." in listed
    assert "GA-4.2-03" in listed and "No reason given" in listed
    assert "2 marked not applicable" in body


def test_old_unexplained_answer_stays_readable_on_the_clause_page(client, world, assessment):
    legacy_not_applicable(assessment, "GA-4.2-03")
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/clauses/4.2/")
    assert page.status_code == 200
    assert "No reason given for “Not applicable”" in page.content.decode()


def test_finalising_with_unexplained_not_applicable_is_refused_and_changes_nothing(client, world, assessment):
    answer(assessment, "GA-4.1-03", Result.NOT_APPLICABLE, user=world.user("lead"), notes="Office only.")
    legacy_not_applicable(assessment, "GA-4.2-03")
    legacy_not_applicable(assessment, "GA-4.3-03")
    assessment.refresh_from_db()
    version = assessment.version
    client.force_login(world.user("lead"))
    url = f"/projects/{world.project.pk}/gap/{assessment.pk}/finalise/"

    confirm = client.get(url).content.decode()
    assert "2 answers are marked “Not applicable” without a reason" in confirm
    assert "GA-4.2-03" in confirm and "GA-4.3-03" in confirm and "GA-4.1-03" not in confirm

    reply = client.post(url)
    body = reply.content.decode()
    assert reply.status_code == 422
    assert "2 answers are marked not applicable without a reason: GA-4.2-03, GA-4.3-03." in body
    assessment.refresh_from_db()
    assert (assessment.status, assessment.version, assessment.finalised_at) == (
        AssessmentStatus.IN_PROGRESS,
        version,
        None,
    )
    assert world.project.phases.get(key="3").status != "done"

    for code in ("GA-4.2-03", "GA-4.3-03"):
        response = response_of(assessment, code)
        services.response_save(
            response=response,
            user=world.user("lead"),
            expected_version=response.version,
            notes="Not relevant.",
        )
    assert client.post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINALISED


def test_service_refusal_names_every_unexplained_code(world, assessment):
    legacy_not_applicable(assessment, "GA-4.2-03")
    with pytest.raises(services.UnexplainedNotApplicable) as refused:
        services.assessment_finalise(assessment=assessment, user=world.user("lead"))
    assert refused.value.codes == ["GA-4.2-03"]


def test_readiness_names_a_finalised_assessment_with_unexplained_not_applicable(world, assessment):
    from readiness.gate import blockers_for as readiness_blockers

    services.assessment_finalise(assessment=assessment, user=world.user("lead"))
    assert not [b for b in readiness_blockers(world.project) if b.category == "Gap analysis"]
    legacy_not_applicable(assessment, "GA-4.2-03")  # finalised before reasons were required
    blockers = [b for b in readiness_blockers(world.project) if b.category == "Gap analysis"]
    assert [b.message for b in blockers] == [
        "The latest gap assessment “Baseline” has 1 answer marked not applicable without a reason; "
        "reopen it and say why each does not apply."
    ]
