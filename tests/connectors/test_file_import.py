"""CSV / Excel import: upload, columns mapped (guessed from their names, changeable), a preview,
row-numbered errors, and all rows or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from connectors import services
from connectors.models import RunTrigger, SyncRun, Ticket

pytestmark = pytest.mark.django_db

GOOD = (
    "Key,Summary,Issue Type,Status,Created,Resolved,Emergency,Service\n"
    'HD-1,=HYPERLINK("http://evil"),Incident,Closed,2026-03-02 09:00,2026-03-02 11:30,,Mail\n'
    "HD-2,VPN <b>slow</b>,Incident,Open,2026-03-05T10:00:00Z,,,VPN\n"
    "HD-3,Patch servers,Change,Closed,2026-03-07 22:00,2026-03-08 01:00,yes,\n"
)


@pytest.fixture
def csv_connector(lead_project, client):
    project, lead = lead_project
    client.force_login(lead)
    return services.connector_create(project=project, user=lead, kind="csv", name="Helpdesk export")


def _base(connector):
    return f"/projects/{connector.project_id}/connectors/{connector.pk}/import/"


def _upload(client, connector, content, name="export.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(_base(connector), {"file": SimpleUploadedFile(name, data)})


def _token(response):
    return response.context["mapping"]["token"].value()


def _mapping(response, **changes):
    form = response.context["mapping"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return data


@pytest.fixture
def media_root(media):
    return media


def test_upload_guesses_the_mapping_and_previews_then_imports_every_row(client, csv_connector, media_root):
    response = _upload(client, csv_connector, GOOD)
    assert response.status_code == 200
    mapping = _mapping(response)
    assert (mapping["map_external_id"], mapping["map_title"], mapping["map_ticket_type"]) == (
        "Key",
        "Summary",
        "Issue Type",
    )
    html = response.content.decode()
    assert "VPN &lt;b&gt;slow&lt;/b&gt;" in html and "<b>slow</b>" not in html  # escaped in the preview
    assert not Ticket.objects.exists()  # a preview saves nothing
    done = client.post(_base(csv_connector) + "map/", {**mapping, "action": "import"})
    assert done.status_code == 302
    tickets = {t.external_id: t for t in Ticket.objects.filter(connector=csv_connector)}
    assert set(tickets) == {"HD-1", "HD-2", "HD-3"}
    assert tickets["HD-3"].is_emergency is True and tickets["HD-1"].service_name == "Mail"
    assert tickets["HD-1"].title == '=HYPERLINK("http://evil")'  # stored as text; the Excel writer guards it
    assert tickets["HD-2"].opened_at.isoformat() == "2026-03-05T10:00:00+00:00"
    run = SyncRun.objects.get(connector=csv_connector)
    assert (run.trigger, run.created) == (RunTrigger.UPLOAD, 3)


def test_a_bad_row_is_named_and_nothing_is_imported(client, csv_connector, media_root):
    bad = (
        GOOD
        + "HD-4,Broken date,Incident,Open,yesterday,,,\nHD-2,Duplicate,Incident,Open,2026-03-09 10:00,,,\n"
    )
    response = _upload(client, csv_connector, bad)
    mapping = _mapping(response)
    refused = client.post(_base(csv_connector) + "map/", {**mapping, "action": "import"})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Row 5, Created is not a date and time: &#x27;yesterday&#x27;" in html
    assert "Row 6: ticket HD-2 is already on row 3." in html
    assert not Ticket.objects.exists() and not SyncRun.objects.exists()


def test_changing_the_mapping_changes_the_preview_and_the_id_column_is_required(
    client, csv_connector, media_root
):
    response = _upload(client, csv_connector, GOOD)
    mapping = _mapping(response, map_title="Status", action="preview")
    preview = client.post(_base(csv_connector) + "map/", mapping)
    assert [row["title"] for row in preview.context["checked"].preview] == ["Closed", "Open", "Closed"]
    no_id = client.post(_base(csv_connector) + "map/", {**mapping, "map_external_id": ""})
    assert no_id.status_code == 422 and not Ticket.objects.exists()


def test_excel_import_and_reimport_updates_instead_of_duplicating(client, csv_connector, media_root):
    book = Workbook()
    sheet = book.active
    sheet.append(["Number", "Short description", "State", "Opened"])
    sheet.append(["INC1", "Disk full", "Resolved", "2026-02-01 08:00"])
    sheet.append(["INC2", "Printer", "New", "2026-02-02 08:00"])
    buffer = io.BytesIO()
    book.save(buffer)
    first = _upload(client, csv_connector, buffer.getvalue(), name="export.xlsx")
    assert first.status_code == 200
    client.post(_base(csv_connector) + "map/", {**_mapping(first), "action": "import"})
    again = _upload(client, csv_connector, GOOD.replace("HD-1", "INC1"))
    client.post(_base(csv_connector) + "map/", {**_mapping(again), "action": "import"})
    assert Ticket.objects.filter(connector=csv_connector).count() == 4
    assert Ticket.objects.get(connector=csv_connector, external_id="INC1").status == "Closed"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("export.txt", b"a,b\n", "Upload a CSV (.csv, UTF-8) or Excel (.xlsx)"),
        ("export.csv", "Key\n1\n".encode("utf-16"), "not UTF-8"),
        ("export.xlsx", b"PK\x03\x04 not really", "not a real .xlsx file"),
    ],
)
def test_unreadable_files_are_refused_with_their_reason(
    client, csv_connector, media_root, name, content, message
):
    response = _upload(client, csv_connector, content, name=name)
    assert response.status_code == 422 and message in response.content.decode()


def test_a_forged_file_token_is_refused(client, csv_connector, media_root):
    response = client.post(
        _base(csv_connector) + "map/",
        {"token": "connector-imports/../../settings.py", "map_external_id": "Key"},
    )
    assert response.status_code == 422 and "upload it again" in response.content.decode()
