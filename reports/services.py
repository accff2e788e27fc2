"""Writes for generated reports: ask for one, claim it, render it, recover runs lost with a worker.

A report is a row of the delivery row machine (kernel/delivery.py, reports.models.MACHINE): claimed
with a conditional UPDATE (queued -> running) that must hit exactly one row, so a message delivered
twice (late acknowledgement, a restarted worker) renders it once.
"""

import logging
import socket
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kernel import delivery
from kernel.extensions import report_kind
from kernel.i18n import in_language, language_of
from kernel.queueing import QueueUnavailable, enqueue, named
from reports.models import Report, ReportStatus, ReportTrigger

from .pdf import render_pdf

logger = logging.getLogger(__name__)

ACTIVE = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class ReportRateLimited(Exception):
    """The person asked for more reports than REPORT_RATE_LIMIT_PER_HOUR allows (answered with 429)."""


# Stored in English (the views compare it), shown in the reader's language.
QUEUE_ERROR = gettext_noop(
    "The report could not be queued: the background task queue is unreachable. Try again in a moment."
)


def _enqueue_render(report_id: int) -> None:
    try:
        enqueue(named("reports.tasks.render_report"), report_id)
    except QueueUnavailable as error:
        logger.error("Report %s could not be queued: %s", report_id, error)
        delivery.give_up(Report, report_id, error=QUEUE_ERROR, from_=(ReportStatus.QUEUED,))


