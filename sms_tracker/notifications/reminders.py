"""The daily reminder sweep: one digest per user per day, about their own items, recorded in the outbox.

Each app declares its reminder sources in its integration.py (sms_tracker.core.extensions); a source
returns ReminderItem rows across all projects with a constant number of queries. Items overdue
more than settings.REMINDER_ESCALATION_DAYS also go to each lead of the project, in the lead's own
digest (so a lead too gets one e-mail a day). Users may switch their digest off; escalations still
reach a lead, since following up late work is their role.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from projects.models import Membership, Role, Task
from sms_tracker.core.extensions import ReminderItem, due_window, reminder_sources
from sms_tracker.core.outbox import outbox_record
from sms_tracker.models import OutboxKind, OutboxMessage

User = get_user_model()


def task_reminders(*, today: date, until: date | None = None, since: date | None = None, user_id=None):
    """Open tasks due within the horizon or overdue, assigned to someone still a member.

    Every source takes the same arguments: `until` (default: today + the source's own horizon),
    `since` (default: no lower bound, so all overdue items) and `user_id` (one user's items only).
    """
    tasks = due_window(
        Task.objects.open().filter(assignee__isnull=False, project__memberships__user=F("assignee")),
        "due_date",
        today=today,
        until=until,
        since=since,
        user_field="assignee",
        user_id=user_id,
    )
    return [
        ReminderItem(
            user_id=task.assignee_id,
            project_id=task.project_id,
            project_name=task.project.name,
            category="Task",
            title=task.title,
            due_date=task.due_date,
            path=reverse("projects:task_detail", args=[task.project_id, task.pk]),
            key=f"task:{task.pk}",
        )
        for task in tasks.select_related("project").order_by("due_date", "id")
    ]


def collect_items(*, today: date) -> list[ReminderItem]:
    items: list[ReminderItem] = []
    for source in reminder_sources():
        items.extend(source(today=today))
    return items


def collect_items_for_user(*, user, start: date, end: date) -> list[ReminderItem]:
    items: list[ReminderItem] = []
    for source in reminder_sources():
        items.extend(source(today=start, since=start, until=end, user_id=user.pk))
    return sorted(items, key=lambda item: (item.due_date, item.key))


@dataclass
class Digest:
    user: object
    own: list[ReminderItem]
    escalated: list[ReminderItem]


def plan_digests(*, today: date) -> list[Digest]:
    items = collect_items(today=today)
    escalate_before = today - timedelta(days=settings.REMINDER_ESCALATION_DAYS)
    own: dict[int, list[ReminderItem]] = defaultdict(list)
    for item in items:
        own[item.user_id].append(item)
    late = [item for item in items if item.due_date < escalate_before]
    leads: dict[int, list[int]] = defaultdict(list)
    if late:
        for project_id, user_id in Membership.objects.filter(
            project_id__in={item.project_id for item in late}, role=Role.LEAD
        ).values_list("project_id", "user_id"):
            leads[project_id].append(user_id)
    escalated: dict[int, list[ReminderItem]] = defaultdict(list)
    for item in late:
        for lead_id in leads[item.project_id]:
            if lead_id != item.user_id:
                escalated[lead_id].append(item)
    users = User.objects.filter(pk__in=set(own) | set(escalated), is_active=True).exclude(email="")
    users = users.select_related("notification_preference").order_by("pk")
    digests = []
    for user in users:
        preference = getattr(user, "notification_preference", None)
        mine = own.get(user.pk, []) if preference is None or preference.digest_enabled else []
        if mine or escalated.get(user.pk):
            digests.append(Digest(user, mine, escalated.get(user.pk, [])))
    return digests


def _grouped(items, today):
    groups: dict[str, dict] = {}
    for item in sorted(items, key=lambda i: (i.project_name, i.due_date, i.key)):
        group = groups.setdefault(
            item.project_name, {"project": item.project_name, "overdue": [], "upcoming": []}
        )
        row = {"item": item, "days": item.days_overdue(today), "url": settings.SITE_URL + item.path}
        group["overdue" if item.due_date < today else "upcoming"].append(row)
    return list(groups.values())


def digest_content(digest: Digest, *, today: date) -> tuple[str, str, str]:
    overdue = sum(1 for item in digest.own if item.due_date < today)
    parts = []
    if digest.own:
        parts.append(f"{len(digest.own)} item{'s' if len(digest.own) != 1 else ''}, {overdue} overdue")
    if digest.escalated:
        parts.append(f"{len(digest.escalated)} escalated")
    subject = f"SMS Tracker reminders for {today:%-d %b %Y}: " + "; ".join(parts)
    context = {
        "user": digest.user,
        "today": today,
        "own": _grouped(digest.own, today),
        "escalated": _grouped(digest.escalated, today),
        "escalation_days": settings.REMINDER_ESCALATION_DAYS,
        "settings_url": settings.SITE_URL + reverse("notifications"),
    }
    return (
        subject,
        render_to_string("emails/digest.txt", context),
        render_to_string("emails/digest.html", context),
    )


def reminder_sweep(*, today: date) -> list[int]:
    """Record today's digests in the outbox; the ids of the messages still waiting to be sent."""
    for digest in plan_digests(today=today):
        subject, text, html = digest_content(digest, today=today)
        outbox_record(
            recipient=digest.user,
            subject_type="user",
            subject_id=digest.user.pk,
            kind=OutboxKind.DIGEST,
            day=today,
            subject=subject,
            body_text=text,
            body_html=html,
            items=[
                {**asdict(item), "due_date": item.due_date.isoformat(), "escalated": escalated}
                for escalated, group in ((False, digest.own), (True, digest.escalated))
                for item in group
            ],
        )
    return list(
        OutboxMessage.objects.filter(kind=OutboxKind.DIGEST, day=today, status="pending").values_list(
            "pk", flat=True
        )
    )
