import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from projects.management.commands.seed_demo import DEMO_PROJECT
from projects.models import Membership, Project, Role, Task, TaskAttachment, TaskComment

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not Project.objects.exists()


def test_the_demo_tasks_carry_comments_with_a_mention_and_a_file(settings, media):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    project = Project.objects.get(name=DEMO_PROJECT)
    comments = TaskComment.objects.filter(task__project=project)
    assert comments.count() == 3 and comments.filter(body__contains="@lead").exists()
    assert len({c.created_at.date() for c in comments}) > 1  # written over several days
    attachment = TaskAttachment.objects.get(task__project=project)
    assert attachment.filename == "continuity-plan-draft.md" and (media / attachment.file.name).exists()


def test_seed_demo_creates_users_roles_and_a_half_way_project_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) >= {
        "lead",
        "contributor",
        "auditor",
        "viewer",
        "outsider",
    }
    project = Project.objects.get(name=DEMO_PROJECT)
    roles = dict(Membership.objects.filter(project=project).values_list("user__username", "role"))
    assert roles == {
        "lead": Role.LEAD,
        "contributor": Role.CONTRIBUTOR,
        "auditor": Role.AUDITOR,
        "viewer": Role.VIEWER,
    }
    assert not Membership.objects.filter(user__username="outsider").exists()
    assert User.objects.get(username="viewer").check_password(settings.DEMO_PASSWORD)
    statuses = list(project.phases.order_by("order").values_list("status", flat=True))
    assert statuses[:4] == ["done"] * 4 and "in_progress" in statuses and statuses[-1] == "not_started"
    assert 25 <= project.progress <= 75
    assert Task.objects.filter(project=project).count() >= 20


def test_seed_demo_with_force_runs_with_debug_off(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert Project.objects.count() == 2  # preparing Stage 1, and certified


def test_seed_demo_shows_operating_evidence_some_processes_with_enough_months(settings):
    from documents.operation.selectors import process_statuses

    settings.DEBUG = True
    call_command("seed_demo")
    statuses = process_statuses(Project.objects.get(name=DEMO_PROJECT))
    enough = {s.process.clause for s in statuses if s.enough}
    short = {s.process.clause for s in statuses if 0 < s.months < s.minimum}
    assert {"8.6.1", "8.5.1"} <= enough and {"8.6.3", "8.2.6"} <= short


def test_the_demo_documents_were_written_over_months_not_in_one_minute(settings):
    from documents.models import DocumentVersion

    settings.DEBUG = True
    call_command("seed_demo")
    versions = list(DocumentVersion.objects.filter(document__project__name__startswith="Acme"))
    written = sorted(v.created_at for v in versions)
    assert len(versions) > 3 and (written[-1] - written[0]).days > 60
    for version in versions:
        if version.approved_at:
            assert version.created_at < version.approved_at
