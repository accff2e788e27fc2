"""The registers' Stage 1 readiness rules, each a blocker with a link, through the readiness
extension: empty catalogue, risks without treatment or owner, expired contracts, objectives without
measurements, a context never reviewed (and the climate determination not made)."""

import datetime as dt

from django.utils import timezone

from readiness.gate import readiness
from registers.models import ClimateRelevance, ContextDetermination, RiskStatus
from tests.registers.builders import make_measurement, make_objective, make_risk, make_service, make_supplier


def registers(project):
    return [(b.message, b.url) for b in readiness(project, 1).blockers if b.category == "Registers"]


def test_a_new_project_is_blocked_by_an_empty_catalogue_and_an_unreviewed_context(world):
    p = world.project
    assert registers(p) == [
        (
            "The service catalogue is empty: add the services the SMS covers (8.2.4).",
            f"/projects/{p.pk}/registers/services/",
        ),
        (
            "The context (internal and external issues, interested parties) has never been reviewed (4.1, 4.2).",  # noqa: E501
            f"/projects/{p.pk}/registers/context/",
        ),
        (
            "Whether climate change is a relevant issue is not yet determined (4.1, Amd 1:2024).",
            f"/projects/{p.pk}/registers/context/",
        ),
    ]
    group = next(g for g in readiness(p, 1).groups if g.category == "Registers")
    assert group.headline == "Registers: 3 register entries to complete"


def test_each_incomplete_entry_is_one_blocker_linking_to_it(world):
    p, lead = world.project, world.user("lead")
    today = timezone.localdate()
    make_service(p)
    no_owner = make_risk(p, title="Cooling fails", treatment="Second unit")
    untreated = make_risk(p, title="Key person leaves", owner=lead)
    make_risk(p, title="Accepted one", owner=lead, status=RiskStatus.ACCEPTED)  # acceptance is its treatment
    make_risk(p, title="Closed one", status=RiskStatus.CLOSED)
    expired = make_supplier(
        p, name="Old Hosting", contract_reference="C-7", contract_expiry=today - dt.timedelta(days=1)
    )
    make_supplier(p, name="Current", contract_expiry=today)
    unmeasured = make_objective(p, title="Faster fixes")
    make_measurement(make_objective(p, title="Measured one"))
    ContextDetermination.objects.create(
        project=p,
        climate_change=ClimateRelevance.NOT_RELEVANT,
        climate_change_reason="Office only.",
        reviewed_on=today,
    )
    assert registers(p) == [
        ("Risk “Cooling fails” has no owner (6.1).", no_owner.get_absolute_url()),
        ("Risk “Key person leaves” has no treatment (6.1).", untreated.get_absolute_url()),
        (
            f"The contract with Old Hosting (C-7) expired on {expired.contract_expiry:%-d %b %Y}: renew it or record "  # noqa: E501
            "the agreement now in force (8.3.4).",
            expired.get_absolute_url(),
        ),
        ("Objective “Faster fixes” has no measurement yet (6.2).", unmeasured.get_absolute_url()),
    ]


def test_complete_registers_block_nothing(world):
    p, lead = world.project, world.user("lead")
    make_service(p)
    make_risk(p, owner=lead, treatment="Second unit")
    make_measurement(make_objective(p))
    ContextDetermination.objects.create(
        project=p,
        climate_change=ClimateRelevance.RELEVANT,
        climate_change_reason="Heat.",
        reviewed_on=timezone.localdate(),
    )
    assert registers(p) == []


def test_the_rules_read_the_registers_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    from registers.readiness import register_blockers

    p = world.project
    for n in range(30):
        make_risk(p, title=f"Risk {n}")
        make_objective(p, title=f"Objective {n}")
    with django_assert_max_num_queries(5):
        assert len(register_blockers(p)) == 63
