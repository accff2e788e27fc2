"""Readiness names every process without enough operating evidence, even when every document is approved."""

from datetime import timedelta

from django.utils import timezone

from documents.integration import CATEGORY_OPERATION
from documents.models import Document, DocumentStatus
from projects.readiness import readiness_blockers
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

    operation = [b.message for b in readiness_blockers(project) if b.category == CATEGORY_OPERATION]
    assert operation == [
        "8.5.1 Change management: 1 of 3 months of operating evidence.",
        "8.6.1 Incident management: 1 of 3 months of operating evidence.",
    ]
    page = client_for("viewer").get(f"/projects/{project.pk}/audits/readiness/").content.decode()
    assert "Not ready for Stage 1" in page
    assert "Operating evidence: 2 processes short of the minimum operating period" in page
    assert "8.5.1 Change management: 1 of 3 months" in page
    assert "8.6.1 Incident management: 1 of 3 months" in page


def test_the_lead_s_minimum_period_is_the_bar(world):
    project = world.project
    add_evidence_everywhere(project, months=2)
    assert len([b for b in readiness_blockers(project) if b.category == CATEGORY_OPERATION]) == 21
    project.min_operating_months = 2
    project.save(update_fields=["min_operating_months"])
    assert [b for b in readiness_blockers(project) if b.category == CATEGORY_OPERATION] == []


def test_future_dated_evidence_does_not_count(world):
    project = world.project
    add_evidence(project, "8.6.1", months=3, today=timezone.localdate() + timedelta(days=120))
    blocker = next(b for b in readiness_blockers(project) if b.message.startswith("8.6.1"))
    assert "0 of 3 months" in blocker.message
