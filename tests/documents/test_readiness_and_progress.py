from datetime import timedelta

import time_machine
from django.utils import timezone

from documents.integration import CATEGORY
from documents.models import VersionStatus
from projects.progress import phase_progress
from projects.readiness import readiness_blockers
from tests.factories import add_version, mandatory


def document_blockers(project):
    return [b for b in readiness_blockers(project) if b.category == CATEGORY]


def test_every_mandatory_item_blocks_until_approved(world):
    blockers = document_blockers(world.project)
    assert len(blockers) == 43
    doc = mandatory(world.project, "DOC-01")
    doc.approver = world.user("viewer")
    doc.save()
    add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    blockers = document_blockers(world.project)
    assert len(blockers) == 42
    assert not any("DOC-01" in b.message for b in blockers)
    assert blockers[0].url.startswith(f"/projects/{world.project.pk}/documents/")


def test_an_approved_item_overdue_for_review_blocks_again(world):
    doc = mandatory(world.project, "DOC-01")
    doc.approver, doc.review_interval_months = world.user("viewer"), 1
    doc.save()
    add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        overdue = [b for b in document_blockers(world.project) if "DOC-01" in b.message]
    assert len(overdue) == 1 and "overdue for review" in overdue[0].message


def test_phases_4_5_6_count_their_mandatory_items(
    world, django_assert_max_num_queries, progress_refresh_inline
):
    phases = list(world.project.phases.order_by("order"))
    with django_assert_max_num_queries(5):  # tasks, documents, gap analysis and audits together
        progress = phase_progress(world.project, phases)
    by_key = {p.key: progress[p.pk] for p in phases}
    assert (by_key["4"], by_key["5"], by_key["6"]) == (0, 0, 0)
    for code in ("REC-16", "REC-17"):
        doc = mandatory(world.project, code)
        doc.approver = world.user("auditor")
        doc.save()
        add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    phases = list(world.project.phases.order_by("order"))
    assert {p.key: p.progress for p in phases}["5"] == round(100 * 2 / 7)
