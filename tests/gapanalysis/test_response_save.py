"""Saving an answer: one change at a time, refused when someone saved in between (409 showing the
current value, the earlier value kept), at most 6 queries."""

import json

import pytest

from gapanalysis import services
from gapanalysis.models import Response, Result
from kernel.concurrency import EditConflict
from projects import progress_refresh
from projects.tasks import refresh_project_progress
from tests.factories import make_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(world):
    return make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )


def response_of(assessment, code="GA-4.1-01"):
    return Response.objects.select_related("assessment").get(assessment=assessment, question__code=code)


def url(world, response):
    return f"/projects/{world.project.pk}/gap/{response.assessment_id}/responses/{response.pk}/"


def test_auditor_saves_a_result_and_notes_and_sees_the_saved_state(client, world, assessment):
    client.force_login(world.user("auditor"))
    response = response_of(assessment)
    reply = client.post(
        url(world, response), {"result": "partial", "notes": " Policy is a draft ", "version": 1}, **HTMX
    )
    assert reply.status_code == 200
    assert "✓ Saved at" in reply.content.decode()
    assert 'name="version" value="2"' in reply.content.decode()
    assert json.loads(reply["HX-Trigger"]) == {"answerSaved": {}}  # django-htmx writes the JSON form
    response.refresh_from_db()
    assert (response.result, response.notes, response.version) == (Result.PARTIAL, "Policy is a draft", 2)
    assert response.answered_by == world.user("auditor") and response.answered_at is not None


def test_service_refuses_a_stale_version_and_keeps_the_earlier_value(world, assessment):
    first = response_of(assessment)
    second = response_of(assessment)
    services.response_save(
        response=first, user=world.user("lead"), expected_version=1, result=Result.CONFORMANT
    )
    with pytest.raises(EditConflict) as conflict:
        services.response_save(
            response=second, user=world.user("auditor"), expected_version=1, result=Result.NONCONFORMANT
        )
    assert conflict.value.current.result == Result.CONFORMANT
    saved = response_of(assessment)
    assert (saved.result, saved.version, saved.answered_by) == (Result.CONFORMANT, 2, world.user("lead"))


def test_later_save_of_the_same_answer_gets_409_with_the_current_value(client, world, assessment):
    response = response_of(assessment)
    services.response_save(
        response=response,
        user=world.user("lead"),
        expected_version=1,
        result=Result.CONFORMANT,
        notes="Seen the policy",
    )
    client.force_login(world.user("auditor"))
    reply = client.post(url(world, response), {"result": "nonconformant", "notes": "", "version": 1}, **HTMX)
    assert reply.status_code == 409
    assert (reply["HX-Retarget"], reply["HX-Reswap"]) == (f"#answer-{response.pk}", "outerHTML")
    body = reply.content.decode()
    assert "someone else saved this answer" in body
    assert "Saved answer</div>\n        <div>Conformant</div>" in body and ">Seen the policy</p>" in body
    assert 'name="version" value="2"' in body  # the form now carries the saved version
    response.refresh_from_db()
    assert (response.result, response.notes) == (Result.CONFORMANT, "Seen the policy")


def test_notes_only_change_keeps_the_result(client, world, assessment):
    response = response_of(assessment)
    services.response_save(
        response=response, user=world.user("lead"), expected_version=1, result=Result.PARTIAL
    )
    client.force_login(world.user("lead"))
    reply = client.post(url(world, response), {"notes": "More detail", "version": 2}, **HTMX)
    assert reply.status_code == 200
    response.refresh_from_db()
    assert (response.result, response.notes, response.version) == (Result.PARTIAL, "More detail", 3)


def test_invalid_result_answers_422_and_saves_nothing(client, world, assessment):
    response = response_of(assessment)
    client.force_login(world.user("lead"))
    reply = client.post(url(world, response), {"result": "excellent", "version": 1}, **HTMX)
    assert reply.status_code == 422
    assert "could not be saved" in reply.content.decode()
    response.refresh_from_db()
    assert (response.result, response.version) == (Result.NOT_ASSESSED, 1)


def test_response_of_another_assessment_is_not_found(client, world, assessment):
    other = make_assessment(world.project, user=world.user("lead"), title="Other", clause_numbers=["5"])
    response = response_of(other, "GA-5.1-01")
    client.force_login(world.user("lead"))
    reply = client.post(
        f"/projects/{world.project.pk}/gap/{assessment.pk}/responses/{response.pk}/", {"version": 1}, **HTMX
    )
    assert reply.status_code == 404


def test_saving_one_answer_takes_at_most_7_queries(client, world, assessment, django_assert_max_num_queries):
    client.force_login(world.user("auditor"))
    response = response_of(assessment)
    # 6 and the session's SELECT: sessions live in PostgreSQL so sign-in does not depend on Redis.
    with django_assert_max_num_queries(7):
        reply = client.post(
            url(world, response), {"result": "conformant", "notes": "ok", "version": 1}, **HTMX
        )
    assert reply.status_code == 200


def test_first_answer_schedules_the_phase_3_refresh_and_notes_do_not(
    world, progress_refresh_inline, assessment, monkeypatch
):
    published = []
    monkeypatch.setattr(progress_refresh, "enqueue", lambda task, *args: published.append((task.name, args)))
    services.response_save(
        response=response_of(assessment),
        user=world.user("lead"),
        expected_version=1,
        result=Result.CONFORMANT,
    )
    assert published == [("projects.tasks.refresh_project_progress", (world.project.pk,))]
    services.response_save(
        response=response_of(assessment), user=world.user("lead"), expected_version=2, notes="notes only"
    )
    assert len(published) == 1  # answered or not did not change: nothing to refresh

    refresh_project_progress(world.project.pk)  # what the worker runs
    phase = world.project.phases.get(key="3")
    total = Response.objects.filter(assessment=assessment).count()
    assert phase.progress == round(100 / total)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits, as in production
def test_answer_saves_and_progress_refreshes_when_the_broker_is_down(client, world, assessment, broker_down):
    client.force_login(world.user("auditor"))
    response = response_of(assessment)
    reply = client.post(url(world, response), {"result": "conformant", "version": 1}, **HTMX)
    assert reply.status_code == 200
    response.refresh_from_db()
    assert response.result == Result.CONFORMANT
    phase = world.project.phases.get(key="3")
    answered = Response.objects.filter(assessment=assessment).exclude(result=Result.NOT_ASSESSED).count()
    total = Response.objects.filter(assessment=assessment).count()
    assert phase.progress == round(100 * answered / total) > 0
