"""What is no project archive at all is refused at the door, by the import page and the command.
(No demo here: the modules that use the shared demo use it in every test; tests/transfer/conftest.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from projects.models import Project
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_import_page_refuses_what_is_no_zip(client, db):
    client.force_login(UserFactory())
    response = client.post("/projects/import/", {"archive": SimpleUploadedFile("x.zip", b"<html>")})
    assert response.status_code == 422 and "not a zip archive" in response.content.decode()


def test_import_command_refuses_with_the_reason(tmp_path, db):
    lead = UserFactory(email="lead@example.com")
    path = tmp_path / "x.zip"
    path.write_bytes(b"nothing")
    with pytest.raises(CommandError, match="Refused, nothing imported: .*not a project archive"):
        call_command("import_project", str(path), "--lead", lead.email)
    assert not Project.objects.exists()
