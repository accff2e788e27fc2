"""Readiness names every process without the operating evidence its stage needs, even when every
document is approved: Stage 1 a start and first records, Stage 2 the full minimum period."""

from datetime import timedelta

from django.utils import timezone

from documents.models import Document, DocumentStatus
from readiness.gate import blockers_for as readiness_blockers
from readiness.rules.documents import CATEGORY_OPERATION, documented_information_blockers
from tests.factories import add_evidence, add_evidence_everywhere


def approve_all_documents(project):
    Document.objects.filter(project=project).exclude(mandatory_code="").update(
        status=DocumentStatus.APPROVED, next_review_date=timezone.localdate() + timedelta(days=365)
    )


def test_two_processes_with_one_month_keep_the_project_from_stage_1(world, client_for):
    project = world.project
    approve_all_documents(project)
    add_evidence_everywhere(project, months=3, except_clauses=("8.6.1", "8.5.1"))
    add_evidence(project, "8.6.1", months=1)
    add_evidence(project, "8.5.1", months=1)

    # Stage 1: every process operates with first records, so nothing blocks there
    assert [b for b in readiness_blockers(project) if b.category == CATEGORY_OPERATION] == []
    operation = stage2_operation(project)
    assert operation == [
        "8.5.1 Change management: 1 of 3 recent months in a row with evidence.",
        "8.6.1 Incident management: 1 of 3 recent months in a row with evidence.",
    ]


def stage2_operation(project):
    return [
        b.message
        for b in documented_information_blockers(project, stage=2)
        if b.category == CATEGORY_OPERATION
    ]


def test_a_process_without_a_start_or_records_keeps_the_project_from_stage_1(world, client_for):
    project = world.project
    approve_all_documents(project)
    add_evidence_everywhere(project, months=3, except_clauses=("8.6.1",))
    page = client_for("viewer").get(f"/projects/{project.pk}/audits/readiness/").content.decode()
    assert "Operating evidence: 1 process short of the operating evidence needed" in page
    assert "8.6.1 Incident management: no start of operation recorded" in page


def test_the_lead_s_minimum_period_is_the_bar(world):
    project = world.project
    add_evidence_everywhere(project, months=2)
    # periodic processes need one cycle within their period whatever the minimum
    assert len(stage2_operation(project)) == 24 - 9
    project.min_operating_months = 2
    project.save(update_fields=["min_operating_months"])
    assert stage2_operation(project) == []


def test_future_dated_evidence_does_not_count(world):
    project = world.project
    add_evidence(project, "8.6.1", months=3, today=timezone.localdate() + timedelta(days=120))
    blocker = next(b for b in readiness_blockers(project) if b.message.startswith("8.6.1"))
    assert blocker.message == "8.6.1 Incident management: no first record that counts."
