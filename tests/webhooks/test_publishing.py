"""Events are recorded in the transaction of the change, once, for the endpoints that listen."""

import pytest

from audits.services import action_implement, action_verify
from documents.models import VersionStatus
from gapanalysis.services import response_save
from kernel.concurrency import EditConflict
from kernel.webhooks import webhook_publish
from projects import services as project_services
from tests.factories import (
    add_version,
    make_action,
    make_assessment,
    make_audit,
    make_document,
    make_finding,
    make_task,
    make_webhook,
)
from webhooks.models import WebhookDelivery, WebhookEvent

pytestmark = pytest.mark.django_db


def _events(name):
    return list(WebhookEvent.objects.filter(name=name).order_by("id"))


def test_without_a_listening_endpoint_nothing_is_recorded(world):
    task = make_task(world.project, title="Write the SMS plan")
    project_services.task_set_done(task=task, user=world.user("lead"))
    assert not WebhookEvent.objects.exists()


def test_completing_a_task_records_one_delivery_per_listening_active_endpoint(world):
    lead = world.user("lead")
    listening = make_webhook(world.project, user=lead, url="https://a.example.com/", events=["task.done"])
    make_webhook(world.project, user=lead, url="https://b.example.com/", events=["finding.raised"])
    make_webhook(world.project, user=lead, url="https://c.example.com/", events=["task.done"], active=False)
    task = make_task(world.project, title="Write the SMS plan")

    project_services.task_set_done(task=task, user=lead)
    project_services.task_set_done(task=task, user=lead)  # a double click changes nothing

    (event,) = _events("task.done")
    assert event.payload["data"]["task"]["title"] == "Write the SMS plan"
    assert event.payload["data"]["by"]["username"] == "lead"
    assert [d.endpoint_id for d in WebhookDelivery.objects.all()] == [listening.pk]


def test_a_task_done_again_after_reopening_is_a_new_event(world):
    lead = world.user("lead")
    make_webhook(world.project, user=lead, events=["task.done"])
    task = make_task(world.project)
    project_services.task_set_done(task=task, user=lead)
    project_services.task_set_done(task=task, user=lead, done=False)
    project_services.task_set_done(task=task, user=lead)
    assert len(_events("task.done")) == 2


def test_the_same_key_published_twice_is_one_event(world):
    make_webhook(world.project, user=world.user("lead"), events=["task.done"])
    for _ in range(2):
        webhook_publish(project=world.project, name="task.done", key="task.done:1:2", data={})
    assert WebhookEvent.objects.count() == 1 and WebhookDelivery.objects.count() == 1


def test_an_unknown_event_name_is_a_programming_error(world):
    with pytest.raises(ValueError):
        webhook_publish(project=world.project, name="task.exploded", key="x", data={})


def test_a_saved_answer_is_announced_and_a_refused_one_is_not(world):
    auditor = world.user("auditor")
    make_webhook(world.project, user=world.user("lead"), events=["answer.changed"])
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["5"], auditors=[auditor]
    )
    response = assessment.responses.select_related("assessment", "question__clause").first()

    saved = response_save(
        response=response, user=auditor, expected_version=1, result="conformant", notes="ok"
    )
    with pytest.raises(EditConflict):
        response_save(response=response, user=auditor, expected_version=1, result="nonconformant")

    (event,) = _events("answer.changed")
    data = event.payload["data"]
    assert (data["result"], data["version"], data["question"]) == ("conformant", 2, saved.question.code)
    assert data["clause"].startswith("5")


def test_an_approved_version_is_announced(world):
    lead, contributor = world.user("lead"), world.user("contributor")
    make_webhook(world.project, user=lead, events=["version.approved"])
    document = make_document(world.project, owner=contributor, approver=lead)
    version = add_version(document, contributor, status=VersionStatus.APPROVED)
    (event,) = _events("version.approved")
    assert event.payload["data"]["version"] == {
        "id": version.pk,
        "number": version.number,
        "approved_at": version.approved_at.isoformat(),
    }
    assert event.payload["data"]["document"]["url"].endswith(document.get_absolute_url())


def test_a_finding_is_announced_when_raised_and_once_when_closed(world):
    lead, contributor = world.user("lead"), world.user("contributor")
    make_webhook(world.project, user=lead, events=["finding.raised", "finding.closed"])
    audit = make_audit(world.project, user=lead)
    finding = make_finding(audit, user=lead, owner=contributor)
    action = make_action(finding, user=contributor, owner=contributor)
    action = action_implement(action=action, user=contributor, expected_version=action.version, notes="Done")
    action_verify(action=action, user=lead, expected_version=action.version, effective=True, notes="Works")

    (raised,) = _events("finding.raised")
    (closed,) = _events("finding.closed")
    assert raised.payload["data"]["finding"]["reference"] == finding.reference
    assert closed.payload["data"]["finding"]["status"] == "closed"


def test_deliveries_are_queued_only_once_the_change_commits(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from kernel import webhooks

    queued = []
    monkeypatch.setattr(webhooks, "enqueue", lambda task, delivery_id: queued.append(delivery_id))
    make_webhook(world.project, user=world.user("lead"), events=["task.done"])
    task = make_task(world.project)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project_services.task_set_done(task=task, user=world.user("lead"))
        assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [WebhookDelivery.objects.get().pk]
