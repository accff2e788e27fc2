"""Document versions through the API: an upload goes through the same content checks as the web
(core.uploads via documents.services.version_create); a refused file stores nothing; downloads
take the same checks as the list."""

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentVersion
from tests.api.conftest import url
from tests.factories import make_document, pdf_upload


def test_owner_uploads_a_version_and_every_member_downloads_it(api, world, media):
    document = make_document(world.project, owner=world.user("contributor"))
    response = api(world.user("contributor")).post(
        url(world.project, f"documents/{document.pk}/versions/"),
        {"change_summary": "First issue", "file": pdf_upload("policy.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    version = response.json()
    assert (
        version["number"] == 1
        and version["status"] == "draft"
        and version["content_type"] == "application/pdf"
    )
    detail = api(world.user("viewer")).get(url(world.project, f"documents/{document.pk}/")).json()
    assert [v["id"] for v in detail["versions"]] == [version["id"]]
    download = api(world.user("viewer")).get(
        url(world.project, f"documents/{document.pk}/versions/{version['id']}/download/")
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_disguised_file_is_refused_and_nothing_is_stored(api, world, media):
    document = make_document(world.project, owner=world.user("lead"))
    fake = SimpleUploadedFile("policy.docx", b"MZ\x90\x00 this is an executable", "application/octet-stream")
    response = api(world.user("lead")).post(
        url(world.project, f"documents/{document.pk}/versions/"),
        {"change_summary": "Sneaky", "file": fake},
        format="multipart",
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not DocumentVersion.objects.filter(document=document).exists()
    assert not list(media.rglob("*.docx")) if media.exists() else True


def test_contributor_may_not_add_versions_to_a_document_they_do_not_own(api, world):
    document = make_document(world.project, owner=world.user("lead"))
    response = api(world.user("contributor")).post(
        url(world.project, f"documents/{document.pk}/versions/"),
        {"change_summary": "x", "link": "https://intranet.example.test/x"},
        format="json",
    )
    assert response.status_code == 403


def test_report_download_needs_a_finished_report(api, world):
    from reports.models import ReportStatus
    from tests.factories import make_report

    queued = make_report(world.project, status=ReportStatus.QUEUED)
    client = api(world.user("viewer"))
    assert client.get(url(world.project, f"reports/{queued.pk}/download/")).status_code == 404
    assert client.get(url(world.project, f"reports/{queued.pk}/")).json()["status"] == "queued"
