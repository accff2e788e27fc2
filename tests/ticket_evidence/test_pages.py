"""The pages show the figures and charts, and escape what the tool sent (pages, PDF, Excel)."""

import io
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from connectors.evidence import services
from connectors.evidence.reporting import figures_section
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when

HOSTILE = '<script>alert("x")</script>=HYPERLINK("http://evil")'


@pytest.fixture
def frozen(world):
    lead = world.user("lead")
    standard_rules(world.project, lead)
    conn = connector(world.project)
    ticket(conn, opened=when(2026, 11, 2), hours=3, title=HOSTILE, external_id="=1+1")
    ticket(conn, opened=when(2026, 11, 3), hours=30)
    population = services.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=lead, today=date(2026, 12, 6)
    )
    services.sample_draw(population=population, user=world.user("auditor"))
    return population


@time_machine.travel("2026-12-06 10:00Z", tick=False)
def test_the_process_page_and_the_dashboard_show_the_figures(world, frozen, client_for):
    client = client_for("viewer")
    page = client.get(f"/projects/{world.project.pk}/documents/operation/8-6-1/").content.decode()
    assert 'data-testid="ticket-panel"' in page and '<svg class="ticket-chart"' in page
    assert "Nov 2026 (2)" in page
    dashboard = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert 'id="ticket-figures-card"' in dashboard and "8.6.1 Incident management" in dashboard
    other = client.get(f"/projects/{world.project.pk}/documents/operation/9-2/").content.decode()
    assert 'data-testid="ticket-panel"' not in other  # no rule maps tickets to internal audit


def test_ticket_text_is_escaped_on_every_page(world, frozen, client_for):
    client = client_for("auditor")
    for url in (frozen.get_absolute_url(), frozen.sample.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "&lt;script&gt;alert" in body


def test_the_excel_export_keeps_formulas_as_text(world, frozen, client_for):
    response = client_for("viewer").get(frozen.get_absolute_url() + "export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "'=1+1" in values and not any(v.startswith("=") for v in values)


def test_the_management_report_section_carries_the_chart_escaped(world, frozen):
    from django.template.loader import render_to_string

    data = figures_section(world.project, today=date(2026, 12, 6), shared={})
    assert [row["clause"] for row in data["rows"]] == ["8.6.1"]
    html = render_to_string("reports/sections/ticket_figures.html", {"data": data})
    assert "<svg" in html and "8.6.1 Incident management" in html
    assert figures_section(world.project, today=date(2025, 1, 6), shared={}) is None
