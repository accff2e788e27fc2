"""Through the API too, an answer on an explanatory clause (8.3.1 in checklist v3) is never a gap and
never scored."""

from gapanalysis.models import Response, Result
from tests.api.conftest import url
from tests.factories import answer, make_assessment


def _assessment(world):
    return make_assessment(world.project, user=world.user("lead"), clause_numbers=["8.3"])


def test_the_api_scores_leave_the_explanatory_clause_out(api, world):
    assessment = _assessment(world)
    lead = world.user("lead")
    for code, result in (("GA-8.3.1-01", "conformant"), ("GA-8.3.2-01", "nonconformant")):
        answer(assessment, code, result, user=lead)
    reader = api(world.user("viewer"))
    detail = reader.get(url(world.project, f"assessments/{assessment.pk}/")).json()
    listed = reader.get(url(world.project, "assessments/")).json()["results"]
    assert detail["score_percent"] == 0 and [a["score_percent"] for a in listed] == [0]
    clauses = {c["number"]: c for c in detail["clauses"]}
    assert (clauses["8.3.1"]["answered"], clauses["8.3.1"]["score_percent"]) == (1, None)


def test_the_api_refuses_a_gap_answer_on_the_explanatory_clause(api, world):
    assessment = _assessment(world)
    response = Response.objects.get(assessment=assessment, question__code="GA-8.3.1-02")
    reply = api(world.user("lead")).patch(
        url(world.project, f"assessments/{assessment.pk}/answers/{response.pk}/"),
        {"result": "partial", "version": 1},
        format="json",
    )
    assert reply.status_code in (400, 422), reply.content[:300]
    assert "8.3.1 is explanatory" in reply.content.decode()
    assert Response.objects.get(pk=response.pk).result == Result.NOT_ASSESSED
