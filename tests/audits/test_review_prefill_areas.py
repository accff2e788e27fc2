"""More review inputs come from live data: customer satisfaction and supplier performance from the
documents, findings and gap scores the project holds on those clauses."""

import pytest

from audits.models import Grade
from audits.reviews import review_prefill
from tests.factories import make_audit, make_finding

pytestmark = pytest.mark.django_db


def test_customer_and_supplier_inputs_are_prefilled_from_findings(world):
    lead = world.user("lead")
    audit = make_audit(world.project, user=lead, scope=("8.3.2", "8.3.4.1"))
    make_finding(audit, user=lead, grade=Grade.MINOR_NC, clause="8.3.2")
    make_finding(audit, user=lead, grade=Grade.OBSERVATION, clause="8.3.4.1")
    prefill = review_prefill(world.project)
    assert "Audit findings on customer relationships" in prefill["customer_satisfaction"]
    assert "minor nonconformity" in prefill["customer_satisfaction"]
    assert "Audit findings on suppliers" in prefill["other_parties"]
    assert "observation" in prefill["other_parties"]


def test_a_new_project_lists_the_registers_documents_as_missing(world):
    prefill = review_prefill(world.project)
    assert "Service complaints (missing)" in prefill["customer_satisfaction"]
    assert "(missing)" in prefill["other_parties"]
    assert "Audit findings" not in prefill["customer_satisfaction"] + prefill["other_parties"]
