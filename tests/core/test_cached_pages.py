"""The pages with cached parts ({% cachedpart %}) are never stale: after a save (through the
services, which clear the project's parts), each shows what it shows when rendered with an empty
cache, and the save is visible; before it, a repeated view is served from the cache (fewer queries).
A row written here without a service says so (`written_directly`), as the services do."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import VersionStatus
from gapanalysis.models import Response, Result
from kernel import pagecache
from projects import invitations
from projects.models import Phase, PhaseStatus, Role
from tests.conftest import clear_cache
from tests.factories import (
    UserFactory,
    add_member,
    add_version,
    answer,
    make_assessment,
    make_audit,
    make_document,
    make_finding,
    make_project,
    make_task,
    written_directly,
)

# Run with per-process memory and with the Redis cache production uses (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _html(response):
    assert response.status_code == 200
    return TOKEN.sub(r"\1…", response.content.decode())


def _fresh(client, url):
    clear_cache()
    pagecache._local.clear()
    return _html(client.get(url))


@pytest.fixture
def setup(client):
    lead = UserFactory(username="cache-lead")
    project = make_project(lead=lead)
    client.force_login(lead)
    return project, lead


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        _html(client.get(url))
    return len(captured)


def _check(client, url, write, expect):
    """Viewed (cached), written, viewed again: the save shows and equals a fresh render."""
    _html(client.get(url))
    first = _queries(client, url)
    assert _queries(client, url) <= first, "a repeated view does not cost more"
    write()
    after = _html(client.get(url))
    assert expect in after
    assert after == _fresh(client, url)


def test_dashboard(client, setup):
    project, lead = setup
    _check(
        client,
        f"/projects/{project.pk}/",
        lambda: make_task(project, title="Overdue after caching", due_in=-3),
        "Overdue after caching",
    )


def test_dashboard_repeated_view_skips_its_queries(client, setup):
    project, lead = setup
    url = f"/projects/{project.pk}/"
    _html(client.get(url))
    clear_cache()  # an empty cache: the first view draws the part and stores it
    with CaptureQueriesContext(connection) as miss:
        client.get(url)
    with CaptureQueriesContext(connection) as hit:
        client.get(url)
    assert len(hit) < len(miss)


def test_readiness(client, setup):
    project, lead = setup
    phase = project.phases.get(key="1")

    def finish():
        from projects import services

        services.phase_update(phase=phase, user=lead, expected_version=phase.version, status=PhaseStatus.DONE)

    url = f"/projects/{project.pk}/audits/readiness/"
    assert f"Phase {phase.label} {phase.title} is" in _html(client.get(url))
    _check(client, url, finish, "Readiness for Stage 1")
    assert f"Phase {phase.label} {phase.title} is" not in _html(client.get(url))


def test_task_list_and_phase(client, setup):
    project, lead = setup
    phase = project.phases.get(key="5")
    _check(
        client,
        f"/projects/{project.pk}/tasks/",
        lambda: make_task(project, title="Listed later"),
        "Listed later",
    )
    _check(
        client,
        f"/projects/{project.pk}/phases/{phase.pk}/",
        lambda: make_task(project, phase=phase, title="On the phase later"),
        "On the phase later",
    )


def test_gap_overview_and_clause(client, setup):
    project, lead = setup
    assessment = make_assessment(project, user=lead)
    response = Response.objects.filter(assessment=assessment).select_related("question__clause").first()
    clause = response.question.clause.number
    _check(
        client,
        f"/projects/{project.pk}/gap/{assessment.pk}/clauses/{clause}/",
        lambda: answer(
            assessment, response.question.code, Result.NONCONFORMANT, user=lead, notes="Seen late"
        ),
        "Seen late",
    )
    Response.objects.filter(assessment=assessment).update(result=Result.CONFORMANT)
    written_directly(project)
    url = f"/projects/{project.pk}/gap/{assessment.pk}/"
    _html(client.get(url))
    _check(
        client,
        url,
        lambda: answer(assessment, response.question.code, Result.NONCONFORMANT, user=lead),
        "1 nonconformant",
    )


def test_register_and_document(client, setup):
    project, lead = setup
    _check(
        client,
        f"/projects/{project.pk}/documents/",
        lambda: make_document(project, code="LATE-01"),
        "LATE-01",
    )
    document = make_document(project, code="VER-01", owner=lead)
    _check(
        client,
        f"/projects/{project.pk}/documents/{document.pk}/",
        lambda: add_version(document, lead, change_summary="Written later"),
        "Written later",
    )


def test_audit_and_findings(client, setup):
    project, lead = setup
    audit = make_audit(project, user=lead, scope=("8.1", "9.2"))
    write = lambda: make_finding(audit, user=lead, description="Found after caching")  # noqa: E731
    _check(client, f"/projects/{project.pk}/audits/{audit.pk}/", write, "Found after caching")
    _check(
        client,
        f"/projects/{project.pk}/audits/findings/",
        lambda: make_finding(audit, user=lead, description="Listed after caching"),
        "Listed after caching",
    )


def test_my_work(client, setup):
    project, lead = setup
    author = UserFactory(username="cache-author")
    add_member(project, author)
    document = make_document(project, code="WAIT-01", owner=author, approver=lead)
    _check(
        client,
        "/my-work/",
        lambda: add_version(document, author, status=VersionStatus.IN_REVIEW),
        "WAIT-01 v1 Document WAIT-01",
    )
    _check(
        client,
        "/my-work/",
        lambda: make_task(project, title="Assigned after caching", assignee=lead),
        "Assigned after caching",
    )


def test_roadmap(client, setup):
    project, lead = setup
    phase = project.phases.get(key="5")
    _check(
        client,
        f"/projects/{project.pk}/roadmap/",
        lambda: (
            Phase.objects.filter(pk=phase.pk).update(title="Renamed after caching"),  # no service renames
            written_directly(project),
        ),
        "Renamed after caching",
    )


def test_members(client, setup):
    project, lead = setup
    url = f"/projects/{project.pk}/members/"
    _check(
        client,
        url,
        lambda: add_member(project, UserFactory(username="joined-after-caching")),
        "joined-after-caching",
    )
    _check(
        client,
        url,
        lambda: invitations.invitation_create(
            project=project, email="invited-after-caching@example.test", role=Role.VIEWER, user=lead
        ),
        "invited-after-caching@example.test",
    )


def test_task_list_menus_follow_the_members_and_phases(client, setup):
    """The filter's and the bulk form's menus are in the cached part: a new member or a renamed
    phase shows in them at once."""
    project, lead = setup
    url = f"/projects/{project.pk}/tasks/"
    _check(
        client, url, lambda: add_member(project, UserFactory(username="assignable-later")), "assignable-later"
    )
    phase = project.phases.get(key="7")
    _check(
        client,
        url,
        lambda: (Phase.objects.filter(pk=phase.pk).update(title="Moved-to later"), written_directly(project)),
        f"{phase.label} Moved-to later</option>",
    )


def test_project_history(client, setup):
    project, lead = setup

    def rename():
        from projects import services

        project.refresh_from_db()
        services.project_update(
            project=project, user=lead, expected_version=project.version, name="Renamed later"
        )

    _check(client, f"/projects/{project.pk}/history/", rename, "Renamed later")


def test_gap_assessments(client, setup):
    project, lead = setup
    _check(
        client,
        f"/projects/{project.pk}/gap/",
        lambda: make_assessment(project, user=lead, title="Assessed after caching"),
        "Assessed after caching",
    )
