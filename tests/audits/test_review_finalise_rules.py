"""A management review an auditor accepts: finalising needs top management among the attendees, a
note on every clause 9.3 input, a meeting after the latest internal audit of the cycle and decisions
of each kind; the refusal lists everything missing and saves nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audits.models import OutputKind, ReviewStatus
from audits.reviews import review_finalise, review_update
from tests.factories import complete_review, hold_audit, make_audit, make_review

pytestmark = pytest.mark.django_db


def test_an_empty_review_is_refused_with_every_missing_thing(world, client_for):
    review = make_review(world.project, user=world.user("lead"), attendees=[world.user("viewer")])
    url = f"/projects/{world.project.pk}/audits/reviews/{review.pk}/finalise/"
    response = client_for("lead").post(url)
    assert response.status_code == 422
    body = response.content.decode()
    assert "top management" in body
    assert "No internal audit of this cycle has been held" in body
    assert "no note yet on" in body and "Customer satisfaction and complaints" in body
    assert "resource needs" in body
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT and review.finalised_at is None


def test_the_finalise_page_lists_what_is_missing_before_the_click(world, client_for):
    review = make_review(world.project, user=world.user("lead"))
    page = client_for("lead").get(f"/projects/{world.project.pk}/audits/reviews/{review.pk}/finalise/")
    assert page.status_code == 200
    assert 'data-testid="finalise-refusals"' in page.content.decode()


def test_a_meeting_before_the_latest_internal_audit_is_refused(world):
    lead = world.user("lead")
    review = complete_review(make_review(world.project, user=lead, attendees=[lead]), user=lead)
    later = hold_audit(make_audit(world.project, user=lead, title="Second audit", start_in=10), user=lead)
    with pytest.raises(ValidationError) as error:
        review_finalise(review=review, user=lead)
    assert "must come after the latest internal audit" in str(error.value) and "Second audit" in str(
        error.value
    )
    review = review_update(
        review=review,
        user=lead,
        expected_version=review.version,
        title=review.title,
        meeting_date=later.planned_end + timedelta(days=1),
        attendees=[lead],
        top_management=[lead],
    )
    assert review_finalise(review=review, user=lead).is_final


def test_top_management_must_attend(world):
    lead, viewer = world.user("lead"), world.user("viewer")
    review = make_review(world.project, user=lead, attendees=[lead])
    with pytest.raises(ValidationError) as error:
        review_update(
            review=review,
            user=lead,
            expected_version=review.version,
            title=review.title,
            meeting_date=review.meeting_date,
            attendees=[lead],
            top_management=[viewer],
        )
    assert "must be among the attendees" in str(error.value)


def test_top_management_without_an_account_counts(world):
    lead = world.user("lead")
    review = complete_review(make_review(world.project, user=lead, attendees=[lead]), user=lead)
    review = review_update(
        review=review,
        user=lead,
        expected_version=review.version,
        title=review.title,
        meeting_date=review.meeting_date,
        attendees=[lead],
        other_attendees="Anna Berg",
        other_top_management="Anna Berg, managing director",
    )
    assert review_finalise(review=review, user=lead).is_final


def test_a_complete_review_is_finalised_and_its_page_marks_top_management(world, client_for):
    lead = world.user("lead")
    review = complete_review(make_review(world.project, user=lead, attendees=[lead]), user=lead)
    assert review_finalise(review=review, user=lead).is_final
    page = client_for("viewer").get(review.get_absolute_url()).content.decode()
    assert "top management" in page
    assert page.count('data-testid="review-output"') == len(OutputKind.values)
