"""Lists: pagination on every list, filters by status, assignee, due date and clause."""

from datetime import date

from gapanalysis.models import Response
from tests.api.conftest import url
from tests.factories import make_assessment, make_audit_with_findings, make_document, make_task


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_task_filters(api, world):
    mine = make_task(
        world.project, title="Mine", assignee=world.user("contributor"), due_date=date(2030, 1, 10)
    )
    done = make_task(world.project, title="Done", assignee=world.user("contributor"), status="done")
    nobody = make_task(world.project, title="Nobody's", due_date=date(2031, 6, 1))
    client = api(world.user("viewer"))
    assert set(_ids(client.get(url(world.project, "tasks/?status=open")))) == {mine.pk, nobody.pk}
    assignee = world.user("contributor").pk
    assert set(_ids(client.get(url(world.project, f"tasks/?assignee={assignee}")))) == {mine.pk, done.pk}
    assert _ids(client.get(url(world.project, "tasks/?unassigned=true"))) == [nobody.pk]
    assert _ids(client.get(url(world.project, "tasks/?due_before=2030-12-31"))) == [mine.pk]
    assert _ids(client.get(url(world.project, "tasks/?due_after=2031-01-01"))) == [nobody.pk]
    assert _ids(client.get(url(world.project, "tasks/?phase=5&status=done"))) == [done.pk]


def test_task_clause_filter_finds_remediation_tasks(api, world):
    from gapanalysis import services

    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4", "5"])
    response = Response.objects.get(assessment=assessment, question__code="GA-4.1-01")
    response = services.response_save(
        response=response, user=world.user("lead"), expected_version=1, result="nonconformant"
    )
    task, _ = services.remediation_task_create(response=response, user=world.user("lead"))
    make_task(world.project, title="Unrelated")
    client = api(world.user("viewer"))
    assert _ids(client.get(url(world.project, "tasks/?clause=4"))) == [task.pk]
    assert _ids(client.get(url(world.project, "tasks/?clause=4.1"))) == [task.pk]
    assert _ids(client.get(url(world.project, "tasks/?clause=5"))) == []
    assert _ids(client.get(url(world.project, "tasks/?clause=not-a-clause"))) == []


def test_answer_and_document_and_finding_clause_filters(api, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4", "5"])
    client = api(world.user("viewer"))
    answers = client.get(
        url(world.project, f"assessments/{assessment.pk}/answers/?clause=5&page_size=100")
    ).json()
    assert (
        answers["count"]
        == Response.objects.filter(assessment=assessment, question__clause__number__startswith="5").count()
    )
    assert all(a["clause"].startswith("5") for a in answers["results"])
    document = make_document(world.project, code="PRO-77", clauses="8.5.1")
    assert document.pk in _ids(client.get(url(world.project, "documents/?clause=8.5&page_size=100")))
    assert document.pk not in _ids(client.get(url(world.project, "documents/?clause=8.6&page_size=100")))
    _, findings = make_audit_with_findings(
        world.project, user=world.user("lead"), auditor=world.user("auditor"), findings=2
    )
    assert set(_ids(client.get(url(world.project, "findings/?clause=8.1")))) == {f.pk for f in findings}
    assert _ids(client.get(url(world.project, "findings/?clause=9"))) == []
    assert len(_ids(client.get(url(world.project, "findings/?grade=major_nc")))) == 1


def test_every_list_is_paginated(api, world):
    for index in range(5):
        make_task(world.project, title=f"Task {index}")
    client = api(world.user("viewer"))
    first = client.get(url(world.project, "tasks/?page_size=2")).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"] and first["previous"] is None
    last = client.get(url(world.project, "tasks/?page_size=2&page=3")).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get(url(world.project, "tasks/?page=99")).status_code == 404
    capped = client.get(url(world.project, "phases/?page_size=100000")).json()
    assert capped["count"] == 14 and len(capped["results"]) == 14
    for path in ("projects/",):
        assert "results" in client.get(f"/api/v1/{path}").json()
    for path in ("members/", "phases/", "tasks/", "assessments/", "documents/", "audits/", "findings/",
                 "corrective-actions/", "reports/"):  # fmt: skip
        body = client.get(url(world.project, path)).json()
        assert {"count", "next", "previous", "results"} <= set(body), path
