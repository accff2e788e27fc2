import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from projects.models import Membership, Project, Role

pytestmark = pytest.mark.django_db


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


def test_the_import_page_makes_a_new_project_led_by_the_importer(client, demo_archive):
    outsider = get_user_model().objects.get(username="outsider")
    client.force_login(outsider)
    upload = SimpleUploadedFile("acme.zip", demo_archive, content_type="application/zip")
    response = client.post("/projects/import/", {"archive": upload})
    project = Project.objects.exclude(pk=Project.objects.order_by("pk").first().pk).get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert Membership.objects.get(project=project, user=outsider).role == Role.LEAD


def test_the_import_page_refuses_a_damaged_archive_with_its_reason(client, demo_archive):
    client.force_login(get_user_model().objects.get(username="outsider"))
    upload = SimpleUploadedFile("acme.zip", demo_archive[: len(demo_archive) // 2])
    response = client.post("/projects/import/", {"archive": upload})
    assert response.status_code == 422
    assert "truncated" in response.content.decode()
    assert Project.objects.count() == 1


def test_the_import_page_refuses_what_is_no_zip(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post("/projects/import/", {"archive": SimpleUploadedFile("x.zip", b"<html>")})
    assert response.status_code == 422 and "not a zip archive" in response.content.decode()


def test_commands_export_and_import_into_another_installation_with_placeholders(demo, tmp_path):
    """Another installation knows nobody of the archive: the people become inactive accounts
    without a password; the lead given by --lead leads the project."""
    path = tmp_path / "acme.zip"
    call_command("export_project", str(demo.pk), str(path), stdout=io.StringIO())
    User = get_user_model()
    emails = dict(User.objects.values_list("username", "email"))
    # as on another installation: the same people are unknown here under their e-mail addresses
    for user in User.objects.exclude(username="outsider"):
        User.objects.filter(pk=user.pk).update(email=f"old-{user.pk}@elsewhere.invalid")
    out = io.StringIO()
    call_command("import_project", str(path), "--lead", emails["outsider"], stdout=out)

    project = Project.objects.exclude(pk=demo.pk).get()
    members = Membership.objects.filter(project=project).select_related("user")
    placeholders = [m.user for m in members if m.user.username != "outsider"]
    assert {u.email for u in placeholders} == {
        emails[n] for n in ("lead", "contributor", "auditor", "viewer")
    }
    assert all(not u.is_active and not u.has_usable_password() for u in placeholders)
    assert {m.user.username: m.role for m in members}["outsider"] == Role.LEAD
    assert "created inactive" in out.getvalue()


def test_import_command_refuses_with_the_reason(tmp_path, db):
    path = tmp_path / "x.zip"
    path.write_bytes(b"nothing")
    with pytest.raises(CommandError, match="Refused, nothing imported: .*not a project archive"):
        call_command("import_project", str(path))
