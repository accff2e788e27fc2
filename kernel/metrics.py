"""Prometheus metrics (docs/operations.md, "Metrics"), served at METRICS_PATH to the scraper only.

- request latency by view: django-prometheus's middleware
  (`django_http_requests_latency_seconds_by_view_method`);
- failed sign-ins: a counter fed by Django's `user_login_failed` (wrong passwords and lockouts alike);
- queue lengths, the outbox and webhook backlogs, reports waiting and the report render time: read at
  scrape time from Redis and PostgreSQL, so every web replica answers the same whichever worker did the
  work (a counter in a worker process would be seen by nobody).

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty directory per pod): the counters
and latencies of every worker process are then added up (prometheus-client's multiprocess mode).
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .client_ip import client_ip

logger = logging.getLogger(__name__)

FAILED_SIGN_INS = Counter(
    "sms_failed_sign_ins", "Sign-ins refused (wrong credentials or a locked-out account)."
)
RENDER_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300)


def count_failed_sign_in(sender, credentials=None, request=None, **kwargs):
    FAILED_SIGN_INS.inc()


def connect_signals():
    user_login_failed.connect(count_failed_sign_in, dispatch_uid="sms_tracker.metrics.failed_sign_in")


def _queue_lengths():
    from sms_tracker.celery import all_queue_names, app

    url = app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://")):
        return  # tasks run in-process: there is no queue to measure
    import redis

    family = GaugeMetricFamily("sms_queue_length", "Messages waiting in a Celery queue.", labels=["queue"])
    up = GaugeMetricFamily("sms_queue_broker_up", "1 if the broker answered this scrape.")
    # Beat holds its Redis lock while it runs (celery-redbeat); a dead beat's lock expires.
    beat = GaugeMetricFamily("sms_beat_running", "1 while a beat process holds the scheduler lock.")
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        names = all_queue_names()
        pipe = client.pipeline(transaction=False)
        for name in names:
            pipe.llen(name)
        pipe.exists(app.conf.redbeat_lock_key)
        *lengths, beat_lock = pipe.execute()
        for name, length in zip(names, lengths, strict=True):
            family.add_metric([name], length)
        up.add_metric([], 1)
        beat.add_metric([], 1 if beat_lock else 0)
    except redis.RedisError as error:
        logger.warning("Metrics: queue lengths unavailable (%s)", error)
        up.add_metric([], 0)
    finally:
        client.close()
    yield family
    yield up
    if beat.samples:
        yield beat


def _counts_by_status(model, help_text, name, statuses):
    family = GaugeMetricFamily(name, help_text, labels=["status"])
    counts = dict(
        model.objects.filter(status__in=statuses).values_list("status").annotate(n=Count("id")).order_by()
    )
    for status in statuses:
        family.add_metric([status], counts.get(status, 0))
    return family


def _age(oldest) -> float:
    return max((timezone.now() - oldest).total_seconds(), 0.0) if oldest else 0.0


def _backlogs():
    from kernel.outbox import OutboxMessage, OutboxStatus
    from kernel.tables import table
    from kernel.webhook_delivery import DeliveryStatus, WebhookDelivery

    Report = table("report")  # the reports app's queue of PDF renderings
    ReportStatus = Report.Status

    waiting = [OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED]
    yield _counts_by_status(
        OutboxMessage, "E-mails in the outbox not sent (yet).", "sms_outbox_messages", waiting
    )
    oldest = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).aggregate(t=Min("created_at"))["t"]
    yield GaugeMetricFamily(
        "sms_outbox_oldest_pending_seconds",
        "Age of the oldest e-mail waiting to be sent.",
        value=_age(oldest),
    )
    waiting = [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED]
    yield _counts_by_status(
        WebhookDelivery, "Webhook deliveries not delivered (yet).", "sms_webhook_deliveries", waiting
    )
    oldest = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).aggregate(t=Min("next_attempt_at"))["t"]
    yield GaugeMetricFamily(
        "sms_webhook_oldest_due_seconds",
        "How long the most overdue webhook delivery has been due.",
        value=_age(oldest),
    )
    yield _counts_by_status(
        Report,
        "Reports waiting for or in a worker.",
        "sms_reports",
        [ReportStatus.QUEUED, ReportStatus.RUNNING],
    )
    yield _render_time_histogram(Report, ReportStatus.DONE)


def _render_time_histogram(Report, done):
    """Every rendered report's time from start to finish, as a cumulative histogram."""
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    rows = Report.objects.filter(status=done, started_at__isnull=False, finished_at__isnull=False).annotate(
        took=duration
    )
    buckets = {
        f"le_{index}": Count("id", filter=Q(took__lte=timezone.timedelta(seconds=bound)))
        for index, bound in enumerate(RENDER_BUCKETS)
    }
    totals = rows.aggregate(count=Count("id"), total=Sum("took"), **buckets)
    family = HistogramMetricFamily("sms_report_render_seconds", "Time a worker took to render a report.")
    family.add_metric(
        [],
        [(str(float(bound)), totals[f"le_{index}"]) for index, bound in enumerate(RENDER_BUCKETS)]
        + [("+Inf", totals["count"])],
        sum_value=totals["total"].total_seconds() if totals["total"] else 0.0,
    )
    return family


class BacklogCollector:
    def collect(self):
        yield from _queue_lengths()
        yield from _backlogs()


def _allowed(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    header = request.headers.get("Authorization", "")
    if settings.METRICS_TOKEN and header.startswith("Bearer "):
        if hmac.compare_digest(header.removeprefix("Bearer ").encode(), settings.METRICS_TOKEN.encode()):
            return True
        raise PermissionDenied("Wrong metrics token.")
    if settings.METRICS_ALLOWED_NETWORKS:
        try:
            address = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return False
        return any(
            address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS
        )
    return False


@login_not_required
@require_GET
def metrics(request):
    """404 for everyone but staff, the scraper's token or its network: the path is not advertised."""
    if not _allowed(request):
        raise Http404
    own = CollectorRegistry(auto_describe=True)
    own.register(BacklogCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        body = generate_latest(processes)
    else:
        body = generate_latest(REGISTRY)
    return HttpResponse(body + generate_latest(own), content_type=CONTENT_TYPE_LATEST)
