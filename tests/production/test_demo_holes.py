"""The demo data has holes too (unassigned tasks, phases without owner, audits without lead auditor,
a former member who still owns work), and every page and report of the demo project renders."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from audits.models import Audit
from projects.management.commands.seed_demo import DEMO_PROJECT
from projects.models import Membership, Project, Task
from reports.services import report_render, report_request
from tests.conftest import World
from tests.production.pdfcheck import assert_styled
from tests.production.test_holes import GET_CASES


def _demo_world(project) -> World:
    """The demo project in the shape the permission matrix's URL builders expect."""
    members = Membership.objects.filter(project=project).select_related("user")
    users = {m.role: m.user for m in members}
    users["outsider"] = get_user_model().objects.get(username="outsider")
    return World(project=project, users=users, cache={})


def test_demo_data_has_holes_and_renders(db, settings, media, django_capture_on_commit_callbacks):
    settings.DEBUG = True  # seed_demo's own guard; the pages are then served with DEBUG off
    call_command("seed_demo")
    settings.DEBUG = False
    project = Project.objects.get(name=DEMO_PROJECT)
    former = get_user_model().objects.get(username="former")
    assert Task.objects.filter(project=project, assignee=None, status="open").exists()
    assert project.phases.filter(owner=None).exists() and project.phases.filter(owner=former).exists()
    assert Audit.objects.filter(project=project, lead_auditor=None).exists()
    assert Task.objects.filter(project=project, assignee=former).exists()
    assert not Membership.objects.filter(project=project, user=former).exists()

    world = _demo_world(project)
    failures = []
    for role in ("lead", "viewer"):
        client = Client(raise_request_exception=False)
        client.force_login(world.user(role))
        for case in GET_CASES:
            if case.expect.get(role) == 200 and case.name.startswith("projects:"):
                status = client.get(case.url(world)).status_code
                if status >= 500:
                    failures.append(f"{case.id} as {role}: {status}")
    assert not failures, failures

    audit = Audit.objects.filter(project=project, lead_auditor=None).first()
    for kind, subject in (("management", None), ("audit", audit.pk)):
        with django_capture_on_commit_callbacks(execute=False):
            report = report_request(project=project, kind=kind, user=world.user("lead"), subject_id=subject)
        report = report_render(report_id=report.pk)
        assert report.status == "done", report.error
        with report.file.open("rb") as handle:
            assert_styled(handle.read(), title=report.title.split(":")[0])
