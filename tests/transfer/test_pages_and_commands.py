import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from projects.models import Membership, Project, Role
from tests.browser.demo import DEMO_PROJECTS
from transfer import services
from transfer.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The task queue as the web process sees it: the ids it was given (the test runs the task)."""
    sent = []
    monkeypatch.setattr(services, "enqueue", lambda task, *args: sent.append((task.name, *args)))
    return sent


def test_lead_downloads_the_archive_as_an_attachment(client, demo):
    client.force_login(get_user_model().objects.get(username="lead"))
    response = client.get(f"/projects/{demo.pk}/export/archive/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Type"] == "application/zip"
    archive = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert {"manifest.json", "data.json"} <= set(zf.namelist())


@pytest.mark.parametrize("username,status", [("contributor", 403), ("viewer", 403), ("outsider", 404)])
def test_others_cannot_download_the_archive(client, demo, username, status):
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get(f"/projects/{demo.pk}/export/archive/").status_code == status


def test_the_import_page_queues_a_job_that_makes_a_new_project_led_by_the_importer(
    client, demo_archive, queued
):
    outsider = get_user_model().objects.get(username="outsider")
    client.force_login(outsider)
    upload = SimpleUploadedFile("acme.zip", demo_archive, content_type="application/zip")
    response = client.post("/projects/import/", {"archive": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/import/{job.pk}/"
    assert queued == [("transfer.tasks.run_import", job.pk)] and job.status == ImportStatus.QUEUED
    assert Project.objects.count() == DEMO_PROJECTS  # nothing imported by the web request

    from transfer.tasks import run_import

    assert run_import(job.pk) == "done"
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and not job.archive  # the upload is deleted once read
    assert Membership.objects.get(project=job.project, user=outsider).role == Role.LEAD
    page = client.get(f"/projects/import/{job.pk}/").content.decode()
    assert job.project.get_absolute_url() in page and "People in the archive" in page


def test_the_import_page_refuses_a_damaged_archive_with_its_reason(client, demo_archive, queued):
    client.force_login(get_user_model().objects.get(username="outsider"))
    upload = SimpleUploadedFile("acme.zip", demo_archive[: len(demo_archive) // 2])
    response = client.post("/projects/import/", {"archive": upload})
    assert response.status_code == 422
    assert "truncated" in response.content.decode()
    assert Project.objects.count() == DEMO_PROJECTS and not ImportJob.objects.exists() and queued == []


def test_commands_export_and_import_into_another_installation(demo, tmp_path):
    """Another installation: the lead given by --lead leads the project and is its only member; the
    people of the archive are listed on the job for the lead to invite."""
    path = tmp_path / "acme.zip"
    call_command("export_project", str(demo.pk), str(path), stdout=io.StringIO())
    outsider = get_user_model().objects.get(username="outsider")
    out = io.StringIO()
    call_command("import_project", str(path), "--lead", outsider.email, stdout=out)

    assert Project.objects.count() == DEMO_PROJECTS + 1
    project = Project.objects.latest("pk")  # the imported one, made last
    assert dict(Membership.objects.filter(project=project).values_list("user", "role")) == {
        outsider.pk: Role.LEAD
    }
    job = ImportJob.objects.get(project=project)
    assert {p.email for p in job.people.all()} >= {
        u.email for u in get_user_model().objects.filter(username__in=["lead", "contributor", "auditor"])
    }
    assert f"/projects/import/{job.pk}/" in out.getvalue() and "nobody of them is a member" in out.getvalue()
