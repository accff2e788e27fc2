"""Files on a task: stored through the product's upload checks, downloaded only by members and
only as attachments, removed with a confirmation (the stored file too)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from kernel.uploads import check_project_quota
from projects.attachments import attachment_add
from projects.models import TaskAttachment
from tests.factories import UserFactory, make_project, make_task, pdf_upload
from tests.storage.s3server import stored_names

pytestmark = [pytest.mark.django_db, pytest.mark.storages]


def _url(world, task, rest=""):
    return f"/projects/{world.project.pk}/tasks/{task.pk}/{rest}"


def test_a_member_attaches_a_file_and_it_is_served_as_a_download(world, client, media):
    task = make_task(world.project)
    client.force_login(world.user("auditor"))
    response = client.post(_url(world, task, "attachments/"), {"file": pdf_upload("Audit plan v2.pdf")})
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    attachment = TaskAttachment.objects.get(task=task)
    assert attachment.filename == "Audit-plan-v2.pdf" and attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == world.user("auditor")

    client.force_login(world.user("viewer"))
    assert "Audit-plan-v2.pdf" in client.get(_url(world, task)).content.decode()
    download = client.get(_url(world, task, f"attachments/{attachment.pk}/"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="Audit-plan-v2.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_outsiders_and_other_projects_get_404(world, client, media):
    task = make_task(world.project)
    attachment = attachment_add(task=task, user=world.user("lead"), upload=pdf_upload())
    url = _url(world, task, f"attachments/{attachment.pk}/")
    client.force_login(world.user("outsider"))
    assert client.get(url).status_code == 404

    # A member of another project who names this file under their own project's task.
    other_lead = UserFactory(username="other-lead")
    other = make_project(lead=other_lead, name="Other")
    other_task = make_task(other)
    client.force_login(other_lead)
    assert (
        client.get(f"/projects/{other.pk}/tasks/{other_task.pk}/attachments/{attachment.pk}/").status_code
        == 404
    )
    # ... and the file under another task of the same project is not found either.
    client.force_login(world.user("lead"))
    sibling = make_task(world.project, title="Sibling")
    assert client.get(_url(world, sibling, f"attachments/{attachment.pk}/")).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "Files of this type are not accepted"),
        ("notes.pdf", b"just text, not a PDF", "not a real .pdf file"),
        ("page.txt", b"<html><script>alert(1)</script>", "not a real .txt file"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_the_upload_checks_refuse_bad_files_and_store_nothing(world, client, media, name, content, message):
    task = make_task(world.project)
    client.force_login(world.user("contributor"))
    response = client.post(_url(world, task, "attachments/"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not TaskAttachment.objects.exists()
    assert stored_names() == []


def test_the_size_limit_and_the_project_quota_apply(world, client, media, settings):
    task = make_task(world.project)
    client.force_login(world.user("contributor"))
    settings.UPLOAD_MAX_BYTES = 40
    response = client.post(
        _url(world, task, "attachments/"), {"file": pdf_upload(content=b"%PDF-1.4\n" + b"x" * 60)}
    )
    assert response.status_code == 422 and "the limit is" in response.content.decode()

    settings.UPLOAD_MAX_BYTES = 10_000
    settings.UPLOAD_PROJECT_QUOTA_BYTES = 150
    assert client.post(_url(world, task, "attachments/"), {"file": pdf_upload()}).status_code == 302
    full = client.post(_url(world, task, "attachments/"), {"file": pdf_upload("second.pdf")})
    assert full.status_code == 422 and "storage is full" in full.content.decode()
    assert TaskAttachment.objects.count() == 1


def test_only_the_uploader_or_a_lead_removes_a_file_after_confirming(
    world, client, media, django_capture_on_commit_callbacks
):
    task = make_task(world.project)
    attachment = attachment_add(task=task, user=world.user("contributor"), upload=pdf_upload())
    stored = attachment.file.name
    assert default_storage.exists(stored)
    url = _url(world, task, f"attachments/{attachment.pk}/delete/")
    client.force_login(world.user("auditor"))
    assert client.post(url).status_code == 403
    client.force_login(world.user("contributor"))
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Remove the file" in confirm.content.decode()
    assert TaskAttachment.objects.filter(pk=attachment.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not TaskAttachment.objects.exists() and not default_storage.exists(stored)


def test_deleting_the_task_removes_its_files(world, client, media, django_capture_on_commit_callbacks):
    task = make_task(world.project)
    attachment = attachment_add(task=task, user=world.user("lead"), upload=pdf_upload())
    stored = attachment.file.name
    assert default_storage.exists(stored)
    client.force_login(world.user("lead"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(world, task, "delete/")).status_code == 302
    assert not default_storage.exists(stored)


def test_task_files_count_towards_the_project_quota_of_other_uploads(world, media, settings):
    attachment_add(task=make_task(world.project), user=world.user("lead"), upload=pdf_upload())
    settings.UPLOAD_PROJECT_QUOTA_BYTES = 100
    with pytest.raises(ValidationError):
        check_project_quota(project=world.project, adding=50)