@transaction.atomic
def report_request(
    *, project, kind: str, user, subject_id: int | None = None, trigger: str = ReportTrigger.MANUAL
) -> Report:
    spec = report_kind(kind)
    if spec is None:
        raise ValidationError({"kind": gettext("This kind of report is not available.")})
    if spec.subjects is not None:
        choices = dict(spec.subjects(project))
        if subject_id not in choices:
            raise ValidationError(
                {"subject_id": gettext("Choose one of this project's records for the report.")}
            )
        title = f"{spec.label}: {choices[subject_id]}"
    else:
        subject_id, title = None, spec.label
    if trigger == ReportTrigger.MANUAL:
        # Serialise requests of one project so two clicks cannot both find "nothing active".
        type(project).objects.select_for_update().filter(pk=project.pk).first()
        active = (
            Report.objects.filter(project=project, kind=kind, subject_id=subject_id, status__in=ACTIVE)
            .order_by("-queued_at")
            .first()
        )
        if active is not None:
            return active  # already on its way: the same report answers, no second render
        _check_rate(user)
    report = Report(
        project=project,
        kind=kind,
        subject_id=subject_id,
        title=title,
        trigger=trigger,
        requested_by=user,
        queued_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    transaction.on_commit(lambda: _enqueue_render(report.pk))
    return report


def _check_rate(user) -> None:
    limit = settings.REPORT_RATE_LIMIT_PER_HOUR
    if user is None or not limit:
        return
    since = timezone.now() - timedelta(hours=1)
    if Report.objects.filter(requested_by=user, queued_at__gte=since).count() >= limit:
        raise ReportRateLimited(
            gettext("You asked for %(limit)s reports in the last hour, the most allowed. Try again later.")
            % {"limit": limit}
        )


def _stuck_in_queue(now) -> Q:
    cutoff = now - timedelta(seconds=settings.REPORT_QUEUED_STALE_AFTER_SECONDS)
    return Q(status=ReportStatus.QUEUED, queued_at__lt=cutoff)


@transaction.atomic
def report_retry(*, report: Report, user) -> Report:
    """Try a failed report again, or one whose queue message was lost (queued for too long)."""
    now = timezone.now()
    updated = (
        Report.objects.filter(pk=report.pk)
        .filter(Q(status=ReportStatus.FAILED) | _stuck_in_queue(now))
        .update(
            status=ReportStatus.QUEUED,
            error="",
            queued_at=now,
            started_at=None,
            finished_at=None,
            updated_at=now,
        )
    )
    if updated != 1:
        raise ValidationError(gettext("Only a failed report, or one stuck in the queue, can be tried again."))
    transaction.on_commit(lambda: _enqueue_render(report.pk))
    report.refresh_from_db()
    return report


def report_claim(*, report_id: int, worker: str = "") -> bool:
    """queued -> running, exactly once. False when another run has it or it is finished."""
    return delivery.claim(Report, report_id, claimed_by=(worker or socket.gethostname())[:200])


def report_language(report: Report) -> str:
    """The project's language of reports; else the language of whoever asked (none for a scheduled
    report: LANGUAGE_CODE)."""
    if report.project.report_language:
        return report.project.report_language
    return language_of(report.requested_by)


def report_render(*, report_id: int, worker: str = "") -> Report | None:
    """Claim the report and write its PDF; None when it was not ours to run.

    A rendering error is recorded on the row as a failure (the page offers a retry).
    """
    if not report_claim(report_id=report_id, worker=worker):
        return None
    report = Report.objects.select_related("project", "requested_by").get(pk=report_id)
    spec = report_kind(report.kind)
    try:
        if spec is None:
            raise ValidationError(f"The report kind “{report.kind}” is no longer available.")
        today = timezone.localdate()
        with in_language(report_language(report)):
            context = spec.build(report.project, subject_id=report.subject_id, today=today)
            context.update(today=today, generated_at=timezone.now(), requested_by=report.requested_by)
            context.setdefault("title", report.title or spec.label)
            pdf = render_pdf(spec.template, context)
    except SoftTimeLimitExceeded:
        report_fail(report_id=report_id, error="Rendering took longer than the time limit; try again.")
        return Report.objects.get(pk=report_id)
    except Exception as error:
        # The failure is recorded on the row (shown with a retry button); the trace goes to the log.
        logger.exception("Report %s failed", report_id)
        report_fail(report_id=report_id, error=f"{type(error).__name__}: {error}")
        return Report.objects.get(pk=report_id)
    if report.file:
        report.file.delete(save=False)  # regenerating overwrites the earlier file
    report.file.save(report.filename, ContentFile(pdf.content), save=False)
    done = delivery.succeed(
        Report,
        report_id,
        file=report.file.name,
        page_count=pdf.page_count,
        size_bytes=len(pdf.content),
        checksum=pdf.checksum,
    )
    if not done:  # recovered as stale meanwhile: keep the recovery's verdict, drop our file
        report.file.delete(save=False)
        return None
    report.refresh_from_db()
    return report


def report_fail(*, report_id: int, error: str) -> None:
    delivery.give_up(Report, report_id, error=error, from_=ACTIVE)


def _recover_queued(now, retried: list, failed: list) -> None:
    """Reports "queued" for too long: their message was lost on the way to a worker. Send it
    again (a duplicate is harmless: the claim lets one run render), or fail the report after
    REPORT_MAX_ATTEMPTS tries so the page offers "Try again" instead of spinning for ever."""
    for report in Report.objects.filter(_stuck_in_queue(now)):
        same_wait = Report.objects.filter(
            pk=report.pk, status=ReportStatus.QUEUED, queued_at=report.queued_at
        )
        if report.requeues < settings.REPORT_MAX_ATTEMPTS:
            with transaction.atomic():
                if same_wait.update(queued_at=now, requeues=F("requeues") + 1, updated_at=now):
                    retried.append(report.pk)
                    transaction.on_commit(lambda pk=report.pk: _enqueue_render(pk))
        elif same_wait.update(
            status=ReportStatus.FAILED,
            error=(
                "No worker picked this report up (queued for more than "
                f"{settings.REPORT_QUEUED_STALE_AFTER_SECONDS} s, sent {report.requeues + 1} times)."
            ),
            finished_at=now,
            updated_at=now,
        ):
            failed.append(report.pk)


def reports_recover_stale(*, now=None) -> dict:
    """Reports "running" past the hard time limit were lost with their worker, reports "queued"
    too long lost their queue message: retry or fail them."""
    now = now or timezone.now()
    retried, failed = [], []
    _recover_queued(now, retried, failed)
    # Running past the lease: rendered again while attempts remain, else failed (the machine's sweep).
    stuck = delivery.sweep_stuck(Report, now=now)
    for pk in stuck["retried"]:
        transaction.on_commit(lambda pk=pk: _enqueue_render(pk))
    return {"retried": retried + stuck["retried"], "failed": failed + stuck["failed"]}
