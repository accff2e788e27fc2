import pytest
from django.core.exceptions import ValidationError

from audits.reviews import REVIEW_INPUTS, review_finalise, review_section_update
from projects.models import Task
from tests.factories import complete_review, hold_audit, make_audit, make_finding, make_review


def test_review_has_one_section_per_input_prefilled_from_live_data(world):
    lead = world.user("lead")
    audit = make_audit(world.project, user=lead, scope=["9.2"])
    make_finding(audit, user=lead, owner=world.user("contributor"))
    hold_audit(audit, user=lead)
    review = make_review(world.project, user=lead)
    sections = {s.key: s for s in review.sections.all()}
    assert list(sections) == [key for key, _ in REVIEW_INPUTS]
    assert "Audits held: 1 of 1" in sections["performance"].prefill
    assert "minor nonconformity 1 (1 open)" in sections["performance"].prefill
    assert "No actions from earlier reviews." in sections["previous_actions"].prefill


def test_actions_become_roadmap_tasks_and_final_minutes_are_read_only(world, client):
    lead = world.user("lead")
    review = make_review(world.project, user=lead, attendees=[world.user("viewer")])
    client.force_login(lead)
    base = f"/projects/{world.project.pk}/audits/reviews/{review.pk}/"
    response = client.post(
        base + "actions/new/",
        {"title": "Budget a second auditor", "assignee": world.user("contributor").pk, "priority": "high"},
    )
    assert response.status_code == 302
    task = Task.objects.get(title="Budget a second auditor")
    assert task.phase.key == "12" and task.review_action.review == review

    assert client.post(base + "finalise/").status_code == 422  # no decisions yet
    review = complete_review(review, user=lead, decisions="Hire.")
    assert client.post(base + "finalise/").status_code == 302
    review.refresh_from_db()
    assert review.is_final and review.finalised_by == lead
    assert client.get(base + "edit/").status_code == 409
    assert client.post(base + "actions/new/", {"title": "Late", "priority": "low"}).status_code == 409
    section = review.sections.first()
    with pytest.raises(ValidationError):
        review_section_update(section=section, user=lead, expected_version=section.version, notes="changed")
    with pytest.raises(ValidationError):
        review_finalise(review=review, user=lead)
    page = client.get(base).content.decode()
    assert "read-only" in page and "Finalise minutes" not in page


def test_prefill_reads_gap_score_and_document_status(world):
    from gapanalysis.models import Result
    from tests.factories import answer_all, make_assessment

    lead = world.user("lead")
    gap = make_assessment(world.project, user=lead, clause_numbers=["9.2"], title="Baseline")
    answer_all(gap, Result.PARTIAL, user=lead)
    review = make_review(world.project, user=lead)
    performance = review.sections.get(key="performance").prefill
    assert "Latest gap analysis “Baseline” (in progress): score 50%." in performance
    assert "Required documented information in place: 0 of 42." in performance
    expected = "Operating evidence: 0 of 24 processes meet the minimum operating period (3 months)."
    assert expected in performance
