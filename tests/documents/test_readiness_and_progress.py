from datetime import date, timedelta

import time_machine
from django.utils import timezone

from documents.models import VersionStatus
from documents.operation.processes import PROCESSES
from projects.progress import phase_progress
from readiness.gate import blockers_for as readiness_blockers
from readiness.rules.documents import CATEGORY, CATEGORY_OPERATION, CATEGORY_RECORDS
from tests.factories import add_version, mandatory


def document_blockers(project, category=CATEGORY):
    return [b for b in readiness_blockers(project) if b.category == category]


def test_every_required_document_blocks_until_approved(world):
    blockers = document_blockers(world.project)
    assert len(blockers) == 22  # 23 documents, DOC-19 only recommended
    assert not any("DOC-19" in b.message for b in blockers)
    doc = mandatory(world.project, "DOC-01")
    doc.approver = world.user("viewer")
    doc.save()
    add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    blockers = document_blockers(world.project)
    assert len(blockers) == 21
    assert not any("DOC-01" in b.message for b in blockers)
    assert blockers[0].url.startswith(f"/projects/{world.project.pk}/documents/")


def test_records_block_by_missing_evidence_not_by_approval(world):
    records = document_blockers(world.project, CATEGORY_RECORDS)
    # 20 records less the five the audits app holds and gates itself (audits held, a final review)
    assert len(records) == 15
    # approving a record's "version" does not make the evidence exist for an operational record
    doc = mandatory(world.project, "REC-08")
    doc.approver = world.user("viewer")
    doc.save()
    add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    assert any("REC-08" in b.message for b in document_blockers(world.project, CATEGORY_RECORDS))
    # evidence of competence is satisfied by evidence attached in the register (a draft is evidence)
    add_version(mandatory(world.project, "REC-01"), world.user("lead"))
    assert not any("REC-01" in b.message for b in document_blockers(world.project, CATEGORY_RECORDS))


def test_every_process_not_operating_blocks(world):
    from readiness.rules.documents import documented_information_blockers

    blockers = document_blockers(world.project, CATEGORY_OPERATION)  # the Stage 1 gate
    assert len(blockers) == len(PROCESSES) == 24
    assert blockers[0].message == "8.2.2 Plan the services: no start of operation recorded."
    stage2 = [
        b for b in documented_information_blockers(world.project, stage=2) if b.category == CATEGORY_OPERATION
    ]
    assert len(stage2) == 24
    assert stage2[0].message == (
        "8.2.2 Plan the services: no start of operation recorded; no completed cycle in the last 12 months."
    )


def test_an_approved_item_overdue_for_review_blocks_again(world):
    doc = mandatory(world.project, "DOC-01")
    doc.approver, doc.review_interval_months = world.user("viewer"), 1
    doc.save()
    add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        overdue = [b for b in document_blockers(world.project) if "DOC-01" in b.message]
    assert len(overdue) == 1 and "overdue for review" in overdue[0].message


def test_phases_count_their_mandatory_items_and_operation_its_months(
    world, django_assert_max_num_queries, progress_refresh_inline
):
    from documents.operation import services as operation
    from documents.operation.processes import process_by_clause

    phases = list(world.project.phases.order_by("order"))
    # tasks, gap analysis, audits and documents (approved items, months of evidence)
    with django_assert_max_num_queries(7):
        progress = phase_progress(world.project, phases)
    by_key = {p.key: progress[p.pk] for p in phases}
    assert (by_key["4"], by_key["5"], by_key["6"], by_key["9"]) == (0, 0, 0, 0)
    # records now sit in the phases that produce them, not in 5 and 6
    for code in ("DOC-06",):
        doc = mandatory(world.project, code)
        doc.approver = world.user("auditor")
        doc.save()
        add_version(doc, world.user("lead"), status=VersionStatus.APPROVED)
    incident = process_by_clause()["8.6.1"]
    today = timezone.localdate()
    for months_back in (2, 1, 0):  # oldest first: the stored progress is the last refresh's
        on = date(today.year, today.month, 1) - timedelta(days=28 * months_back)
        with time_machine.travel(on):  # recorded when it happened: backdated entries do not count
            operation.entry_create(
                project=world.project,
                process=incident,
                user=world.user("lead"),
                on=on,
                summary="Incidents handled",
                link="https://itsm.example.test/report",
            )
    phases = list(world.project.phases.order_by("order"))
    by_key = {p.key: p.progress for p in phases}
    assert by_key["5"] == 100  # DOC-06 is phase 5's only mandatory item now
    assert by_key["9"] == round(100 * 3 / (3 * len(PROCESSES)))
