import io

import pytest
from django.contrib.auth import get_user_model

from projects.models import Membership, Project, Role
from tests.transfer.compare import differences, rows_of
from transfer import importer

pytestmark = pytest.mark.django_db


def test_demo_project_round_trip_gives_zero_differences(demo, demo_archive):
    original = rows_of(demo)
    lead = get_user_model().objects.get(username="lead")

    result = importer.import_archive(io.BytesIO(demo_archive), lead=lead)

    assert result.project.pk != demo.pk and Project.objects.count() == 2
    assert differences(demo, result.project, result.id_map) == []
    assert rows_of(demo) == original  # the original project is untouched, every field of every row
    counts = {label: len(rows) for label, rows in original.items()}
    assert sum(counts.values()) > 1000 and counts["documents.documentversion"] > 0
    assert counts["projects.historicaltask"] > 0 and counts["gapanalysis.evidence"] > 0
    assert result.placeholders == []


def test_the_comparison_sees_a_changed_field_and_a_changed_file(demo, demo_archive):
    """The zero above means something: one changed value or one changed byte is reported."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from projects.models import Task, TaskAttachment

    lead = get_user_model().objects.get(username="lead")
    result = importer.import_archive(io.BytesIO(demo_archive), lead=lead)
    task = Task.objects.filter(project=result.project).first()
    Task.objects.filter(pk=task.pk).update(title=task.title + "!")
    attachment = TaskAttachment.objects.filter(task__project=result.project).first()
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(b"changed"))

    found = differences(demo, result.project, result.id_map)

    assert len(found) == 2
    assert any("projects.task " in d and "title" in d for d in found)
    assert any("projects.taskattachment" in d and "file" in d for d in found)


def test_a_member_mapped_by_email_and_the_importer_becoming_lead(demo, demo_archive):
    """Users are found by e-mail whatever their user name; an importer who was not the lead is
    the lead of the new project, the other roles stay."""
    User = get_user_model()
    auditor = User.objects.get(username="auditor")
    User.objects.filter(pk=auditor.pk).update(username="auditor-renamed", email=auditor.email.upper())
    viewer = User.objects.get(username="viewer")

    result = importer.import_archive(io.BytesIO(demo_archive), lead=viewer)

    roles = dict(Membership.objects.filter(project=result.project).values_list("user__username", "role"))
    assert roles == {
        "lead": Role.LEAD,
        "contributor": Role.CONTRIBUTOR,
        "auditor-renamed": Role.AUDITOR,
        "viewer": Role.LEAD,
    }
    assert result.placeholders == []
