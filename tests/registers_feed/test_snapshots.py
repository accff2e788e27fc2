"""A register snapshot: the register frozen as a PDF (a new version of its document in the document
register, sent to the approver) and an Excel file; approving it satisfies the mandatory item."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from documents import services as document_services
from documents.models import Document, DocumentStatus, VersionStatus
from documents.selectors import mandatory_coverage
from registers.feed_models import RegisterSnapshot, SnapshotStatus
from reports.register_snapshots import snapshot_render
from tests.factories import mandatory
from tests.registers.builders import make_risk, make_service, make_supplier, make_target


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """A POST, then the task run as the worker would run it (tasks are called directly in unit tests)."""

    def send(client, path, data):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(path, data)
        assert len(queued) == (1 if response.status_code == 302 and RegisterSnapshot.objects.exists() else 0)
        for snapshot in RegisterSnapshot.objects.filter(status=SnapshotStatus.QUEUED):
            snapshot_render(snapshot_id=snapshot.pk)
        return response

    return send


def url(world):
    return f"/projects/{world.project.pk}/reports/register-snapshots/"


@pytest.fixture
def catalogue(world):
    make_target(make_service(world.project, name="E-mail", owner=world.user("contributor")))
    make_service(world.project, name="Service desk")
    document = mandatory(world.project, "DOC-08")
    document.approver = world.user("lead")
    document.save()
    return document


def test_a_snapshot_files_a_pdf_version_for_approval_and_keeps_the_excel(
    world, client_for, media, catalogue, post
):
    client = client_for("contributor")
    assert post(client, url(world), {"register": "services"}).status_code == 302
    snapshot = RegisterSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.DONE and snapshot.entries == 2
    version = snapshot.document_version
    assert version.document == catalogue and version.status == VersionStatus.IN_REVIEW
    assert version.original_name.endswith(".pdf") and version.author == world.user("contributor")
    with version.file.open("rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert (
        "Service catalogue and SLA targets — snapshot" in text
        and "Service desk" in text
        and "Availability" in text
    )
    with snapshot.excel.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames == ["Service catalogue", "SLA targets"]
    assert [row[0] for row in book["Service catalogue"].iter_rows(min_row=2, values_only=True)] == [
        "E-mail",
        "Service desk",
    ]
    excel = client.get(url(world) + f"{snapshot.pk}/excel/")
    assert excel.status_code == 200 and excel["Content-Disposition"].startswith("attachment")
    page = client.get(url(world)).content.decode()
    assert "DOC-08 v1" in page and "in review" in page


def test_approving_the_snapshot_satisfies_the_mandatory_item(world, client_for, media, catalogue, post):
    before = mandatory_coverage(world.project).approved
    post(client_for("contributor"), url(world), {"register": "services"})
    version = RegisterSnapshot.objects.get().document_version
    document_services.version_approve(version=version, user=world.user("lead"))
    catalogue.refresh_from_db()
    assert catalogue.status == DocumentStatus.APPROVED and catalogue.current_version == version
    assert mandatory_coverage(world.project).approved == before + 1


def test_the_supplier_register_is_filed_under_a_document_of_its_own_that_is_no_mandatory_item(
    world, client_for, media, post
):
    make_supplier(world.project, name="Cool Air Ltd")
    post(client_for("lead"), url(world), {"register": "suppliers"})
    snapshot = RegisterSnapshot.objects.get()
    document = snapshot.document_version.document
    assert (document.code, document.mandatory_code, document.title) == ("REG-SUP", "", "Supplier register")
    assert snapshot.document_version.status == VersionStatus.DRAFT  # no approver named yet


def test_risks_and_objectives_go_to_their_mandatory_items(world, media):
    from registers.snapshots import snapshot_request

    make_risk(world.project)
    for register, code in (("risks", "DOC-04"), ("objectives", "DOC-03")):
        snapshot = snapshot_request(project=world.project, register=register, user=world.user("lead"))
        snapshot_render(snapshot_id=snapshot.pk)
        snapshot.refresh_from_db()
        assert snapshot.document_version.document.mandatory_code == code


def test_a_snapshot_made_twice_is_filed_once(world, media, catalogue, django_capture_on_commit_callbacks):
    from registers.snapshots import snapshot_request

    with django_capture_on_commit_callbacks(execute=False):
        snapshot = snapshot_request(project=world.project, register="services", user=world.user("lead"))
    snapshot_render(snapshot_id=snapshot.pk)
    assert snapshot_render(snapshot_id=snapshot.pk) is None
    assert catalogue.versions.count() == 1


def test_viewers_and_auditors_may_not_snapshot_an_unknown_register_is_refused(world, client_for, media):
    assert client_for("viewer").post(url(world), {"register": "services"}).status_code == 403
    assert client_for("auditor").post(url(world), {"register": "services"}).status_code == 403
    response = client_for("lead").post(url(world), {"register": "nonsense"}, follow=True)
    assert "Choose a register to snapshot." in response.content.decode()
    assert not RegisterSnapshot.objects.exists()
    assert not Document.objects.filter(code="REG-SUP").exists()
