"""The management review's inputs are pre-filled from the registers: SLA attainment trend and
objectives status (performance), supplier performance (other parties), risk changes (risks),
context changes including climate (context)."""

import datetime as dt

import time_machine
from django.utils import timezone

from audits.reviews import review_prefill
from registers.models import ClimateRelevance, ContextDetermination, PerformanceRating, RiskStatus
from tests.factories import finalise_review, make_review
from tests.registers.builders import (
    make_actual,
    make_issue,
    make_measurement,
    make_objective,
    make_party,
    make_risk,
    make_service,
    make_supplier,
    make_target,
)

TODAY = dt.date(2026, 11, 20)


@time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False)
def test_each_input_says_what_the_registers_hold(world):
    p = world.project
    email = make_target(make_service(p, name="E-mail"))
    desk = make_target(make_service(p, name="Service desk"), measure="Resolved within 8 h", target="90")
    make_actual(email, month=dt.date(2026, 10, 1), value="99.9")
    make_actual(desk, month=dt.date(2026, 10, 1), value="85")
    make_actual(email, month=dt.date(2026, 11, 1), value="99.7")
    make_measurement(
        make_objective(p, title="Faster fixes", target="70"), measured_on=dt.date(2026, 10, 31), value="65"
    )
    make_objective(p, title="Happier customers", measure="CSAT", target="4")
    make_supplier(
        p,
        name="Cool Air Ltd",
        performance_rating=PerformanceRating.POOR,
        contract_expiry=dt.date(2026, 12, 31),
    )
    make_supplier(
        p, name="Old Hosting", performance_rating=PerformanceRating.GOOD, contract_expiry=dt.date(2026, 10, 1)
    )
    make_risk(p, title="Cooling fails", likelihood=4, impact=5, status=RiskStatus.TREATING)
    make_risk(p, title="Green hosting", kind="opportunity")
    ContextDetermination.objects.create(
        project=p,
        climate_change=ClimateRelevance.RELEVANT,
        climate_change_reason="Heat waves strain the cooling of data centre A.",
        reviewed_on=dt.date(2026, 6, 1),
    )
    make_issue(p, title="Extreme heat", climate_related=True)
    make_party(p, name="Customers", climate_requirements="Carbon footprint per service")

    prefill = review_prefill(p, today=TODAY)

    performance = prefill["performance"]
    assert (
        "SLA attainment, targets met of recorded, last six months: Jun 2026 —, Jul 2026 —, Aug 2026 —, Sep 2026 —, Oct 2026 1/2 (50%), Nov 2026 1/1 (100%)."  # noqa: E501
        in performance
    )
    assert "Objectives (2 active): 0 on target, 1 below target, 1 without a measurement." in performance
    assert "Below target: Faster fixes 65 (31 Oct 2026) (target ≥ 70)." in performance
    others = prefill["other_parties"]
    assert "Supplier performance (2 suppliers): good 1, poor 1." in others
    assert "Performing poorly or needing improvement: Cool Air Ltd (poor)." in others
    assert "Contracts expired: Old Hosting (1 Oct 2026)." in others
    assert "Contracts expiring within three months: Cool Air Ltd (31 Dec 2026)." in others
    risks = prefill["risks"]
    assert (
        "Risk register: 1 risks, 1 opportunities; in the last 12 months (since 20 Nov 2025): 2 new, 0 changed, 0 closed."  # noqa: E501
        in risks
    )
    assert "High risks still open: Cooling fails (score 20, treatment in progress)." in risks
    context = prefill["context_changes"]
    assert (
        "Climate change is relevant as an issue: Heat waves strain the cooling of data centre A." in context
    )
    assert "Context last reviewed on 1 Jun 2026." in context
    assert "Issues: 1 (1 climate-related)" in context
    assert "Interested parties: 1 (1 with climate-related requirements)" in context


def test_empty_registers_say_so_and_the_climate_determination_is_asked_for(world):
    prefill = review_prefill(world.project)
    assert "SLA attainment: the service catalogue is empty." in prefill["performance"]
    assert "Supplier register: empty." in prefill["other_parties"]
    assert prefill["risks"] == "Risks and opportunities: the register is empty."
    assert "whether it is a relevant issue is not yet determined" in prefill["context_changes"]
    assert "The context has never been reviewed." in prefill["context_changes"]


def test_changes_are_counted_since_the_last_finalised_review(world):
    p, lead = world.project, world.user("lead")
    risk = make_risk(p, title="Old risk")
    review = make_review(p, user=lead, attendees=[world.user("viewer")], meeting_in=0)
    finalise_review(review, user=lead)
    later = timezone.now() + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        make_risk(p, title="New risk")
        risk.status = RiskStatus.CLOSED
        risk.save()
        text = review_prefill(p, today=timezone.localdate())["risks"]
    review.refresh_from_db()
    assert f"since the last review ({review.meeting_date:%-d %b %Y}): 1 new, 1 changed, 1 closed." in text


def test_a_new_review_shows_the_prefilled_inputs_on_its_page(world, client_for):
    make_service(world.project, name="E-mail")
    review = make_review(world.project, user=world.user("lead"), attendees=[world.user("viewer")])
    page = client_for("viewer").get(review.get_absolute_url()).content.decode()
    assert "SLA attainment: no monthly SLA actuals recorded in the last six months." in page
    assert "Supplier register: empty." in page
