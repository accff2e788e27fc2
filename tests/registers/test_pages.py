"""Every register's list and detail page for a member who only reads: rows, filters, pagination,
the empty state that says what to do next, the history on the detail page."""

import pytest

from registers.models import RiskStatus
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

pytestmark = pytest.mark.django_db

LISTS = ("issues", "parties", "services", "suppliers", "risks", "objectives")


def R(world):
    return f"/projects/{world.project.pk}/registers/"


@pytest.mark.parametrize("key", LISTS)
def test_an_empty_register_says_what_to_do_next(world, client_for, key):
    page = client_for("lead").get(R(world) + f"{key}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "The register is empty." in text
    assert f"/registers/{key}/new/" in text  # the lead is offered to add the first entry
    assert f"/registers/{key}/import/" in text


def test_a_viewer_sees_the_empty_state_without_the_add_link(world, client_for):
    text = client_for("viewer").get(R(world) + "risks/").content.decode()
    assert "The register is empty." in text
    assert "/registers/risks/new/" not in text


def test_the_risk_list_filters_by_status_and_search(world, client_for):
    make_risk(world.project, title="Cooling fails", status=RiskStatus.IDENTIFIED)
    make_risk(world.project, title="Staff leave", status=RiskStatus.TREATING)
    client = client_for("auditor")
    text = client.get(R(world) + "risks/?status=identified").content.decode()
    assert "Cooling fails" in text and "Staff leave" not in text
    text = client.get(R(world) + "risks/?q=staff").content.decode()
    assert "Staff leave" in text and "Cooling fails" not in text
    text = client.get(R(world) + "risks/?q=nothing-like-it").content.decode()
    assert "Nothing matches these filters." in text


def test_the_catalogue_paginates(world, client_for):
    for index in range(30):
        make_service(world.project, name=f"Service {index:02d}")
    client = client_for("viewer")
    first = client.get(R(world) + "services/").content.decode()
    assert "Page 1 of 2" in first and "Service 00" in first and "Service 29" not in first
    second = client.get(R(world) + "services/?page=2").content.decode()
    assert "Service 29" in second


def test_the_service_page_shows_targets_recent_months_and_history(world, client_for):
    lead = world.user("lead")
    service = make_service(world.project, name="E-mail", owner=lead)
    target = make_target(service)
    client = client_for("lead")
    client.post(
        R(world) + f"services/{service.pk}/edit/",
        {"name": "E-mail and calendar", "criticality": "high", "status": "live", "version": 1},
    )
    page = client_for("viewer").get(R(world) + f"services/{service.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "E-mail and calendar" in text and target.measure in text
    assert "History" in text and "E-mail → E-mail and calendar" in text.replace("</span> → ", " → ").replace(
        '<span class="text-muted">', ""
    )


def test_the_target_page_lists_the_months_met_and_missed(world, client_for):
    target = make_target(make_service(world.project))
    make_actual(target, value="99.9")
    make_actual(target, month=target.created_at.date().replace(year=2026, month=9, day=1), value="98.0")
    text = client_for("viewer").get(R(world) + f"targets/{target.pk}/").content.decode()
    assert "October 2026" in text and "September 2026" in text
    assert text.count(">Met<") == 1 and text.count(">Missed<") == 1


@pytest.mark.parametrize(
    "key, build",
    [
        ("issues", lambda w: make_issue(w.project)),
        ("parties", lambda w: make_party(w.project)),
        ("suppliers", lambda w: make_supplier(w.project)),
        ("risks", lambda w: make_risk(w.project)),
        ("objectives", lambda w: make_measurement(make_objective(w.project)).objective),
    ],
)
def test_every_detail_page_renders_for_an_auditor(world, client_for, key, build):
    obj = build(world)
    page = client_for("auditor").get(R(world) + f"{key}/{obj.pk}/")
    assert page.status_code == 200
    assert str(obj) in page.content.decode()
    assert "History" in page.content.decode()


def test_the_overview_and_the_context_page_render_before_anything_is_recorded(world, client_for):
    client = client_for("viewer")
    overview = client.get(R(world))
    assert overview.status_code == 200 and "not yet determined" in overview.content.decode()
    context = client.get(R(world) + "context/")
    assert "has not been determined" in context.content.decode()
