"""The answer history records the settled answer: arrowing through the results (one autosave per
step) by one person within a minute leaves one history row with the last result; someone else's
save, or a save after the pause, is a change of its own (issue 25 §2.4)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gapanalysis.answer_history import SETTLE_SECONDS
from gapanalysis.models import Response
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def response(world):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )
    return Response.objects.get(assessment=assessment, question__code="GA-4.1-01")


def _save(client, world, response, result, **extra):
    response.refresh_from_db()
    url = f"/projects/{world.project.pk}/gap/{response.assessment_id}/responses/{response.pk}/"
    reply = client.post(url, {"result": result, "version": response.version, **extra}, **HTMX)
    assert reply.status_code == 200, reply.content.decode()[:300]


def _changes(response):
    return list(
        Response.history.filter(id=response.pk, history_type="~")
        .order_by("history_date", "history_id")
        .values_list("history_user__username", "result")
    )


def test_keyboard_steps_by_one_person_leave_one_row_with_the_settled_answer(client, world, response):
    client.force_login(world.user("auditor"))
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for result in ("nonconformant", "partial", "conformant"):  # arrow key, arrow key, arrow key
            _save(client, world, response, result)
            clock.shift(timedelta(seconds=2))

    assert _changes(response) == [("auditor", "conformant")]
    assert Response.history.filter(id=response.pk, history_type="~").get().history_date == start + timedelta(
        seconds=4
    )


def test_another_persons_save_and_a_later_save_are_changes_of_their_own(client, world, response):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(world.user("auditor"))
        _save(client, world, response, "partial")
        clock.shift(timedelta(seconds=5))
        client.force_login(world.user("lead"))
        _save(client, world, response, "conformant")
        clock.shift(timedelta(seconds=5))
        _save(
            client, world, response, "nonconformant", notes="Not in place after all"
        )  # merges into the lead's
        clock.shift(timedelta(seconds=SETTLE_SECONDS + 1))
        _save(client, world, response, "partial", notes="Partly in place")

    assert _changes(response) == [
        ("auditor", "partial"),
        ("lead", "nonconformant"),
        ("lead", "partial"),
    ]


def test_the_history_write_stays_one_statement(client, world, response):
    client.force_login(world.user("auditor"))
    _save(client, world, response, "partial")
    with CaptureQueriesContext(connection) as queries:
        _save(client, world, response, "conformant")
    history_table = Response.history.model._meta.db_table
    assert sum(history_table in q["sql"] for q in queries.captured_queries) == 1
    assert _changes(response) == [("auditor", "conformant")]
