"""Issue 19 defect 2: the import runs in the background. The web request checks the upload's envelope
and queues a job; the job page shows its progress and survives a reload; imports are limited per
person; an archive whose data.json is far larger than the rows it declares is refused at once."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from projects.models import Project
from tests.browser.demo import DEMO_PROJECTS
from tests.factories import UserFactory
from tests.storage.s3server import stored_names
from transfer import services
from transfer.models import ImportJob, ImportStage, ImportStatus
from transfer.tasks import run_import

# Runs on local disk and on the S3 server (issue 22 §1).
pytestmark = [pytest.mark.django_db, pytest.mark.storages]


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "enqueue", lambda task, *args: sent.append(args[0]))
    return sent


def upload(content: bytes, name="acme.zip"):
    return SimpleUploadedFile(name, content, content_type="application/zip")


def padded(archive: bytes, blank: int) -> bytes:
    """The archive with `blank` bytes of blank space in data.json (valid JSON), manifest made to match."""
    import hashlib

    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    data = members.pop("data.json")
    data = data[:-1] + b" " * blank + data[-1:]
    manifest["members"] = [m for m in manifest["members"] if m["path"] != "data.json"] + [
        {"path": "data.json", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", data)
        for name, content in members.items():
            zf.writestr(name, content)
        zf.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue()


def test_the_web_request_imports_nothing_itself_and_queues_the_job(client, demo_archive, queued, media):
    user = get_user_model().objects.get(username="outsider")
    client.force_login(user)
    response = client.post("/projects/import/", {"archive": upload(demo_archive)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert Project.objects.count() == DEMO_PROJECTS  # only the demo: the request did not import
    assert queued == [job.pk]
    assert job.status == ImportStatus.QUEUED and job.rows_total > 1000
    # stored through the storage API, where a worker on another server reads it
    assert job.archive.name.startswith("imports/") and job.archive.storage.exists(job.archive.name)


def test_the_job_page_and_its_progress_fragment_survive_a_reload(client, demo_archive, queued, media):
    user = get_user_model().objects.get(username="outsider")
    client.force_login(user)
    client.post("/projects/import/", {"archive": upload(demo_archive)})
    job = ImportJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting for a worker" in page and f"/projects/import/{job.pk}/progress/" in page

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, stage=ImportStage.ROWS, rows_done=500
    )
    fragment = client.get(f"/projects/import/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "Importing the records" in text
    assert f"500 of {job.rows_total} records" in text and 'role="progressbar"' in text
    assert "HX-Refresh" not in fragment

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, stage=ImportStage.QUEUED)
    assert run_import(job.pk) == "done"
    finished = client.get(f"/projects/import/{job.pk}/progress/?was=active", HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"  # the page reloads whole, with the invitation choice
    job.refresh_from_db()
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.project.get_absolute_url() in page and 'hx-trigger="every 2s"' not in page


def test_a_refused_archive_shows_its_reason_on_the_job_page(client, demo_archive, queued, media):
    user = get_user_model().objects.get(username="outsider")
    client.force_login(user)
    contents = zipfile.ZipFile(io.BytesIO(demo_archive))
    members = {n: contents.read(n) for n in contents.namelist()}
    members["data.json"] = members["data.json"].replace(b"Acme", b"Acmf", 1)  # checksum no longer matches
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    client.post("/projects/import/", {"archive": upload(buffer.getvalue())})
    job = ImportJob.objects.get()
    assert run_import(job.pk) == "refused"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "does not match its checksum" in job.error
    assert Project.objects.count() == DEMO_PROJECTS and not job.archive
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The archive was not imported." in page and "does not match its checksum" in page


def test_padding_beyond_what_the_declared_rows_can_need_is_refused_in_the_request(
    client, demo_archive, queued, media
):
    """The attack of the issue, smaller: blank space far beyond what the declared rows can need is
    refused from the zip directory alone, before data.json is parsed, with no job and no file."""
    client.force_login(UserFactory())
    with override_settings(PROJECT_IMPORT_BASE_BYTES=1024 * 1024, PROJECT_IMPORT_MAX_BYTES_PER_ROW=1024):
        response = client.post(
            "/projects/import/", {"archive": upload(padded(demo_archive, 8 * 1024 * 1024))}
        )
    assert response.status_code == 422
    assert "which no real project archive needs" in response.content.decode()
    assert not ImportJob.objects.exists() and queued == [] and Project.objects.count() == DEMO_PROJECTS
    assert not [name for name in stored_names() if name.startswith("imports/")]


def test_one_value_or_blank_run_longer_than_the_bound_is_refused_while_streaming(demo_archive, media):
    from transfer import importer
    from transfer.archive import ArchiveRefused

    lead = get_user_model().objects.get(username="lead")
    with override_settings(PROJECT_IMPORT_MAX_VALUE_BYTES=256 * 1024):
        with pytest.raises(ArchiveRefused, match="longer than 0.2 MB"):
            importer.import_archive(io.BytesIO(padded(demo_archive, 1024 * 1024)), lead=lead)
    assert Project.objects.count() == DEMO_PROJECTS


def test_a_row_beyond_its_bound_is_refused(demo_archive, media):
    from transfer import importer
    from transfer.archive import ArchiveRefused

    lead = get_user_model().objects.get(username="lead")
    with override_settings(PROJECT_IMPORT_MAX_ROW_BYTES=64):
        with pytest.raises(ArchiveRefused, match="a row of .* larger than"):
            importer.import_archive(io.BytesIO(demo_archive), lead=lead)
    assert Project.objects.count() == DEMO_PROJECTS


def test_a_manifest_that_understates_the_rows_is_refused(demo_archive, media):
    from tests.transfer.test_refusals import members, rebuild
    from transfer import importer
    from transfer.archive import ArchiveRefused

    def fewer(manifest):
        manifest["counts"]["projects.task"] -= 1

    archive = rebuild(members(demo_archive), manifest_change=fewer)
    lead = get_user_model().objects.get(username="lead")
    with pytest.raises(ArchiveRefused, match="does not hold the rows the manifest declares .*projects.task"):
        importer.import_archive(io.BytesIO(archive), lead=lead)


@override_settings(PROJECT_IMPORT_MAX_RUNNING_PER_USER=1, PROJECT_IMPORT_MAX_PER_HOUR=2)
def test_imports_are_limited_per_person(client, demo_archive, queued, media):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/projects/import/", {"archive": upload(demo_archive)}).status_code == 302
    second = client.post("/projects/import/", {"archive": upload(demo_archive)})
    assert second.status_code == 429 and "still running" in second.content.decode()

    ImportJob.objects.update(status=ImportStatus.FAILED)
    assert client.post("/projects/import/", {"archive": upload(demo_archive)}).status_code == 302
    ImportJob.objects.update(status=ImportStatus.FAILED)
    third = client.post("/projects/import/", {"archive": upload(demo_archive)})
    assert third.status_code == 429 and "in the last hour" in third.content.decode()
    assert ImportJob.objects.filter(created_by=user).count() == 2
    # someone else is not held back by this person's imports
    client.force_login(UserFactory())
    assert client.post("/projects/import/", {"archive": upload(demo_archive)}).status_code == 302


def test_a_queue_that_is_down_keeps_nothing_and_says_try_again(client, demo_archive, broker_down, media):
    client.force_login(UserFactory())
    response = client.post("/projects/import/", {"archive": upload(demo_archive)})
    assert response.status_code == 503
    assert "could not be queued" in response.content.decode() and "try again" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not [name for name in stored_names() if name.startswith("imports/")]


def test_someone_elses_job_is_not_found(client, demo_archive, queued, media):
    client.force_login(get_user_model().objects.get(username="outsider"))
    client.post("/projects/import/", {"archive": upload(demo_archive)})
    job = ImportJob.objects.get()
    client.force_login(get_user_model().objects.get(username="lead"))
    for url in (job.get_absolute_url(), f"/projects/import/{job.pk}/progress/"):
        assert client.get(url).status_code == 404


def test_a_job_taken_twice_is_imported_once(demo_archive, queued, media, client):
    client.force_login(get_user_model().objects.get(username="outsider"))
    client.post("/projects/import/", {"archive": upload(demo_archive)})
    job = ImportJob.objects.get()
    assert run_import(job.pk) == "done"
    assert run_import(job.pk) == "skipped"
    assert Project.objects.count() == DEMO_PROJECTS + 1
