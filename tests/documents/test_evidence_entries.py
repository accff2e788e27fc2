"""Recording, editing and deleting operating evidence through the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import EvidenceEntry
from tests.documents.conftest import stored_files
from tests.factories import add_version, mandatory, pdf_upload

# Runs on local disk and on the S3 server (issue 22 §1).
pytestmark = pytest.mark.storages


def url(world, suffix=""):
    return f"/projects/{world.project.pk}/documents/operation/8-6-1/{suffix}"


def test_a_contributor_records_a_file_and_every_member_downloads_it_as_attachment(world, client_for, media):
    response = client_for("contributor").post(
        url(world, "entries/new/"),
        {"on": "2026-10-31", "summary": "October: 42 incidents handled", "file": pdf_upload("october.pdf")},
    )
    assert response.status_code == 302
    entry = EvidenceEntry.objects.get()
    assert (entry.original_name, entry.created_by) == ("october.pdf", world.user("contributor"))
    download = client_for("auditor").get(url(world, f"entries/{entry.pk}/download/"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    page = client_for("viewer").get(url(world)).content.decode()
    assert "October: 42 incidents handled" in page and "Edit" not in page


def test_a_disguised_file_is_refused_and_nothing_is_stored(world, client_for, media):
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    response = client_for("lead").post(
        url(world, "entries/new/"), {"on": "2026-10-31", "summary": "October", "file": fake}
    )
    assert response.status_code == 422
    assert not EvidenceEntry.objects.exists() and stored_files(media) == []


def test_two_sources_or_none_are_refused(world, client_for):
    version = add_version(mandatory(world.project, "REC-08"), world.user("lead"))
    both = {
        "on": "2026-10-31",
        "summary": "x",
        "link": "https://itsm.example.test/r",
        "document_version": version.pk,
    }
    assert client_for("lead").post(url(world, "entries/new/"), both).status_code == 422
    none = {"on": "2026-10-31", "summary": "x"}
    assert client_for("lead").post(url(world, "entries/new/"), none).status_code == 422
    assert not EvidenceEntry.objects.exists()
    ok = {"on": "2026-10-31", "summary": "Incident records export", "document_version": version.pk}
    assert client_for("lead").post(url(world, "entries/new/"), ok).status_code == 302
    assert EvidenceEntry.objects.get().document_version == version


def test_a_date_out_of_range_is_a_form_error(world, client_for):
    data = {"on": "0202-10-31", "summary": "x", "link": "https://itsm.example.test/r"}
    assert client_for("lead").post(url(world, "entries/new/"), data).status_code == 422


def test_an_edit_after_someone_else_saved_is_refused_with_409(world, client_for):
    client_for("lead").post(
        url(world, "entries/new/"),
        {"on": "2026-10-31", "summary": "October", "link": "https://a.example.test/"},
    )
    entry = EvidenceEntry.objects.get()
    first = {
        "on": "2026-10-31",
        "summary": "October, corrected",
        "link": "https://a.example.test/",
        "version": 1,
    }
    assert client_for("lead").post(url(world, f"entries/{entry.pk}/edit/"), first).status_code == 302
    stale = {**first, "summary": "Stale edit"}
    response = client_for("lead").post(url(world, f"entries/{entry.pk}/edit/"), stale)
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.summary == "October, corrected"


def test_an_edit_without_a_new_file_keeps_the_file(world, client_for, media):
    client_for("lead").post(
        url(world, "entries/new/"), {"on": "2026-10-31", "summary": "October", "file": pdf_upload("oct.pdf")}
    )
    entry = EvidenceEntry.objects.get()
    data = {"on": "2026-10-30", "summary": "October (all teams)", "version": entry.version}
    assert client_for("lead").post(url(world, f"entries/{entry.pk}/edit/"), data).status_code == 302
    entry.refresh_from_db()
    assert (entry.original_name, entry.summary) == ("oct.pdf", "October (all teams)")


def test_deleting_an_entry_removes_its_file_and_its_month(
    world, client_for, media, django_capture_on_commit_callbacks
):
    client_for("contributor").post(
        url(world, "entries/new/"), {"on": "2026-10-31", "summary": "October", "file": pdf_upload("oct.pdf")}
    )
    entry = EvidenceEntry.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("contributor").post(url(world, f"entries/{entry.pk}/delete/"))
    assert response.status_code == 302
    assert not EvidenceEntry.objects.exists() and stored_files(media) == []


def test_an_unknown_process_is_404(world, client_for):
    assert client_for("lead").get(f"/projects/{world.project.pk}/documents/operation/7-2/").status_code == 404
