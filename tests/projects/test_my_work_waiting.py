"""My work: "Waiting for my approval" beside the tasks — document versions to approve, corrective
actions to verify, findings to respond to — capped per kind with a link to the whole list, and in a
number of queries that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits import services as audit_services
from audits.models import ActionStatus, CorrectiveAction, Finding, Grade
from documents.models import DocumentVersion, VersionStatus
from projects.models import Role
from projects.selectors import WAITING_LISTED
from tests.factories import (
    UserFactory,
    add_member,
    add_version,
    make_action,
    make_audit,
    make_document,
    make_finding,
    make_project,
)

pytestmark = pytest.mark.django_db


def sections(response):
    return {section.source.key: section for section in response.context["waiting"]}


def in_review(world, code="POL-50", *, author="contributor", approver="viewer"):
    document = make_document(
        world.project, code=code, owner=world.user(author), approver=world.user(approver)
    )
    return add_version(document, world.user(author), status=VersionStatus.IN_REVIEW)


def test_the_named_approver_sees_the_version_waiting_and_the_author_does_not(world, client):
    version = in_review(world)
    client.force_login(world.user("viewer"))
    page = client.get("/my-work/")
    waiting = sections(page)["versions"]
    assert [item.title for item in waiting.items] == [f"POL-50 v{version.number} Document POL-50"]
    assert waiting.items[0].detail == f"from {world.user('contributor').username}"
    assert "Waiting for my approval" in page.content.decode()
    client.force_login(world.user("contributor"))
    assert sections(client.get("/my-work/"))["versions"].total == 0


def test_an_approver_who_left_the_project_no_longer_sees_it(world, client):
    in_review(world)
    world.project.memberships.filter(user=world.user("viewer")).delete()
    client.force_login(world.user("viewer"))
    assert sections(client.get("/my-work/"))["versions"].total == 0


def test_implemented_actions_wait_for_a_verifier_who_is_not_their_owner(world, client):
    lead, auditor, contributor = world.user("lead"), world.user("auditor"), world.user("contributor")
    audit = make_audit(world.project, user=lead, team=[auditor])
    finding = make_finding(audit, user=auditor, owner=contributor)
    action = make_action(finding, user=contributor, owner=auditor)
    audit_services.action_implement(
        action=action, user=auditor, expected_version=action.version, notes="Procedure updated"
    )
    client.force_login(lead)
    items = sections(client.get("/my-work/"))["actions"].items
    assert [item.title for item in items] == [f"{finding.reference}: {action.description}"]
    client.force_login(auditor)  # the owner does not verify their own action
    assert sections(client.get("/my-work/"))["actions"].total == 0
    client.force_login(world.user("viewer"))  # nor does a viewer
    assert sections(client.get("/my-work/"))["actions"].total == 0


def test_a_finding_waits_for_its_owner_until_they_answer_it(world, client):
    lead, contributor = world.user("lead"), world.user("contributor")
    audit = make_audit(world.project, user=lead)
    finding = make_finding(audit, user=lead, owner=contributor, grade=Grade.MAJOR_NC)
    make_finding(audit, user=lead, owner=contributor, grade=Grade.OBSERVATION)  # nothing to answer
    client.force_login(contributor)
    items = sections(client.get("/my-work/"))["findings"].items
    assert [item.path for item in items] == [finding.get_absolute_url()]
    audit_services.finding_respond(
        finding=finding,
        user=contributor,
        expected_version=finding.version,
        correction="Fixed",
        root_cause="X",
    )
    assert sections(client.get("/my-work/"))["findings"].total == 0


def test_each_kind_is_capped_with_a_link_to_the_whole_list(world, client):
    for n in range(WAITING_LISTED + 2):
        in_review(world, code=f"POL-{n:02}")
    client.force_login(world.user("viewer"))
    page = client.get("/my-work/")
    waiting = sections(page)["versions"]
    assert (len(waiting.items), waiting.total, waiting.more) == (WAITING_LISTED, WAITING_LISTED + 2, 2)
    assert f'href="?waiting=versions">Show all {WAITING_LISTED + 2}</a>' in page.content.decode()
    full = client.get("/my-work/?waiting=versions")
    assert full.status_code == 200
    assert len(full.context["page"].object_list) == WAITING_LISTED + 2
    assert client.get("/my-work/?waiting=nonsense").status_code == 404


def _fill(project, author, approver, n):
    """For `approver` (the project's lead): n versions in review, n findings to answer and n
    implemented actions to verify, written directly (fast)."""
    now = timezone.now()
    audit = make_audit(project, user=approver)
    findings = Finding.objects.bulk_create(
        Finding(
            project=project,
            audit=audit,
            number=i + 1,
            grade=Grade.MINOR_NC,
            clause="9.2",
            description=f"Finding {i}",
            owner=approver if i % 2 else author,
            due_date=now.date(),
        )
        for i in range(2 * n)
    )
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(
            project=project,
            finding=finding,
            description="Fix it",
            owner=author,
            due_date=now.date(),
            status=ActionStatus.IMPLEMENTED,
            implemented_at=now,
        )
        for finding in findings
        if finding.owner_id == author.pk
    )
    documents = [make_document(project, code=f"D-{n}-{i}", owner=author, approver=approver) for i in range(n)]
    DocumentVersion.objects.bulk_create(
        DocumentVersion(
            document=document,
            number=1,
            link="https://intranet.example.test/d",
            change_summary="First",
            author=author,
            status=VersionStatus.IN_REVIEW,
            submitted_at=now,
        )
        for document in documents
    )


def test_my_work_query_count_does_not_grow_with_waiting_items(client):
    counts = []
    for n in (3, 40):
        approver, author = UserFactory(username=f"approver{n}"), UserFactory(username=f"author{n}")
        for i in range(2):
            project = make_project(lead=approver, name=f"P{n}-{i}")
            add_member(project, author, Role.CONTRIBUTOR)
            _fill(project, author, approver, n)
        client.force_login(approver)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/my-work/")
        waiting = sections(page)
        assert (waiting["versions"].total, waiting["actions"].total, waiting["findings"].total) == (
            2 * n,
        ) * 3
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # 5 measured at both sizes before the page cache kept My work per user (its project ids: one
    # more) and the registers' waiting items (one more)
    assert counts[1] <= 7
