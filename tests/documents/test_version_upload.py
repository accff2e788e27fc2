"""Uploading a version: refused files get a clear message (422) and leave nothing behind."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentStatus, DocumentVersion, VersionTransition
from tests.documents.conftest import stored_files
from tests.factories import PDF_BYTES, mandatory

# Runs on local disk and on the S3 server (issue 22 §1).
pytestmark = pytest.mark.storages


@pytest.fixture
def doc(world):
    document = mandatory(world.project, "DOC-02")
    document.owner, document.approver = world.user("contributor"), world.user("viewer")
    document.save()
    return document


def upload(client, world, doc, file):
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/versions/new/"
    return client.post(url, {"file": file, "change_summary": "First issue"})


def html_as_pdf():
    return SimpleUploadedFile("policy.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")


REFUSED = {
    "disallowed type": (lambda: SimpleUploadedFile("tool.exe", b"MZ\x90\x00" * 10), "not accepted"),
    "empty file": (lambda: SimpleUploadedFile("empty.pdf", b""), "empty"),
    "html renamed pdf": (html_as_pdf, "not a real .pdf file"),
    "html file": (lambda: SimpleUploadedFile("page.html", b"<html></html>"), "not accepted"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_upload_gets_message_and_stores_nothing(case, world, client_for, doc, media_root):
    make_file, message = REFUSED[case]
    response = upload(client_for("contributor"), world, doc, make_file())
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DocumentVersion.objects.exists()
    assert not VersionTransition.objects.exists()
    assert stored_files(media_root) == []
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.MISSING


def test_oversize_upload_is_refused(world, client_for, doc, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 50
    response = upload(client_for("contributor"), world, doc, SimpleUploadedFile("big.pdf", PDF_BYTES))
    assert response.status_code == 422
    assert "the limit is" in response.content.decode()
    assert not DocumentVersion.objects.exists()
    assert stored_files(media_root) == []


def test_pdf_upload_is_stored_under_a_safe_name_as_a_draft(world, client_for, doc, media_root):
    file = SimpleUploadedFile("../../Política de servicio.pdf", PDF_BYTES, "application/pdf")
    response = upload(client_for("contributor"), world, doc, file)
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert (version.number, version.status, version.author) == (1, "draft", world.user("contributor"))
    assert version.original_name == "Politica-de-servicio.pdf"
    assert version.file.name.startswith(f"documents/{world.project.pk}/{doc.pk}/")
    assert ".." not in version.file.name
    [stored] = stored_files(media_root)
    with default_storage.open(stored, "rb") as handle:
        assert handle.read() == PDF_BYTES
    doc.refresh_from_db()
    assert (doc.status, doc.latest_version) == (DocumentStatus.DRAFT, version)


def test_docx_is_accepted_by_content(world, client_for, doc):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    file = SimpleUploadedFile("policy.docx", buffer.getvalue())
    assert upload(client_for("contributor"), world, doc, file).status_code == 302
    assert DocumentVersion.objects.get().content_type.endswith("wordprocessingml.document")


def test_a_link_instead_of_a_file(world, client_for, doc):
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/versions/new/"
    response = client_for("contributor").post(
        url, {"link": "https://intranet.example.test/policy", "change_summary": "Published on the intranet"}
    )
    assert response.status_code == 302
    assert DocumentVersion.objects.get().link == "https://intranet.example.test/policy"


def test_neither_file_nor_link_is_refused(world, client_for, doc):
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/versions/new/"
    response = client_for("contributor").post(url, {"change_summary": "Nothing attached"})
    assert response.status_code == 422
    assert "Attach a file or give a link" in response.content.decode()


def test_a_new_draft_replaces_the_previous_draft(world, client_for, doc):
    client = client_for("contributor")
    upload(client, world, doc, SimpleUploadedFile("a.pdf", PDF_BYTES))
    upload(client, world, doc, SimpleUploadedFile("b.pdf", PDF_BYTES))
    first, second = DocumentVersion.objects.order_by("number")
    assert (first.status, second.status, second.number) == ("withdrawn", "draft", 2)


def test_no_new_version_while_one_waits_for_approval(world, client_for, doc):
    from tests.factories import add_version

    add_version(doc, world.user("contributor"), status="in_review")
    response = upload(client_for("contributor"), world, doc, SimpleUploadedFile("b.pdf", PDF_BYTES))
    assert response.status_code == 422
    assert "waiting for approval" in response.content.decode()
    assert DocumentVersion.objects.count() == 1
