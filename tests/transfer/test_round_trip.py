import io

import pytest
from django.contrib.auth import get_user_model

from documents.models import DocumentVersion
from projects.models import Invitation, Membership, Project, Role
from tests.browser.demo import DEMO_PROJECTS
from tests.factories import UserFactory
from tests.transfer.compare import differences, rows_of
from transfer import importer

# Runs on local disk and on the S3 server (issue 22 §1).
pytestmark = [pytest.mark.django_db, pytest.mark.storages]


def test_demo_project_round_trip_gives_zero_differences(demo, demo_archive):
    original = rows_of(demo)
    lead = get_user_model().objects.get(username="lead")

    result = importer.import_archive(io.BytesIO(demo_archive), lead=lead, keep_id_map=True)

    assert result.project.pk != demo.pk and Project.objects.count() == DEMO_PROJECTS + 1
    assert differences(demo, result.project, result.id_map, people_of(result)) == []
    assert rows_of(demo) == original  # the original project is untouched, every field of every row
    counts = {label: len(rows) for label, rows in original.items()}
    assert sum(counts.values()) > 1000 and counts["documents.documentversion"] > 0
    assert counts["projects.historicaltask"] > 0 and counts["gapanalysis.evidence"] > 0
    # nobody but the importer is a member, and no invitation of the source project came along
    assert dict(Membership.objects.filter(project=result.project).values_list("user", "role")) == {
        lead.pk: Role.LEAD
    }
    assert not Invitation.objects.filter(project=result.project).exists()


def people_of(result) -> dict:
    return {person["archive_id"]: person["account_id"] for person in result.people}


def test_the_comparison_sees_a_changed_field_and_a_changed_file(demo, demo_archive):
    """The zero above means something: one changed value or one changed byte is reported."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from projects.models import Task, TaskAttachment

    lead = get_user_model().objects.get(username="lead")
    result = importer.import_archive(io.BytesIO(demo_archive), lead=lead, keep_id_map=True)
    task = Task.objects.filter(project=result.project).first()
    Task.objects.filter(pk=task.pk).update(title=task.title + "!")
    attachment = TaskAttachment.objects.filter(task__project=result.project).first()
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(b"changed"))

    found = differences(demo, result.project, result.id_map, people_of(result))

    assert len(found) == 2
    assert any("projects.task " in d and "title" in d for d in found)
    assert any("projects.taskattachment" in d and "file" in d for d in found)


def test_document_authors_and_approvers_stay_distinct_people(demo, demo_archive):
    """Segregation of duties holds in the import: author and approver of a version are different
    accounts here as they were in the archive."""
    importer_user = UserFactory(username="importer2", email="importer2@example.test")
    result = importer.import_archive(io.BytesIO(demo_archive), lead=importer_user)
    versions = DocumentVersion.objects.filter(document__project=result.project, approved_by__isnull=False)
    assert versions and all(v.author_id != v.approved_by_id for v in versions)
    authors = [v.author_id for v in versions]
    assert get_user_model().objects.filter(pk__in=authors, is_active=True).count() == 0
