"""The connector pages: fetched text escaped, progress and last error visible, the lead's buttons for
the lead only, empty states that say what to do, and query counts that do not grow with the tickets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from connectors import services
from connectors.models import Connector, SyncRun, SyncState, Ticket
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def connector(lead_project):
    project, lead = lead_project
    return services.connector_create(
        project=project,
        user=lead,
        kind="servicenow",
        name="SN <i>prod</i>",
        base_url="https://sn.example.com/",
        username="u",
        secret="p",
        targets={"Incident": 8},
    )


def _tickets(connector, count, start=0):
    now = timezone.now()
    Ticket.objects.bulk_create(
        Ticket(
            connector=connector,
            project_id=connector.project_id,
            external_id=f"INC{start + i}",
            title=f"<script>alert({i})</script>",
            ticket_type="Incident",
            status="New",
            opened_at=now,
            source_updated_at=now,
        )
        for i in range(count)
    )


def test_fetched_text_is_escaped_and_state_progress_and_error_are_shown(client, connector, lead_project):
    project, lead = lead_project
    _tickets(connector, 3)
    Connector.objects.filter(pk=connector.pk).update(
        sync_state=SyncState.RUNNING,
        sync_done=200,
        sync_total=1000,
        last_error="Tool said <b>no</b>",
        claimed_until=timezone.now() + timedelta(minutes=5),
    )
    client.force_login(lead)
    html = client.get(connector.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "SN &lt;i&gt;prod&lt;/i&gt;" in html
    assert "200 of 1000 tickets read so far" in html
    assert "Tool said &lt;b&gt;no&lt;/b&gt;" in html
    assert "Incident 8 h" in html


def test_members_read_without_the_leads_buttons(client, connector, lead_project):
    project, _ = lead_project
    viewer = UserFactory(username="conn-viewer")
    add_member(project, viewer, "viewer")
    client.force_login(viewer)
    html = client.get(connector.get_absolute_url()).content.decode()
    assert "Sync now" not in html and "Test connection" not in html and "Remove" not in html
    listing = client.get(f"/projects/{project.pk}/connectors/").content.decode()
    assert "SN &lt;i&gt;prod&lt;/i&gt;" in listing


def test_empty_states_say_what_to_do_next(client, lead_project):
    project, lead = lead_project
    client.force_login(lead)
    assert "Add one to bring tickets in" in client.get(f"/projects/{project.pk}/connectors/").content.decode()
    csv = services.connector_create(project=project, user=lead, kind="csv", name="Export")
    assert "Import an export file to bring them in" in client.get(csv.get_absolute_url()).content.decode()


def test_a_sync_already_queued_is_not_queued_twice(client, connector, lead_project, monkeypatch):
    project, lead = lead_project
    sent = []
    monkeypatch.setattr("connectors.services.enqueue", lambda task, *args: sent.append(args))
    client.force_login(lead)
    url = connector.get_absolute_url() + "sync/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    run = SyncRun.objects.get(connector=connector)  # one queued run, for the one message
    assert sent == [(connector.pk, "manual", run.pk)]
    assert Connector.objects.get(pk=connector.pk).sync_state == SyncState.QUEUED


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_tickets_or_connectors(client, connector, lead_project, settings):
    settings.PAGE_CACHE = False
    project, lead = lead_project
    client.force_login(lead)
    listing = f"/projects/{project.pk}/connectors/"
    _tickets(connector, 5)
    small = (_count(client, listing), _count(client, connector.get_absolute_url()))
    _tickets(connector, 300, start=100)
    for i in range(5):
        services.connector_create(project=project, user=lead, kind="csv", name=f"Export {i}")
    large = (_count(client, listing), _count(client, connector.get_absolute_url()))
    assert large == small


def test_the_excel_export_keeps_formula_like_ticket_text_as_text(client, connector, lead_project):
    import io

    from openpyxl import load_workbook

    project, lead = lead_project
    now = timezone.now()
    Ticket.objects.create(
        connector=connector,
        project=project,
        external_id="INC9",
        title='=HYPERLINK("http://evil","x")',
        category="+cmd",
        opened_at=now,
        source_updated_at=now,
        is_emergency=True,
    )
    client.force_login(lead)
    response = client.get(connector.get_absolute_url() + "tickets.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell.value for cell in sheet[2]]
    assert (
        row[0] == "INC9"
        and row[1] == '\'=HYPERLINK("http://evil","x")'
        and row[4] == "'+cmd"
        and row[12] == "yes"
    )
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_the_progress_fragment_polls_while_running_and_reloads_the_page_when_done(
    client, connector, lead_project
):
    project, lead = lead_project
    client.force_login(lead)
    url = connector.get_absolute_url() + "progress/?was=running"
    Connector.objects.filter(pk=connector.pk).update(
        sync_state=SyncState.RUNNING,
        sync_done=40,
        sync_total=90,
        claimed_until=timezone.now() + timedelta(minutes=5),
    )
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert (
        'hx-trigger="every 2s"' in running.content.decode()
        and "40 of 90 tickets read so far" in running.content.decode()
    )
    assert "HX-Refresh" not in running
    Connector.objects.filter(pk=connector.pk).update(
        sync_state=SyncState.SUCCEEDED, last_synced_at=timezone.now()
    )
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_a_run_whose_worker_died_stops_showing_as_running(client, connector, lead_project):
    project, lead = lead_project
    Connector.objects.filter(pk=connector.pk).update(
        sync_state=SyncState.RUNNING, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(lead)
    html = client.get(connector.get_absolute_url()).content.decode()
    assert "hx-trigger" not in html and "Sync now</button>" in html and " disabled>Sync now" not in html
