from datetime import date, timedelta

import pytest
import time_machine

from documents import selectors
from documents.models import DocumentReview, ReviewState, VersionStatus
from tests.factories import add_version, mandatory


@pytest.fixture
def approved(world):
    with time_machine.travel("2026-01-15 09:00:00+00:00", tick=False):
        doc = mandatory(world.project, "DOC-22")
        doc.owner, doc.approver, doc.review_interval_months = world.user("contributor"), world.user("lead"), 6
        doc.save()
        version = add_version(doc, world.user("contributor"), status=VersionStatus.APPROVED)
    doc.refresh_from_db()
    return doc, version


def test_next_review_date_is_approval_plus_interval(approved):
    doc, _ = approved
    assert doc.next_review_date == date(2026, 7, 15)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2026-06-14", ReviewState.OK),
        ("2026-06-15", ReviewState.DUE),
        ("2026-07-15", ReviewState.DUE),
        ("2026-07-16", ReviewState.OVERDUE),
    ],
)
def test_review_due_within_30_days_then_overdue(approved, today, state):
    doc, _ = approved
    assert doc.review_state(date.fromisoformat(today)) == state


@time_machine.travel("2026-07-20 09:00:00+00:00", tick=False)
def test_no_change_review_sets_a_new_date_on_the_same_version(world, client_for, approved):
    doc, version = approved
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/review/"
    response = client_for("contributor").post(url, {"outcome": "no_change", "notes": "Still accurate"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.next_review_date == date(2027, 1, 20)
    assert doc.current_version == version
    review = DocumentReview.objects.get()
    assert (review.version, review.reviewed_by, review.outcome) == (
        version,
        world.user("contributor"),
        "no_change",
    )


@time_machine.travel("2026-07-20 09:00:00+00:00", tick=False)
def test_a_review_that_needs_a_new_version_leads_to_the_upload(world, client_for, approved):
    doc, _ = approved
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/review/"
    response = client_for("contributor").post(url, {"outcome": "new_version"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/documents/{doc.pk}/versions/new/")
    doc.refresh_from_db()
    assert doc.next_review_date == date(2026, 7, 15)  # stays overdue until the new version is approved


def test_review_without_outcome_is_refused(world, client_for, approved):
    doc, _ = approved
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/review/"
    assert client_for("contributor").post(url, {}).status_code == 422
    assert not DocumentReview.objects.exists()


def test_status_summary_counts_statuses_and_reviews(world, approved):
    summary = selectors.document_status_summary(world.project, today=date(2026, 7, 16))
    assert summary["by_status"]["approved"] == 1
    assert summary["by_status"]["missing"] == 42
    assert (summary["review_overdue"], summary["review_due"], summary["total"]) == (1, 0, 43)
    summary = selectors.document_status_summary(world.project, today=date(2026, 7, 16) - timedelta(days=10))
    assert (summary["review_overdue"], summary["review_due"]) == (0, 1)
