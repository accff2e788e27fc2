"""The start of operation of a process (versioned edit) and the dashboard's heat map."""

from datetime import date

from django.utils import timezone

from documents.models import OperatingProcess
from tests.factories import add_evidence


def edit_url(world):
    return f"/projects/{world.project.pk}/documents/operation/8-6-1/edit/"


def test_the_first_start_date_creates_the_process_and_a_stale_form_conflicts(world, client_for):
    lead = client_for("lead")
    data = {"started_on": "2026-08-01", "notes": "Run in the ITSM tool", "version": 1}
    assert lead.post(edit_url(world), data).status_code == 302
    row = OperatingProcess.objects.get(project=world.project, clause="8.6.1")
    assert (row.started_on, row.version) == (date(2026, 8, 1), 2)
    stale = {**data, "started_on": "2026-07-01"}
    assert lead.post(edit_url(world), stale).status_code == 409
    row.refresh_from_db()
    assert row.started_on == date(2026, 8, 1)


def test_a_start_date_is_required(world, client_for):
    response = client_for("contributor").post(edit_url(world), {"started_on": "", "version": 1})
    assert response.status_code == 422
    assert not OperatingProcess.objects.exists()


def test_the_heat_map_counts_entries_per_process_and_month(world, client_for):
    add_evidence(world.project, "8.6.1", months=2, per_month=2)
    html = client_for("viewer").get(f"/projects/{world.project.pk}/").content.decode()
    assert 'data-testid="heat-map"' in html
    this_month = timezone.localdate().strftime("%B %Y")
    assert f"Incident management, {this_month}: 2 entries" in html
    assert "0 of 24 processes meet the minimum operating period (3 months)" in html
