"""Issue 9 §2.10: two POSTs of "create remediation task" give one task; the second is answered
with the existing one, also when both arrive at the same moment (PostgreSQL, two threads)."""

import threading

import pytest
from django.db import connection, connections

from gapanalysis import services
from gapanalysis.models import Response, Result
from projects.models import Task
from tests.conftest import service_missing
from tests.factories import answer, make_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(world, response):
    return f"/projects/{world.project.pk}/gap/{response.assessment_id}/responses/{response.pk}/remediation/"


@pytest.mark.django_db
def test_a_double_click_gives_one_task_and_the_second_answer_shows_it(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    gap = answer(assessment, "GA-4.1-02", Result.PARTIAL, user=world.user("lead"))
    client.force_login(world.user("lead"))
    first = client.post(url(world, gap), {}, **HTMX)
    second = client.post(url(world, gap), {}, **HTMX)
    assert first.status_code == second.status_code == 200
    task = gap.remediation_tasks.get()
    assert f"/tasks/{task.pk}/" in second.content.decode()
    assert "Create remediation task" not in second.content.decode()  # no third click to make
    reply = client.post(url(world, gap), {})  # without HTMX: a message, not a second task
    assert reply.status_code == 302 and gap.remediation_tasks.count() == 1

    Task.objects.filter(pk=task.pk).update(status="done")  # done but the gap remains: a new task may follow
    assert client.post(url(world, gap), {}, **HTMX).status_code == 200
    assert gap.remediation_tasks.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits from two threads
def test_two_simultaneous_requests_make_one_task(world):
    if connection.vendor != "postgresql":
        service_missing("row locks need PostgreSQL (DATABASE_URL)")
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    gap = answer(assessment, "GA-4.1-02", Result.NONCONFORMANT, user=world.user("lead"))
    barrier = threading.Barrier(2)
    outcomes = []

    def create(user):
        try:
            barrier.wait(timeout=10)
            task, created = services.remediation_task_create(
                response=Response.objects.get(pk=gap.pk), user=user
            )
            outcomes.append((task.pk, created))
        except Exception as error:  # noqa: BLE001 - the test reports any failure of either thread
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(world.user(r),)) for r in ("lead", "auditor")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(created for _, created in outcomes) == [False, True], outcomes
    assert len({pk for pk, _ in outcomes}) == 1
    assert Response.objects.get(pk=gap.pk).remediation_tasks.count() == 1
