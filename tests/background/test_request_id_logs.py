"""Issue 22 §5: the request id of a web request is on the log lines of the tasks it queued, in the
worker's JSON logs."""

import json

import pytest

from reports.models import Report, ReportStatus
from tests.background.workers import wait_for

pytestmark = pytest.mark.services


def json_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_a_task_log_line_carries_the_id_of_the_request_that_queued_it(
    workers, world, client_for, monkeypatch
):
    monkeypatch.setenv("LOG_FORMAT", "json")
    workers.start("reports", kinds=["reports", "default"])

    response = client_for("viewer").post(
        f"/projects/{world.project.pk}/reports/new/", {"report": "management"}
    )

    assert response.status_code == 302
    request_id = response["X-Request-ID"]
    assert len(request_id) == 36  # a fresh uuid4 for each request
    report = Report.objects.get(project=world.project)
    wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.DONE).exists(),
        workers=workers,
        what="the report",
    )

    def lines_of_request():
        worker_lines = json_lines(workers.log_text(tail=None))
        return [line for line in worker_lines if line.get("request_id") == request_id]

    # The report row turns DONE inside the task; task_succeeded is logged after it returns,
    # so wait for that line rather than read the log the moment the row changes.
    wait_for(
        lambda: any(line["event"] == "task_succeeded" for line in lines_of_request()),
        timeout=20,
        workers=workers,
        what="the task_succeeded line of the request",
    )
    of_request = lines_of_request()
    events = {(line["event"], line.get("task_id") is not None) for line in of_request}
    assert ("task_started", True) in events and ("task_succeeded", True) in events, of_request
    assert all({"timestamp", "level", "logger"} <= line.keys() for line in of_request)


def test_an_id_set_by_the_proxy_in_front_is_kept(client, world):
    client.force_login(world.user("viewer"))
    response = client.get("/projects/", headers={"X-Request-ID": "ingress-1234"})
    assert response["X-Request-ID"] == "ingress-1234"
    assert client.get("/projects/")["X-Request-ID"] != "ingress-1234"
