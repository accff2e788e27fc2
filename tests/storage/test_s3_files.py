"""Files in an S3-compatible bucket (issue 22 §1), against moto's real S3 server: the settings pick the
bucket from the standard AWS_* variables, every kind of stored file lands in the bucket and nothing on
the web server's disk, downloads are streamed through the app after the permission check, and the
storage quota counts exactly what the bucket holds."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from documents.operation import services as operation
from documents.operation.processes import process_by_clause
from kernel import extensions
from kernel.filestore import is_s3
from kernel.uploads import check_project_quota
from projects.attachments import attachment_add
from reports.models import Report
from tests.factories import (
    PDF_BYTES,
    add_file_evidence,
    add_version,
    make_answered_assessment,
    make_report,
    make_task,
    mandatory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db
on_s3 = pytest.mark.parametrize("media", ["s3"], indirect=True)

PROBE = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("probe/hello.txt", ContentFile(b"hello bucket"))
with default_storage.open(name, "rb") as handle:
    back = handle.read().decode()
print(json.dumps({"backend": settings.STORAGES["default"]["BACKEND"], "name": name, "back": back}))
"""


def _probe(environment: dict, tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(environment, MEDIA_ROOT=str(tmp_path / "probe-media"), SMS_TRACKER_TESTING="1")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_aws_variables_put_files_in_the_bucket_and_without_them_on_local_disk(
    s3_server, s3_bucket, tmp_path
):
    on_bucket = _probe(s3_server.environment(s3_bucket), tmp_path)
    assert on_bucket["backend"] == "storages.backends.s3.S3Storage" and on_bucket["back"] == "hello bucket"
    assert s3_server.keys(s3_bucket) == {"probe/hello.txt": 12}
    assert not (tmp_path / "probe-media").exists()

    on_disk = _probe({}, tmp_path)
    assert on_disk["backend"] == "django.core.files.storage.FileSystemStorage"
    assert (tmp_path / "probe-media" / "probe" / "hello.txt").read_bytes() == b"hello bucket"
    assert s3_server.keys(s3_bucket) == {"probe/hello.txt": 12}  # the disk run wrote nothing there


def _bucket_of(storage) -> str:
    return storage.bucket_name


def _stored_everything(world):
    """One file of each kind the app keeps, through the services the views call."""
    lead = world.user("lead")
    attachment = attachment_add(task=make_task(world.project), user=lead, upload=pdf_upload("plan.pdf"))
    assessment = make_answered_assessment(world.project, user=lead)
    evidence = add_file_evidence(assessment.responses.order_by("pk").first(), user=lead)
    version = add_version(mandatory(world.project), lead, link="", upload=pdf_upload("policy.pdf"))
    entry = operation.entry_create(
        project=world.project,
        process=process_by_clause()["8.6.1"],
        user=lead,
        on=date(2026, 10, 31),
        summary="October figures",
        upload=pdf_upload("october.pdf", PDF_BYTES + b"october"),
    )
    report = make_report(world.project, user=lead)
    return {
        "attachment": (attachment.file.name, attachment.size),
        "evidence": (evidence.file.name, evidence.size),
        "version": (version.file.name, version.size),
        "operation": (entry.file.name, entry.size),
        "report": (report.file.name, Report.objects.get(pk=report.pk).file.size),
    }


@on_s3
def test_every_kind_of_stored_file_is_in_the_bucket_and_none_on_the_servers_disk(world, media, s3_server):
    assert is_s3(default_storage)
    stored = _stored_everything(world)
    in_bucket = s3_server.keys(_bucket_of(default_storage))
    assert {name: size for name, size in stored.values()} == in_bucket
    assert all(size > 0 for size in in_bucket.values())
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


@on_s3
def test_a_download_streams_from_the_bucket_through_the_app_after_the_permission_check(
    world, client, media, s3_server
):
    task = make_task(world.project)
    content = PDF_BYTES + b"x" * 300_000  # bigger than one chunk of the response
    attachment = attachment_add(task=task, user=world.user("lead"), upload=pdf_upload("big.pdf", content))
    url = f"/projects/{world.project.pk}/tasks/{task.pk}/attachments/{attachment.pk}/"

    client.force_login(world.user("viewer"))
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith('attachment; filename="big.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff" and "Location" not in response
    assert "X-Amz" not in str(response.headers) and s3_server.endpoint not in str(response.headers)

    client.force_login(world.user("outsider"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


@on_s3
def test_the_quota_counts_the_bytes_the_bucket_holds_for_the_project(world, media, settings, s3_server):
    stored = _stored_everything(world)
    bucket = s3_server.keys(_bucket_of(default_storage))
    counted = {name: size for kind, (name, size) in stored.items() if kind != "report"}  # uploads only
    assert sum(usage(world.project) for usage in extensions.upload_usage()) == sum(
        bucket[name] for name in counted
    )

    settings.UPLOAD_PROJECT_QUOTA_BYTES = sum(counted.values()) + 50  # the next file has 79 bytes
    check_project_quota(project=world.project, adding=50)
    with pytest.raises(ValidationError, match="storage is full"):
        attachment_add(
            task=make_task(world.project), user=world.user("lead"), upload=pdf_upload("one-more.pdf")
        )
    assert s3_server.keys(_bucket_of(default_storage)) == bucket  # the refused file never reached it


@on_s3
def test_a_report_pdf_in_the_bucket_downloads_through_the_view_and_the_api(world, client, media):
    report = make_report(world.project, user=world.user("lead"))
    with default_storage.open(report.file.name, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")

    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/reports/{report.pk}/download/")
    assert page.status_code == 200 and b"".join(page.streaming_content) == content
    assert page["Content-Disposition"].startswith("attachment")
    api = client.get(f"/api/v1/projects/{world.project.pk}/reports/{report.pk}/download/")
    assert api.status_code == 200 and b"".join(api.streaming_content) == content

    client.force_login(world.user("outsider"))
    assert client.get(f"/projects/{world.project.pk}/reports/{report.pk}/download/").status_code == 404


@on_s3
def test_the_monthly_report_email_attaches_the_pdf_read_from_the_bucket(world, media):
    from kernel.outbox import message_email
    from notifications.models import OutboxMessage

    report = make_report(world.project, user=world.user("lead"))
    viewer = world.user("viewer")
    message = OutboxMessage.objects.create(
        recipient=viewer,
        subject_type="project",
        subject_id=world.project.pk,
        kind="monthly_report",
        day=date(2026, 12, 1),
        to_email=viewer.email or "viewer@example.test",
        subject="Monthly report",
        body_text="Attached.",
        report=report,
    )
    [(filename, content, mimetype)] = message_email(message).attachments
    with default_storage.open(report.file.name, "rb") as handle:
        assert (filename, content, mimetype) == (report.filename, handle.read(), "application/pdf")
