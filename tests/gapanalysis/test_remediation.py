"""Remediation: one click turns a gap into a roadmap task linked back to the question."""

from gapanalysis.models import Response, Result
from tests.factories import answer, make_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(world, response):
    return f"/projects/{world.project.pk}/gap/{response.assessment_id}/responses/{response.pk}/remediation/"


def test_auditor_creates_a_task_in_the_default_phase_linked_to_the_question(client, world):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )
    document_gap = answer(
        assessment, "GA-4.1-01", Result.NONCONFORMANT, user=world.user("auditor")
    )  # a document
    practice_gap = answer(assessment, "GA-4.1-02", Result.PARTIAL, user=world.user("auditor"))  # no document
    client.force_login(world.user("auditor"))
    for response, phase_key in ((document_gap, "6"), (practice_gap, "7")):
        reply = client.post(url(world, response), {}, **HTMX)
        assert reply.status_code == 200
        task = response.remediation_tasks.get()
        assert task.phase.key == phase_key and task.created_by == world.user("auditor")
        assert task.title.startswith(f"Close gap {response.question.code}")
        assert list(task.gap_responses.all()) == [Response.objects.get(pk=response.pk)]
        assert task.title[:40] in reply.content.decode()


def test_lead_chooses_another_phase(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    gap = answer(assessment, "GA-4.1-01", Result.NONCONFORMANT, user=world.user("lead"))
    phase = world.project.phases.get(key="5")
    client.force_login(world.user("lead"))
    assert client.post(url(world, gap), {"phase": phase.pk}, **HTMX).status_code == 200
    assert gap.remediation_tasks.get().phase == phase


def test_a_conformant_answer_gets_no_remediation_task(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    fine = answer(assessment, "GA-4.1-01", Result.CONFORMANT, user=world.user("lead"))
    client.force_login(world.user("lead"))
    reply = client.post(url(world, fine), {}, **HTMX)
    assert reply.status_code == 422
    assert "Only a nonconformant or partially conformant answer" in reply.content.decode()
    assert not fine.remediation_tasks.exists()


def test_clause_page_shows_the_open_tasks_of_an_answer(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    gap = answer(assessment, "GA-4.1-01", Result.NONCONFORMANT, user=world.user("lead"))
    client.force_login(world.user("lead"))
    client.post(url(world, gap), {}, **HTMX)
    task = gap.remediation_tasks.get()
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/clauses/4.1/").content.decode()
    assert f"/tasks/{task.pk}/" in page
    task.status = "done"
    task.save()
    page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/clauses/4.1/").content.decode()
    assert f"/tasks/{task.pk}/" not in page
