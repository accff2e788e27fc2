"""The API's lists cost a fixed number of queries whatever the data size (like the pages): each
list is measured, the data grows several times over, and it is measured again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import EvidenceEntry, OperatingProcess
from gapanalysis.models import Response
from tests.api.conftest import url
from tests.factories import (
    UserFactory,
    add_evidence,
    add_file_evidence,
    add_member,
    add_version,
    make_action,
    make_assessment,
    make_audit_with_findings,
    make_document,
    make_report,
    make_task,
)


def _grow(world, assessment, round_no):
    lead = world.user("lead")
    for index in range(8):
        member = UserFactory(username=f"m{round_no}-{index}")
        add_member(world.project, member, "contributor")
        make_task(world.project, title=f"T{round_no}-{index}", assignee=member, due_in=index)
        make_report(world.project, user=lead)
    _, findings = make_audit_with_findings(
        world.project, user=lead, auditor=world.user("auditor"), findings=4, title=f"Audit {round_no}",
        owner=world.user("contributor"),
    )  # fmt: skip
    make_action(findings[0], user=world.user("contributor"), owner=world.user("contributor"))
    make_assessment(world.project, user=lead, title=f"Round {round_no}", clause_numbers=["4"])
    for index in range(3):
        make_document(world.project, code=f"R{round_no}-{index}", owner=lead, approver=world.user("viewer"))
    for response in Response.objects.filter(assessment=assessment, evidence__isnull=True)[:4]:
        add_file_evidence(response, user=lead)
    for clause in ("8.6.1", "8.5.1", "9.2"):
        add_evidence(world.project, clause, months=2, user=world.user("contributor"))
    version = add_version(make_document(world.project, code=f"E{round_no}", owner=lead), lead)
    EvidenceEntry.objects.create(
        project=world.project,
        process=OperatingProcess.objects.get(project=world.project, clause="8.6.1"),
        on=version.created_at.date(),
        summary=f"Register version {round_no}",
        document_version=version,
        created_by=lead,
    )


LISTS = [
    "tasks/",
    "members/",
    "phases/",
    "assessments/",
    "answers",
    "documents/",
    "audits/",
    "findings/",
    "corrective-actions/",
    "reports/",
    "operation/processes/",
    "operation/entries/",
]


def _path(world, assessment, name):
    return url(world.project, f"assessments/{assessment.pk}/answers/" if name == "answers" else name)


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_does_not_grow_with_data(api, world, media, name):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4", "5"])
    client = api(world.user("lead"))
    _grow(world, assessment, 1)
    path = _path(world, assessment, name)
    client.get(path)  # warm (token's last use written once, caches)
    small, small_count = _count(client, path)
    for round_no in (2, 3, 4):
        _grow(world, assessment, round_no)
    large, large_count = _count(client, path)
    if name not in ("phases/", "answers", "operation/processes/"):  # grow in depth, not in rows
        assert large_count > small_count, name
    assert large == small, f"{name}: {small} queries with {small_count} rows, {large} with {large_count}"
    assert large <= 8, f"{name}: {large} queries"
