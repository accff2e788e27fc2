"""Review outputs are structured decisions (improvement, changes, resources); each becomes a roadmap
task in one click, lead only, and a second click finds the same task."""

import pytest

from audits.models import OutputKind, ReviewOutput
from audits.reviews import review_output_create, review_output_to_task
from projects.models import Task
from tests.factories import make_review

pytestmark = pytest.mark.django_db


def _base(world, review):
    return f"/projects/{world.project.pk}/audits/reviews/{review.pk}/"


def test_the_lead_records_a_decision_of_each_kind(world, client_for):
    review = make_review(world.project, user=world.user("lead"))
    client = client_for("lead")
    for kind in OutputKind.values:
        response = client.post(
            _base(world, review) + "outputs/new/", {"kind": kind, "text": f"Decide {kind}"}
        )
        assert response.status_code == 302
    assert sorted(review.outputs.values_list("kind", flat=True)) == sorted(OutputKind.values)
    page = client.get(_base(world, review)).content.decode()
    assert "Resource needs" in page and "Make it a task" in page


def test_an_empty_or_unknown_decision_is_refused(world, client_for):
    review = make_review(world.project, user=world.user("lead"))
    client = client_for("lead")
    assert (
        client.post(_base(world, review) + "outputs/new/", {"kind": "resources", "text": "  "}).status_code
        == 422
    )
    assert (
        client.post(_base(world, review) + "outputs/new/", {"kind": "budget", "text": "x"}).status_code == 422
    )
    assert not ReviewOutput.objects.exists()


def test_an_output_becomes_one_task_however_often_it_is_clicked(world, client_for):
    lead = world.user("lead")
    review = make_review(world.project, user=lead)
    output = review_output_create(
        review=review, user=lead, kind=OutputKind.RESOURCES, text="Budget a second internal auditor"
    )
    url = _base(world, review) + f"outputs/{output.pk}/task/"
    client = client_for("lead")
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # the double click
    task = Task.objects.get(title="Budget a second internal auditor")
    assert task.phase.key == "12"
    output.refresh_from_db()
    assert output.action.task == task
    assert review_output_to_task(output=output, user=lead).task == task
    assert Task.objects.filter(title="Budget a second internal auditor").count() == 1


def test_only_the_lead_turns_an_output_into_a_task(world, client_for):
    lead = world.user("lead")
    review = make_review(world.project, user=lead)
    output = review_output_create(review=review, user=lead, kind=OutputKind.CHANGES, text="Add a service")
    url = _base(world, review) + f"outputs/{output.pk}/task/"
    assert client_for("contributor").post(url).status_code == 403
    assert not Task.objects.filter(title="Add a service").exists()
