import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from tests.factories import PDF_BYTES, make_project, mandatory
from tests.permissions.matrix import ROLES

# Runs on local disk and on the S3 server (issue 22 §1).
pytestmark = pytest.mark.storages


@pytest.fixture
def version(world):
    doc = mandatory(world.project, "DOC-02")
    doc.owner, doc.approver = world.user("contributor"), world.user("viewer")
    doc.save()
    file = SimpleUploadedFile("Service policy.pdf", PDF_BYTES, "application/pdf")
    return services.version_create(
        document=doc, user=world.user("contributor"), upload=file, change_summary="v1"
    )


def url(project_id, version):
    return f"/projects/{project_id}/documents/{version.document_id}/versions/{version.pk}/download/"


EXPECTED = {"anonymous": 302, "outsider": 404, "viewer": 200, "auditor": 200, "contributor": 200, "lead": 200}


@pytest.mark.parametrize("role", ROLES)
def test_members_download_the_file_as_an_attachment_and_nobody_else(role, world, client_for, version):
    response = client_for(role).get(url(world.project.pk, version))
    assert response.status_code == EXPECTED[role]
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="Service-policy.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_version_is_not_reachable_through_another_project(world, client_for, version):
    other = make_project(lead=world.user("contributor"), name="Contributor's own project")
    response = client_for("contributor").get(url(other.pk, version))
    assert response.status_code == 404


def test_a_link_version_redirects_to_its_link(world, client_for):
    doc = mandatory(world.project, "DOC-03")
    version = services.version_create(
        document=doc, user=world.user("lead"), link="https://intranet.example.test/obj", change_summary="v1"
    )
    response = client_for("auditor").get(url(world.project.pk, version))
    assert (response.status_code, response["Location"]) == (302, "https://intranet.example.test/obj")
