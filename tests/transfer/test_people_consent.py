"""Issue 19 defect 3: an import adds nobody without their consent. Accounts whose address the archive
names do not become members (not even leads); the importer alone leads the new project, sees the
archive's people and invites whom they choose through the invitation flow; the records still name
the people; the import's answers do not tell whether an address has an account here."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from projects.models import Invitation, InvitationStatus, Membership, Project, Role
from tests.factories import UserFactory, add_member, make_project
from transfer import exporter, importer
from transfer.models import ImportJob, ImportPerson, ImportStatus
from transfer.tasks import run_import

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def two_projects(db):
    """The issue's case: one person is a viewer of project A and another leads project B; an outsider
    imports an archive of B that names both."""
    viewer_of_a = UserFactory(username="viewer-a", email="viewer-a@example.test")
    lead_of_b = UserFactory(username="lead-b", email="lead-b@example.test", first_name="Lea", last_name="Bee")
    project_a = make_project(lead=UserFactory(), name="A")
    add_member(project_a, viewer_of_a, Role.VIEWER)
    project_b = make_project(lead=lead_of_b, name="B")
    add_member(project_b, viewer_of_a, Role.LEAD)
    return {"viewer_of_a": viewer_of_a, "lead_of_b": lead_of_b, "b": project_b}


def archive_of(project) -> bytes:
    buffer = io.BytesIO()
    exporter.write(project, buffer)
    return buffer.getvalue()


def test_accounts_named_by_the_archive_do_not_become_members(two_projects, media):
    importer_user = UserFactory(username="importer", email="importer@example.test")
    result = importer.import_archive(io.BytesIO(archive_of(two_projects["b"])), lead=importer_user)

    members = dict(Membership.objects.filter(project=result.project).values_list("user", "role"))
    assert members == {importer_user.pk: Role.LEAD}
    assert not Invitation.objects.filter(project=result.project).exists()


def test_the_records_still_name_the_people_without_tying_them_to_accounts_here(two_projects, media):
    lead_of_b = two_projects["lead_of_b"]
    importer_user = UserFactory(username="importer", email="importer@example.test")
    result = importer.import_archive(io.BytesIO(archive_of(two_projects["b"])), lead=importer_user)

    project = Project.objects.get(pk=result.project.pk)
    named = project.created_by  # who created the project in the source
    assert named is not None and named.pk != lead_of_b.pk
    assert named.get_full_name() == "Lea Bee"
    assert not named.is_active and not named.has_usable_password() and named.email == ""
    assert not Membership.objects.filter(user=named).exists()
    # the real account is untouched and tied to nothing of the import
    lead_of_b.refresh_from_db()
    assert lead_of_b.is_active and Membership.objects.filter(user=lead_of_b).count() == 1


def test_the_importers_own_address_in_the_archive_is_the_importer(two_projects, media):
    """Mapping the importer's own address to themselves tells nobody anything new."""
    lead_of_b = two_projects["lead_of_b"]
    result = importer.import_archive(io.BytesIO(archive_of(two_projects["b"])), lead=lead_of_b)
    assert Project.objects.get(pk=result.project.pk).created_by == lead_of_b
    mine = [p for p in result.people if p["is_importer"]]
    assert [p["email"] for p in mine] == ["lead-b@example.test"]


@pytest.fixture
def finished_job(two_projects, media):
    importer_user = UserFactory(username="importer", email="importer@example.test")
    job = ImportJob.objects.create(created_by=importer_user, status=ImportStatus.QUEUED)
    job.archive.save("b.zip", ContentFile(archive_of(two_projects["b"])))
    assert run_import(job.pk) == "done"
    job.refresh_from_db()
    return job


def test_the_importer_sees_the_archives_people_and_invites_whom_they_choose(
    finished_job, client, two_projects
):
    job = finished_job
    client.force_login(job.created_by)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "viewer-a@example.test" in page and "lead-b@example.test" in page and "Lea Bee" in page
    viewer = ImportPerson.objects.get(job=job, email="viewer-a@example.test")
    assert viewer.archive_role == Role.LEAD  # as the archive says, offered as the default
    lead_b = ImportPerson.objects.get(job=job, email="lead-b@example.test")

    response = client.post(
        f"/projects/import/{job.pk}/people/",
        {f"invite_{viewer.pk}": "on", f"role_{viewer.pk}": Role.CONTRIBUTOR, f"role_{lead_b.pk}": Role.LEAD},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(project=job.project)
    assert invitation.user == two_projects["viewer_of_a"] and invitation.role == Role.CONTRIBUTOR
    assert invitation.status == InvitationStatus.PENDING
    assert not Membership.objects.filter(project=job.project, user=two_projects["viewer_of_a"]).exists()
    assert not Invitation.objects.filter(project=job.project, email="lead-b@example.test").exists()
    viewer.refresh_from_db()
    assert viewer.invitation == invitation and viewer.invited_role == Role.CONTRIBUTOR


def test_choosing_nobody_invites_nobody(finished_job, client):
    client.force_login(finished_job.created_by)
    response = client.post(f"/projects/import/{finished_job.pk}/people/", {})
    assert response.status_code == 422 and "Choose at least one person" in response.content.decode()
    assert not Invitation.objects.filter(project=finished_job.project).exists()


def test_the_answers_do_not_tell_whether_an_address_has_an_account(finished_job, client):
    """One address of the archive has an account here, the other none: the job page shows them
    alike, and inviting either answers the same."""
    job = finished_job
    ImportPerson.objects.filter(job=job, email="lead-b@example.test").update(email="nobody-here@example.test")
    client.force_login(job.created_by)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "inactive" not in page and "no account" not in page

    def invite(email):
        person = ImportPerson.objects.get(job=job, email=email)
        reply = client.post(
            f"/projects/import/{job.pk}/people/",
            {f"invite_{person.pk}": "on", f"role_{person.pk}": Role.VIEWER},
            follow=True,
        )
        return reply.status_code, [str(m) for m in reply.context["messages"]]

    assert invite("viewer-a@example.test") == invite("nobody-here@example.test")


def test_only_the_importer_leading_the_project_may_invite(finished_job, client):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(f"/projects/import/{finished_job.pk}/people/", {}).status_code == 404
    # the importer who no longer leads the project may not invite either
    Membership.objects.filter(project=finished_job.project, user=finished_job.created_by).update(
        role=Role.VIEWER
    )
    client.force_login(finished_job.created_by)
    assert client.post(f"/projects/import/{finished_job.pk}/people/", {}).status_code == 403
