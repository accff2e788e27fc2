"""The monthly management report per project: start the due ones, then mail the PDF when it is done."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from identity.mfa import memberships_mfa_keeps_out_of_mail
from kernel.concurrency import lock_for_edit
from kernel.i18n import each_in_language
from kernel.outbox import outbox_record
from projects.models import Membership, Project, Role
from reports.models import Report, ReportSchedule, ReportStatus, ReportTrigger

from .services import report_request

logger = logging.getLogger(__name__)


def schedule_for(project, *, create: bool = False) -> ReportSchedule:
    """The project's schedule; an unsaved default when it has none (a read never writes)."""
    defaults = {"day_of_month": settings.REPORT_DEFAULT_DAY_OF_MONTH}
    if create:
        return ReportSchedule.objects.get_or_create(project=project, defaults=defaults)[0]
    return ReportSchedule.objects.filter(project=project).first() or ReportSchedule(
        project=project, **defaults
    )


@transaction.atomic
def schedule_update(
    *, schedule: ReportSchedule, user, expected_version: int, day_of_month: int, enabled: bool
):
    schedule = lock_for_edit(ReportSchedule, schedule.pk, expected_version=expected_version)
    schedule.day_of_month, schedule.enabled = day_of_month, enabled
    schedule.version += 1
    schedule.full_clean()
    schedule.save()
    return schedule


def monthly_reports_start(*, today) -> list[int]:
    """Ask for this month's report of every project whose day has come; each project once a month."""
    month = today.replace(day=1)
    missing = Project.objects.filter(report_schedule__isnull=True)
    ReportSchedule.objects.bulk_create(
        [ReportSchedule(project=p, day_of_month=settings.REPORT_DEFAULT_DAY_OF_MONTH) for p in missing],
        ignore_conflicts=True,
    )
    due = ReportSchedule.objects.filter(enabled=True, day_of_month__lte=today.day).exclude(
        last_run_month__gte=month
    )
    started = []
    for schedule in due.select_related("project"):
        try:
            report_id = _monthly_report_claim_and_request(schedule=schedule, month=month)
        except Exception:
            # Nothing of this project's month was kept: the next run (tomorrow) tries again.
            logger.exception("Monthly report of project %s could not be started", schedule.project_id)
            continue
        if report_id is not None:
            started.append(report_id)
    return started


@transaction.atomic
def _monthly_report_claim_and_request(*, schedule: ReportSchedule, month) -> int | None:
    """Claim the month and create its report in one transaction: an error gives the month back."""
    claimed = ReportSchedule.objects.filter(pk=schedule.pk, last_run_month=schedule.last_run_month).update(
        last_run_month=month, updated_at=timezone.now()
    )
    if claimed != 1:
        return None  # another run took this project for this month
    report = report_request(
        project=schedule.project, kind="management", user=None, trigger=ReportTrigger.SCHEDULED
    )
    return report.pk


def monthly_report_mail(*, report: Report) -> list[int]:
    """Outbox messages with the PDF for the project's viewers and leads (one per person per month)."""
    if report.status != ReportStatus.DONE or report.trigger != ReportTrigger.SCHEDULED:
        raise ValidationError("Only a finished scheduled report is mailed.")
    project = report.project
    # The month on the installation's calendar (TIME_ZONE), not UTC's: a report finished early on
    # the 1st in Tokyo is still the previous day in UTC.
    day = timezone.localdate(report.finished_at or timezone.now()).replace(day=1)
    recipients = (
        Membership.objects.filter(project=project, role__in=(Role.VIEWER, Role.LEAD), user__is_active=True)
        .exclude(user__email="")
        .exclude(pk__in=memberships_mfa_keeps_out_of_mail().values("pk"))
        .select_related("user")
    )
    context = {
        "project": project,
        "report": report,
        "month": day,
        "url": settings.SITE_URL + report.get_absolute_url(),
    }
    ids = []
    for membership in each_in_language(recipients, user=lambda m: m.user):  # the recipient's language
        subject = _("%(project)s: management progress report, %(month)s") % {
            "project": project.name,
            "month": date_format(day, "F Y"),
        }
        message = outbox_record(
            recipient=membership.user,
            subject_type="project",
            subject_id=project.pk,
            kind="monthly_report",
            day=day,
            subject=subject,
            body_text=render_to_string("emails/monthly_report.txt", {**context, "user": membership.user}),
            body_html=render_to_string("emails/monthly_report.html", {**context, "user": membership.user}),
            report=report,
        )
        if message.status == "pending":
            ids.append(message.pk)
    return ids
