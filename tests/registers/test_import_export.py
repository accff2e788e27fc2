"""Excel and CSV import (row-numbered errors, nothing half-saved) and export (through the one writer)
of the registers; an exported file imports again."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from registers.models import Risk, Service, Supplier
from tests.registers.builders import make_risk, make_service, make_supplier

pytestmark = pytest.mark.django_db


def R(world):
    return f"/projects/{world.project.pk}/registers/"


def upload(name, body: bytes):
    return {"file": SimpleUploadedFile(name, body)}


def test_a_csv_of_services_is_imported(world, client_for):
    make_service(world.project, name="Network")
    body = "Name,Status,Criticality,Owner,Depends on\nE-mail,Live,High,{u},Network\nBackup,planned,low,,\n"
    response = client_for("lead").post(
        R(world) + "services/import/",
        upload("s.csv", body.format(u=world.user("contributor").username).encode()),
    )
    assert response.status_code == 302
    email = Service.objects.get(name="E-mail")
    assert (email.owner, email.criticality) == (world.user("contributor"), "high")
    assert [s.name for s in email.dependencies.all()] == ["Network"]
    assert Service.objects.get(name="Backup").status == "planned"


def test_a_bad_row_names_its_row_and_nothing_is_saved(world, client_for):
    body = (
        "Title,Kind,Status,Likelihood,Impact,Owner\n"
        "Fire,Risk,Identified — awaiting treatment,1,5,\n"
        "Flood,Risk,identified,9,5,\n"
        "Theft,Risk,identified,2,2,nobody-here\n"
    )
    response = client_for("lead").post(R(world) + "risks/import/", upload("r.csv", body.encode()))
    text = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported" in text
    assert "Row 3: likelihood" in text
    assert "Row 4: owner “nobody-here” is not a member" in text
    assert not Risk.objects.exists()  # not even the good first row


def test_a_name_already_in_the_register_is_a_row_error(world, client_for):
    make_supplier(world.project, name="Hosting")
    body = b"Name,Kind\nCables,External supplier\nHosting,External supplier\n"
    response = client_for("lead").post(R(world) + "suppliers/import/", upload("s.csv", body))
    assert response.status_code == 422 and "Row 3:" in response.content.decode()
    assert list(Supplier.objects.values_list("name", flat=True)) == ["Hosting"]


@pytest.mark.parametrize(
    "name, body, message",
    [
        ("x.txt", b"Name\nA\n", "Choose an Excel (.xlsx) or CSV (.csv) file."),
        ("x.xlsx", b"not a workbook", "not a readable Excel workbook"),
        ("x.csv", "Name\n\u00e9".encode("latin-1"), "not UTF-8"),
        ("x.csv", b"Colour\nred\n", "unknown columns Colour"),
        ("x.csv", b"Kind\nExternal supplier\n", "missing columns Name"),
        ("x.csv", b"Name,Kind\n", "no rows to import"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_answer(world, client_for, name, body, message):
    response = client_for("lead").post(R(world) + "suppliers/import/", upload(name, body))
    assert response.status_code == 422
    assert message in response.content.decode()


def test_the_excel_export_quotes_formulas_and_imports_back(world, client_for):
    make_risk(
        world.project, title='=HYPERLINK("http://evil")', likelihood=2, impact=3, owner=world.user("lead")
    )
    client = client_for("viewer")
    response = client.get(R(world) + "risks/export.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Title", "Kind", "Status")
    assert rows[1][0].startswith("'=HYPERLINK")
    Risk.objects.all().delete()
    back = client_for("lead").post(R(world) + "risks/import/", upload("risks.xlsx", response.content))
    assert back.status_code == 302
    risk = Risk.objects.get()
    assert (risk.title, risk.likelihood, risk.impact, risk.owner) == (
        '=HYPERLINK("http://evil")',
        2,
        3,
        world.user("lead"),
    )


def test_the_csv_export_follows_the_filters(world, client_for):
    make_risk(world.project, title="Open one", status="identified")
    make_risk(world.project, title="Closed one", status="closed")
    text = client_for("auditor").get(R(world) + "risks/export.csv?status=closed").content.decode()
    assert "Closed one" in text and "Open one" not in text


def test_monthly_figures_of_several_targets_import_at_once_and_export_back(world, client_for):
    from registers.models import SlaActual
    from tests.registers.builders import make_target

    email = make_service(world.project, name="E-mail")
    make_target(email, measure="Availability", target="99.5")
    make_target(make_service(world.project, name="Desk"), measure="Resolved in 8 h", target="90")
    body = (
        "Service,Measure,Month,Value,Note\n"
        "e-mail,availability,2026-10,99.1,Outage\n"
        "Desk,Resolved in 8 h,2026-10-01,93,\n"
    )
    client = client_for("lead")
    assert client.post(R(world) + "actuals/import/", upload("a.csv", body.encode())).status_code == 302
    assert sorted(SlaActual.objects.values_list("met", flat=True)) == [False, True]
    exported = client.get(R(world) + "actuals/export.xlsx")
    SlaActual.objects.all().delete()
    assert client.post(R(world) + "actuals/import/", upload("a.xlsx", exported.content)).status_code == 302
    assert SlaActual.objects.count() == 2


def test_a_figure_for_an_unknown_target_or_a_month_twice_is_refused_whole(world, client_for):
    from registers.models import SlaActual
    from tests.registers.builders import make_target

    make_target(make_service(world.project, name="E-mail"), measure="Availability")
    body = (
        "Service,Measure,Month,Value\n"
        "E-mail,Availability,2026-10,99.9\n"
        "E-mail,Availability,2026-10,98\n"
        "Print,Pages,2026-10,1\n"
    )
    response = client_for("lead").post(R(world) + "actuals/import/", upload("a.csv", body.encode()))
    text = response.content.decode()
    assert response.status_code == 422
    assert "Row 3: month: October 2026 already has a figure" in text
    assert "Row 4: no SLA target “Pages” on a service “Print”" in text
    assert not SlaActual.objects.exists()
