"""What one autosave costs: six statements outside a transaction (session, user, membership, answer,
the conditional UPDATE, the history row), no BEGIN/COMMIT around the history row, and the Redis cache
reusing its client (Django's built one per call). The session is read from PostgreSQL (issue 19 §1:
signing in must not depend on Redis), one primary-key SELECT more than the cached session was."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gapanalysis import services
from gapanalysis.models import Response, Result
from tests.factories import make_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_autosave_is_six_statements_and_no_transaction(client, world):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )
    response = Response.objects.get(assessment=assessment, question__code="GA-4.1-01")
    client.force_login(world.user("auditor"))
    url = f"/projects/{world.project.pk}/gap/{assessment.pk}/responses/{response.pk}/"
    client.post(url, {"result": "partial", "notes": "", "version": 1}, **HTMX)  # caches warmed

    with CaptureQueriesContext(connection) as queries:
        reply = client.post(url, {"result": "conformant", "notes": "seen", "version": 2}, **HTMX)

    assert reply.status_code == 200
    statements = [q["sql"].split(None, 1)[0].upper() for q in queries.captured_queries]
    # The history row is one statement that merges into the same person's row of the last minute or
    # inserts one (gapanalysis/answer_history.py): "WITH ... INSERT".
    assert statements == ["SELECT", "SELECT", "SELECT", "SELECT", "UPDATE", "WITH"], statements
    assert "INSERT INTO" in queries.captured_queries[-1]["sql"]
    assert "django_session" in queries.captured_queries[0]["sql"]
    history = Response.history.filter(id=response.pk).order_by("-history_id").first()
    assert (history.result, history.notes, history.version) == (Result.CONFORMANT, "seen", 3)
    assert (history.history_type, history.history_user) == ("~", world.user("auditor"))


def test_an_auditor_assigned_to_one_clause_saves_there_and_nowhere_else(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    services.assessment_assign_auditors(
        assessment=assessment, assignments={world.user("auditor").pk: ["4.1"]}, user=world.user("lead")
    )
    client.force_login(world.user("auditor"))
    for code, status, version in (("GA-4.1-01", 200, 2), ("GA-4.2-01", 403, 1)):
        response = Response.objects.get(assessment=assessment, question__code=code)
        url = f"/projects/{world.project.pk}/gap/{assessment.pk}/responses/{response.pk}/"
        reply = client.post(url, {"result": "conformant", "notes": "", "version": 1}, **HTMX)
        assert reply.status_code == status, code
        assert Response.objects.get(pk=response.pk).version == version


def test_the_redis_cache_keeps_one_client_per_pool(redis_cache):
    client = redis_cache.client.get_client(write=False)
    assert redis_cache.client.get_client(write=True) is client  # one server: reads and writes share it
    redis_cache.set("probe", {"n": 1}, 30)
    assert redis_cache.client.get_client() is client
    assert redis_cache.get("probe") == {"n": 1}
    assert redis_cache.get_many(["probe", "absent"]) == {"probe": {"n": 1}}
    redis_cache.delete("probe")
    assert redis_cache.get("probe") is None
