"""Creating, editing (optimistic locking through versioned_edit) and deleting register entries."""

import datetime as dt
from decimal import Decimal

import pytest

from registers.models import ActualSource, Service, SlaActual, SlaTarget, Supplier
from registers.services import actual_record
from tests.registers.builders import make_actual, make_objective, make_service, make_supplier, make_target

pytestmark = pytest.mark.django_db


def R(world):
    return f"/projects/{world.project.pk}/registers/"


def test_the_lead_adds_a_service_with_its_dependencies(world, client_for):
    network = make_service(world.project, name="Network")
    response = client_for("lead").post(
        R(world) + "services/new/",
        {
            "name": "E-mail",
            "criticality": "high",
            "status": "live",
            "dependencies": [network.pk],
            "owner": world.user("contributor").pk,
        },
    )
    service = Service.objects.get(project=world.project, name="E-mail")
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    assert list(service.dependencies.all()) == [network]
    assert service.history.count() == 1


def test_a_duplicate_service_name_is_a_form_error_not_a_500(world, client_for):
    make_service(world.project, name="E-mail")
    response = client_for("lead").post(
        R(world) + "services/new/", {"name": "E-mail", "criticality": "high", "status": "live"}
    )
    assert response.status_code == 422
    assert Service.objects.filter(project=world.project).count() == 1


def test_a_stale_edit_answers_409_with_what_was_saved(world, client_for):
    service = make_service(world.project, name="E-mail")
    client = client_for("lead")
    first = client.post(
        R(world) + f"services/{service.pk}/edit/",
        {"name": "Mail", "criticality": "high", "status": "live", "version": 1},
    )
    assert first.status_code == 302
    stale = client.post(
        R(world) + f"services/{service.pk}/edit/",
        {"name": "Post", "criticality": "low", "status": "live", "version": 1},
    )
    assert stale.status_code == 409
    assert "Someone else saved this service" in stale.content.decode()
    assert 'value="Mail"' in stale.content.decode()
    service.refresh_from_db()
    assert (service.name, service.version) == ("Mail", 2)


def test_recording_a_month_works_out_met_or_missed(world, client_for):
    target = make_target(make_service(world.project), target="99.5")
    client = client_for("lead")
    response = client.post(
        R(world) + f"targets/{target.pk}/actuals/new/", {"month": "2026-11", "value": "99.1"}
    )
    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()
    actual = SlaActual.objects.get(target=target)
    assert (actual.month, actual.met, actual.source) == (dt.date(2026, 11, 1), False, ActualSource.MANUAL)
    assert actual.recorded_by == world.user("lead")


def test_a_second_figure_for_the_same_month_is_refused_with_a_clear_message(world, client_for):
    target = make_target(make_service(world.project))
    make_actual(target, month=dt.date(2026, 11, 1))
    response = client_for("lead").post(
        R(world) + f"targets/{target.pk}/actuals/new/", {"month": "2026-11", "value": "1"}
    )
    assert response.status_code == 422
    assert "November 2026 already has a figure" in response.content.decode()
    assert SlaActual.objects.filter(target=target).count() == 1


def test_changing_a_target_judges_the_recorded_months_again(world, client_for):
    target = make_target(make_service(world.project), target="99.5")
    actual = make_actual(target, value="99.0")
    assert actual.met is False
    client_for("lead").post(
        R(world) + f"targets/{target.pk}/edit/",
        {
            "measure": target.measure,
            "target": "98.5",
            "unit": "%",
            "direction": "at_least",
            "period": "monthly",
            "version": 1,
        },
    )
    actual.refresh_from_db()
    assert actual.met is True


def test_a_connector_fills_a_month_but_never_overwrites_a_hand_figure(world):
    target = make_target(make_service(world.project), target="99.5")
    computed = actual_record(target=target, month=dt.date(2026, 9, 1), value=Decimal("99.7"))
    assert (computed.source, computed.met) == (ActualSource.COMPUTED, True)
    make_actual(target, month=dt.date(2026, 10, 1), value="99.0")
    kept = actual_record(target=target, month=dt.date(2026, 10, 1), value=Decimal("99.9"))
    assert (kept.source, kept.value) == (ActualSource.MANUAL, Decimal("99.000"))


def test_the_contract_may_not_expire_before_it_starts(world, client_for):
    response = client_for("lead").post(
        R(world) + "suppliers/new/",
        {
            "name": "Hosting",
            "kind": "external",
            "performance_rating": "good",
            "contract_start": "2026-05-01",
            "contract_expiry": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert "cannot expire before it starts" in response.content.decode()
    assert not Supplier.objects.exists()


def test_deleting_asks_first_then_deletes_the_service_with_its_targets(world, client_for):
    service = make_service(world.project)
    make_actual(make_target(service))
    client = client_for("lead")
    confirm = client.get(R(world) + f"services/{service.pk}/delete/")
    assert confirm.status_code == 200 and "SLA targets and every month" in confirm.content.decode()
    assert Service.objects.filter(pk=service.pk).exists()
    response = client.post(R(world) + f"services/{service.pk}/delete/")
    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists() and not SlaTarget.objects.exists()


def test_a_contributor_edits_their_own_supplier_but_not_the_leads(world, client_for):
    mine = make_supplier(world.project, name="Mine", owner=world.user("contributor"))
    theirs = make_supplier(world.project, name="Theirs", owner=world.user("lead"))
    client = client_for("contributor")
    assert client.get(R(world) + f"suppliers/{mine.pk}/edit/").status_code == 200
    assert client.get(R(world) + f"suppliers/{theirs.pk}/edit/").status_code == 403


def test_the_climate_change_determination_needs_its_reason(world, client_for):
    client = client_for("lead")
    refused = client.post(
        R(world) + "context/edit/", {"climate_change": "not_relevant", "climate_change_reason": ""}
    )
    assert refused.status_code == 422 and "Give the reason" in refused.content.decode()
    saved = client.post(
        R(world) + "context/edit/",
        {"climate_change": "not_relevant", "climate_change_reason": "Office-only services."},
    )
    assert saved.status_code == 302
    determination = world.project.context_determination
    assert determination.climate_change_relevant is False
    again = {"climate_change": "relevant", "climate_change_reason": "Heat waves.", "version": 1}
    assert client.post(R(world) + "context/edit/", again).status_code == 302
    stale = client.post(R(world) + "context/edit/", {**again, "climate_change_reason": "Floods."})
    assert stale.status_code == 409
    determination.refresh_from_db()
    assert (determination.version, determination.climate_change_reason) == (2, "Heat waves.")


def test_a_measurement_per_objective_and_date(world, client_for):
    objective = make_objective(world.project, owner=world.user("contributor"))
    client = client_for("contributor")
    url = R(world) + f"objectives/{objective.pk}/measurements/new/"
    assert client.post(url, {"measured_on": "2026-11-30", "value": "72"}).status_code == 302
    again = client.post(url, {"measured_on": "2026-11-30", "value": "73"})
    assert again.status_code == 422 and "already a measurement" in again.content.decode()
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "On target" in page
