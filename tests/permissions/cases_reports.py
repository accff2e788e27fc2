from notifications.models import NotificationPreference
from reports.models import ReportStatus
from tests.factories import make_assessment, make_report
from tests.permissions.matrix import ROLES, Case, everyone_reads, only, public, signed_in


def R(w):
    return f"/projects/{w.project.pk}/reports/"


def done_report(w):
    return w.obj("report-done", lambda w: make_report(w.project, user=w.user("lead")))


def failed_report(w):
    return w.obj(
        "report-failed",
        lambda w: make_report(w.project, status=ReportStatus.FAILED, error="Boom", user=w.user("lead")),
    )


def calendar_token(w):
    def build(w):
        preference, _ = NotificationPreference.objects.get_or_create(user=w.user("contributor"))
        preference.calendar_token = "matrix-token-123"
        preference.save()
        return preference.calendar_token

    return w.obj("token", build)


CASES = [
    Case("project_reminders", lambda w: f"/projects/{w.project.pk}/reminders/", everyone_reads()),
    Case(
        "project_reminders",
        lambda w: f"/projects/{w.project.pk}/reminders/?scope=escalated",
        everyone_reads(),
        label="escalated",
    ),
    Case("reports:list", R, everyone_reads()),
    Case(
        "reports:create",
        lambda w: R(w) + "new/",
        everyone_reads(302),
        method="post",
        data=lambda w: {"report": "management"},
    ),
    Case(
        "reports:create",
        lambda w: R(w) + "new/",
        everyone_reads(422),
        method="post",
        data=lambda w: {"report": "nonsense"},
        label="invalid",
    ),
    Case("reports:status", lambda w: R(w) + f"{done_report(w).pk}/status/", everyone_reads(), htmx=True),
    Case("reports:download", lambda w: R(w) + f"{done_report(w).pk}/download/", everyone_reads()),
    Case(
        "reports:retry", lambda w: R(w) + f"{failed_report(w).pk}/retry/", everyone_reads(302), method="post"
    ),
    Case(
        "reports:retry",
        lambda w: R(w) + f"{done_report(w).pk}/retry/",
        everyone_reads(409),
        method="post",
        htmx=True,
        label="not-failed",
    ),
    Case("reports:schedule", lambda w: R(w) + "schedule/", only("lead", ok=200)),
    Case(
        "reports:schedule",
        lambda w: R(w) + "schedule/",
        only("lead"),
        method="post",
        data=lambda w: {"enabled": "on", "day_of_month": 5, "version": 1},
    ),
    Case(
        "reports:schedule",
        lambda w: R(w) + "schedule/",
        only("lead", ok=422),
        method="post",
        data=lambda w: {"enabled": "on", "day_of_month": 31, "version": 1},
        label="invalid",
    ),
    Case("reports:export", lambda w: R(w) + "export/tasks.xlsx", everyone_reads()),
    Case("reports:export", lambda w: R(w) + "export/nothing.xlsx", everyone_reads(404), label="unknown"),
    Case("notifications", lambda w: "/account/notifications/", signed_in()),
    Case(
        "notifications",
        lambda w: "/account/notifications/",
        signed_in(302),
        method="post",
        data=lambda w: {"action": "token_create"},
    ),
    Case(
        "notifications",
        lambda w: "/account/notifications/",
        signed_in(400),
        method="post",
        data=lambda w: {"action": "bogus"},
        label="bad-action",
    ),
    Case("calendar_feed", lambda w: f"/calendar/{calendar_token(w)}.ics", public()),
    Case("calendar_feed", lambda w: "/calendar/not-a-token.ics", {r: 404 for r in ROLES}, label="unknown"),
]


def gap_assessment(w):
    return w.obj("gap", lambda w: make_assessment(w.project, user=w.user("lead")))


CASES += [
    Case(
        "reports:create",
        lambda w: R(w) + "new/",
        everyone_reads(302),
        method="post",
        data=lambda w: {"report": f"gap:{gap_assessment(w).pk}"},
        label="gap",
    ),
    Case(
        "reports:create",
        lambda w: R(w) + "new/",
        everyone_reads(422),
        method="post",
        data=lambda w: {"report": "gap:999999"},
        label="gap-other-project",
    ),
    Case("reports:export", lambda w: R(w) + "export/findings.xlsx", everyone_reads(), label="findings"),
    Case(
        "reports:export", lambda w: R(w) + "export/corrective-actions.xlsx", everyone_reads(), label="actions"
    ),
]
