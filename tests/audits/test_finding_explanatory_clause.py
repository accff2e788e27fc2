"""No nonconformity is raised against an explanatory clause (8.3.1 in checklist v3): it sets no
requirement. An observation or an opportunity for improvement may still be recorded there."""

import pytest
from django.core.exceptions import ValidationError

from audits import services
from audits.clauses import informative_clauses
from audits.models import Finding, Grade
from tests.factories import make_audit, make_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(world):
    return make_audit(world.project, user=world.user("lead"), scope=("8.3.1", "8.3.2"))


def test_the_audit_clause_list_knows_8_3_1_is_explanatory(audit):
    assert informative_clauses() == {"8.3.1"}


@pytest.mark.parametrize("grade", [Grade.MAJOR_NC, Grade.MINOR_NC])
def test_a_nonconformity_against_8_3_1_is_refused(world, audit, grade):
    with pytest.raises(ValidationError) as refused:
        make_finding(audit, user=world.user("lead"), grade=grade, clause="8.3.1", owner=world.user("lead"))
    assert "8.3.1 is explanatory" in " ".join(refused.value.messages)
    assert not Finding.objects.exists()


def test_an_observation_there_is_recorded_and_cannot_be_regraded_into_a_nonconformity(world, audit):
    lead = world.user("lead")
    finding = make_finding(audit, user=lead, grade=Grade.OBSERVATION, clause="8.3.1")
    assert finding.clause == "8.3.1"
    with pytest.raises(ValidationError):
        services.finding_update(
            finding=finding, user=lead, expected_version=finding.version, grade=Grade.MINOR_NC, owner=lead
        )
    finding.refresh_from_db()
    assert finding.grade == Grade.OBSERVATION


def test_the_form_answers_422_and_saves_nothing(world, audit, client_for):
    reply = client_for("lead").post(
        f"/projects/{world.project.pk}/audits/{audit.pk}/findings/new/",
        {
            "grade": Grade.MINOR_NC,
            "clause": "8.3.1",
            "description": "No relationship overview.",
            "evidence": "Asked the service manager.",
            "owner": world.user("lead").pk,
        },
    )
    assert reply.status_code == 422
    assert "8.3.1 is explanatory" in reply.content.decode()
    assert not Finding.objects.exists()


def test_a_nonconformity_against_the_clause_that_holds_the_requirement_stands(world, audit):
    finding = make_finding(audit, user=world.user("lead"), clause="8.3.2", owner=world.user("lead"))
    assert (finding.clause, finding.grade) == ("8.3.2", Grade.MINOR_NC)
