"""Issue 22 §5: Prometheus metrics on a path that is not public."""

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from kernel.outbox import outbox_record
from kernel.webhook_delivery import DeliveryStatus
from reports.models import ReportStatus
from tests.factories import UserFactory, make_report, make_webhook, make_webhook_delivery

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-for-tests-0123456789"


def samples(response) -> dict:
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape():
        response = client.get("/metrics/", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return samples(response)

    return scrape


def test_nobody_but_staff_the_token_or_the_allowed_network_sees_the_metrics(client, world, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics/").status_code == 404  # anonymous: the path is not advertised
    for role in ("viewer", "lead"):
        client.force_login(world.user(role))
        assert client.get("/metrics/").status_code == 404
    client.logout()
    assert client.get("/metrics/", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.post("/metrics/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405

    client.force_login(UserFactory(username="operator", is_staff=True))
    assert client.get("/metrics/").status_code == 200
    client.logout()

    settings.METRICS_ALLOWED_NETWORKS = ["10.42.0.0/16"]
    assert client.get("/metrics/", REMOTE_ADDR="10.42.7.9").status_code == 200
    assert client.get("/metrics/", REMOTE_ADDR="10.43.0.1").status_code == 404
    # A client-written X-Forwarded-For is not believed without trusted proxies.
    assert (
        client.get("/metrics/", REMOTE_ADDR="10.43.0.1", HTTP_X_FORWARDED_FOR="10.42.0.1").status_code == 404
    )


def test_no_token_configured_means_no_token_opens_it(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics/", headers={"Authorization": "Bearer "}).status_code == 404


def test_request_latency_is_measured_per_view(client, world, scraper):
    client.force_login(world.user("viewer"))
    assert client.get("/projects/").status_code == 200
    before = scraper()
    key = (
        "django_http_requests_latency_seconds_by_view_method_count",
        (("method", "GET"), ("view", "projects:list")),
    )
    client.get("/projects/")
    client.get("/projects/")
    assert scraper()[key] == before[key] + 2, sorted(k for k in before if "by_view" in k[0])


def test_failed_sign_ins_are_counted(client, world, scraper):
    key = ("sms_failed_sign_ins_total", ())
    before = scraper()[key]
    for _ in range(2):
        response = client.post("/accounts/login/", {"login": "viewer", "password": "not-the-password"})
        assert response.status_code == 200
    assert scraper()[key] == before + 2


def test_outbox_webhook_and_report_backlogs_and_render_time(world, scraper):
    outbox_record(
        recipient=world.user("viewer"),
        subject_type="project",
        subject_id=world.project.pk,
        kind="monthly_report",
        day=timezone.localdate(),
        subject="Pending",
        body_text="Body",
    )
    endpoint = make_webhook(world.project, user=world.user("lead"))
    make_webhook_delivery(endpoint, status=DeliveryStatus.PENDING, key="m:1")
    make_webhook_delivery(endpoint, status=DeliveryStatus.FAILED, key="m:2")
    now = timezone.now()
    for seconds in (3, 40):
        make_report(world.project, started_at=now - timedelta(seconds=seconds))
    make_report(world.project, status=ReportStatus.QUEUED)

    metrics = scraper()

    assert metrics[("sms_outbox_messages", (("status", "pending"),))] == 1
    assert metrics[("sms_outbox_messages", (("status", "failed"),))] == 0
    assert metrics[("sms_outbox_oldest_pending_seconds", ())] >= 0
    assert metrics[("sms_webhook_deliveries", (("status", "pending"),))] == 1
    assert metrics[("sms_webhook_deliveries", (("status", "failed"),))] == 1
    assert metrics[("sms_reports", (("status", "queued"),))] == 1
    assert metrics[("sms_report_render_seconds_count", ())] == 2
    assert metrics[("sms_report_render_seconds_bucket", (("le", "2.0"),))] == 0
    assert metrics[("sms_report_render_seconds_bucket", (("le", "5.0"),))] == 1
    assert metrics[("sms_report_render_seconds_bucket", (("le", "60.0"),))] == 2
    assert 42 <= metrics[("sms_report_render_seconds_sum", ())] <= 45
