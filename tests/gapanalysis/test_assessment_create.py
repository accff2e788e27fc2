"""Creating assessments: scope, auditors, kinds, the template version kept."""

import pytest
from django.core.exceptions import ValidationError

from gapanalysis import selectors
from gapanalysis.models import AssessmentKind, Response
from tests.factories import iso_template, make_assessment, make_template


def test_no_scope_gives_one_response_per_question_of_the_template(world):
    assessment = make_assessment(world.project, user=world.user("lead"))
    assert Response.objects.filter(assessment=assessment).count() == iso_template().questions.count()
    assert not assessment.scope_clauses.exists()


def test_scope_by_heading_takes_its_leaf_clauses_only(world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["8.3", "9.2"])
    clauses = set(
        Response.objects.filter(assessment=assessment).values_list("question__clause__number", flat=True)
    )
    assert clauses == {"8.3.1", "8.3.2", "8.3.3", "8.3.4.1", "8.3.4.2", "9.2"}
    assert set(assessment.scope_clauses.values_list("number", flat=True)) == clauses


def test_unknown_scope_clause_is_refused(world):
    with pytest.raises(ValidationError, match="not in the checklist: 11.1"):
        make_assessment(world.project, user=world.user("lead"), clause_numbers=["4", "11.1"])


def test_only_auditors_and_leads_can_be_assigned(world):
    with pytest.raises(ValidationError, match="auditor or lead role"):
        make_assessment(world.project, user=world.user("lead"), auditors=[world.user("contributor")])


def test_assessment_keeps_its_template_version_after_a_new_version_is_imported(world):
    first = make_template(slug="versions", version=1)
    assessment = make_assessment(world.project, user=world.user("lead"), template=first)
    make_template(slug="versions", version=2, clauses=3)
    assessment.refresh_from_db()
    assert assessment.template == first
    assert Response.objects.filter(assessment=assessment).count() == 6


def test_audit_checklists_are_not_listed_and_do_not_count_for_phase_3(client, world):
    lead = world.user("lead")
    gap = make_assessment(world.project, user=lead, title="Baseline", clause_numbers=["4"])
    make_assessment(
        world.project, user=lead, title="Internal audit 1", clause_numbers=["9"], kind=AssessmentKind.AUDIT
    )
    assert selectors.latest_gap_assessment(world.project) == gap
    assert selectors.gap_phase_progress(world.project) == {
        "3": (0, Response.objects.filter(assessment=gap).count())
    }
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/gap/").content.decode()
    assert "Baseline" in page and "Internal audit 1" not in page


def test_lead_creates_an_assessment_from_the_form(client, world):
    client.force_login(world.user("lead"))
    reply = client.post(
        f"/projects/{world.project.pk}/gap/new/",
        {
            "title": "Baseline",
            "template": iso_template().pk,
            "clause_numbers": "4, 5.2",
            "auditors": [world.user("auditor").pk],
        },
    )
    assessment = selectors.latest_gap_assessment(world.project)
    assert reply.status_code == 302 and reply["Location"] == assessment.get_absolute_url()
    assert set(
        Response.objects.filter(assessment=assessment).values_list("question__clause__number", flat=True)
    ) == {"4.1", "4.2", "4.3", "4.4", "5.2.1", "5.2.2"}
    assert list(assessment.auditor_assignments.values_list("user__username", "clause")) == [("auditor", None)]


def test_create_form_with_a_bad_scope_answers_422(client, world):
    client.force_login(world.user("lead"))
    reply = client.post(
        f"/projects/{world.project.pk}/gap/new/",
        {"title": "Baseline", "template": iso_template().pk, "clause_numbers": "42"},
    )
    assert reply.status_code == 422
    assert "not in the checklist: 42" in reply.content.decode()
    assert selectors.latest_gap_assessment(world.project) is None


def test_lead_assigns_an_auditor_per_clause(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["8.2"])
    auditor = world.user("auditor")
    client.force_login(world.user("lead"))
    reply = client.post(
        f"/projects/{world.project.pk}/gap/{assessment.pk}/auditors/",
        {f"assigned_{auditor.pk}": "on", f"clauses_{auditor.pk}": "8.2.5, 8.2.6"},
    )
    assert reply.status_code == 302
    assert sorted(assessment.auditor_assignments.values_list("clause__number", flat=True)) == [
        "8.2.5",
        "8.2.6",
    ]
    reply = client.post(
        f"/projects/{world.project.pk}/gap/{assessment.pk}/auditors/",
        {f"assigned_{auditor.pk}": "on", f"clauses_{auditor.pk}": "9.1"},
    )
    assert reply.status_code == 422
    assert "not in this assessment" in reply.content.decode()
    assert assessment.auditor_assignments.count() == 2
