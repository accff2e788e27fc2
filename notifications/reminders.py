"""The daily reminder sweep: one digest per user per day, about their own items, recorded in the outbox.

Each app declares its reminder sources in its integration.py (kernel.extensions); a source
returns ReminderItem rows across all projects with a constant number of queries. Items overdue
more than settings.REMINDER_ESCALATION_DAYS also go to each lead of the project, in the lead's own
digest (so a lead too gets one e-mail a day). Users may switch their digest off; escalations still
reach a lead, since following up late work is their role.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from identity.mfa import memberships_mfa_keeps_out_of_mail
from kernel.extensions import ReminderItem, due_window, reminder_sources
from kernel.i18n import each_in_language
from kernel.outbox import outbox_record_many
from notifications.models import OutboxMessage
from projects.models import Membership, Role, Task

User = get_user_model()

# A digest lists at most this many items per project, and this many in all; the rest are counted,
# with a link to the project's reminders page that lists them all.
ITEMS_PER_PROJECT = 10
ITEMS_LISTED = 100


def task_reminders(
    *,
    today: date,
    until: date | None = None,
    since: date | None = None,
    user_id=None,
    project_ids=None,
    exclude_user_ids=(),
):
    """Open tasks due within the horizon or overdue, assigned to someone still a member.

    Every source takes the same arguments: `until` (default: today + the source's own horizon),
    `since` (default: no lower bound, so all overdue items), `user_id` (one user's items only),
    `project_ids` (these projects' only) and `exclude_user_ids` (not these users' items). Sources read
    plain values, not model instances: the sweep handles every open item of the installation.
    """
    tasks = due_window(
        Task.objects.open().filter(assignee__isnull=False, project__memberships__user=F("assignee")),
        "due_date",
        today=today,
        until=until,
        since=since,
        user_field="assignee",
        user_id=user_id,
        project_ids=project_ids,
        exclude_user_ids=exclude_user_ids,
    )
    rows = tasks.order_by("due_date", "id").values_list(
        "pk", "assignee_id", "project_id", "project__name", "title", "due_date"
    )
    return [
        ReminderItem(
            user_id=assignee_id,
            project_id=project,
            project_name=project_name,
            category=gettext_lazy("Task"),
            title=title,
            due_date=due_date,
            url_name="projects:task_detail",
            url_args=(project, pk),
            key=f"task:{pk}",
        )
        for pk, assignee_id, project, project_name, title, due_date in rows
    ]


def collect_items(*, today: date, until=None, project_ids=None, user_id=None, exclude_user_ids=()):
    items: list[ReminderItem] = []
    for source in reminder_sources():
        items.extend(
            source(
                today=today,
                until=until,
                project_ids=project_ids,
                user_id=user_id,
                exclude_user_ids=exclude_user_ids,
            )
        )
    return items


def collect_items_for_user(*, user, start: date, end: date) -> list[ReminderItem]:
    items: list[ReminderItem] = []
    for source in reminder_sources():
        items.extend(source(today=start, since=start, until=end, user_id=user.pk))
    return sorted(items, key=lambda item: (item.due_date, item.key))


@dataclass(frozen=True)
class Escalation:
    """A lead's view of one project's late work: how many items, of which kinds, since when."""

    project_id: int
    project_name: str
    count: int
    categories: dict[str, int]
    oldest_due: date


@dataclass
class Digest:
    user: object
    own: list[ReminderItem]
    escalated: list[Escalation]

    @property
    def escalated_count(self) -> int:
        return sum(escalation.count for escalation in self.escalated)


def plan_digests(*, today: date, skip_user_ids=frozenset()) -> list[Digest]:
    """Who gets a digest today and what it holds. Users in `skip_user_ids` (their digest for the
    day is already recorded) are left out before anything is grouped for them."""
    skip = frozenset(skip_user_ids)
    escalate_before = today - timedelta(days=settings.REMINDER_ESCALATION_DAYS)
    items = collect_items(today=today, exclude_user_ids=skip)  # the own items of those still to do
    # Nothing of a project that requires MFA goes by e-mail to a member who does not satisfy it.
    kept_out = set(memberships_mfa_keeps_out_of_mail().values_list("user_id", "project_id"))
    items = [item for item in items if (item.user_id, item.project_id) not in kept_out]
    own: dict[int, list[ReminderItem]] = defaultdict(list)
    for item in items:
        own[item.user_id].append(item)
    leads: dict[int, list[int]] = defaultdict(list)
    for project_id, user_id in (
        Membership.objects.filter(role=Role.LEAD)
        .exclude(user_id__in=skip)
        .values_list("project_id", "user_id")
    ):
        leads[project_id].append(user_id)
    if skip and leads:  # everyone's late items in the leads' projects: the skipped users' were left out
        items = collect_items(today=today, until=escalate_before - timedelta(days=1), project_ids=list(leads))
    late: dict[int, list[ReminderItem]] = defaultdict(list)
    for item in items:
        if item.due_date < escalate_before and item.project_id in leads:
            late[item.project_id].append(item)
    escalated: dict[int, list[Escalation]] = defaultdict(list)
    for project_id, lead_ids in leads.items():
        for lead_id in lead_ids if late[project_id] else ():
            if (lead_id, project_id) in kept_out:
                continue
            others = [item for item in late[project_id] if item.user_id != lead_id]
            if others:
                escalated[lead_id].append(
                    Escalation(
                        project_id=project_id,
                        project_name=others[0].project_name,
                        count=len(others),
                        categories=dict(Counter(item.category for item in others)),
                        oldest_due=min(item.due_date for item in others),
                    )
                )
    users = User.objects.filter(pk__in=set(own) | set(escalated), is_active=True).exclude(email="")
    users = users.select_related("notification_preference").order_by("pk")
    digests = []
    for user in users:
        preference = getattr(user, "notification_preference", None)
        mine = own.get(user.pk, []) if preference is None or preference.digest_enabled else []
        theirs = sorted(escalated.get(user.pk, []), key=lambda e: (e.project_name, e.project_id))
        if mine or theirs:
            digests.append(Digest(user, mine, theirs))
    return digests


def project_reminders(*, project_id: int, user, today: date, scope: str) -> list[ReminderItem]:
    """What a digest counted for this project and this user: their own items ("mine"), or the items
    of others overdue more than the escalation window ("escalated"), oldest first."""
    if scope == "mine":
        items = collect_items(today=today, project_ids=[project_id], user_id=user.pk)
    else:
        escalate_before = today - timedelta(days=settings.REMINDER_ESCALATION_DAYS)
        items = [
            item
            for item in collect_items(today=today, project_ids=[project_id])
            if item.due_date < escalate_before and item.user_id != user.pk
        ]
    return sorted(items, key=lambda item: (item.due_date, item.key))


def project_reminders_path(project_id: int, scope: str) -> str:
    return reverse("project_reminders", args=[project_id]) + f"?scope={scope}"


def digest_data(digest: Digest, *, today: date) -> dict:
    """What the digest says, compactly: per project at most ITEMS_PER_PROJECT items (and never more
    than ITEMS_LISTED in all) with the counts of the rest, and the escalations as counts per project.
    This is what the outbox row stores; the e-mail is rendered from it when it is sent."""
    projects: dict[int, list[ReminderItem]] = defaultdict(list)
    for item in digest.own:
        projects[item.project_id].append(item)
    own, listed = [], 0
    for project_id, items in sorted(projects.items(), key=lambda pair: (pair[1][0].project_name, pair[0])):
        items.sort(key=lambda item: (item.due_date, item.key))
        shown = items[: max(0, min(ITEMS_PER_PROJECT, ITEMS_LISTED - listed))]
        listed += len(shown)
        own.append(
            {
                "project": items[0].project_name,
                "overdue": sum(1 for item in items if item.due_date < today),
                "total": len(items),
                "items": [
                    [str(item.category), str(item.title), item.due_date.isoformat(), item.path, item.key]
                    for item in shown
                ],
                "more_path": project_reminders_path(project_id, "mine"),
            }
        )
    return {
        "own": own,
        "escalated": [
            {
                "project": escalation.project_name,
                "count": escalation.count,
                "categories": {str(category): count for category, count in escalation.categories.items()},
                "oldest": escalation.oldest_due.isoformat(),
                "path": project_reminders_path(escalation.project_id, "escalated"),
            }
            for escalation in digest.escalated
        ],
    }


def digest_subject(digest: Digest, *, today: date) -> str:
    overdue = sum(1 for item in digest.own if item.due_date < today)
    parts = []
    if digest.own:
        parts.append(
            ngettext(
                "%(count)s item, %(overdue)s overdue", "%(count)s items, %(overdue)s overdue", len(digest.own)
            )
            % {
                "count": number_format(len(digest.own), force_grouping=True),
                "overdue": number_format(overdue, force_grouping=True),
            }
        )
    if digest.escalated:
        parts.append(
            gettext("%(count)s escalated")
            % {"count": number_format(digest.escalated_count, force_grouping=True)}
        )
    # In the recipient's language: the sweep records it inside each_in_language.
    return gettext("SMS Tracker reminders for %(date)s: %(parts)s") % {
        "date": date_format(today, "DATE_FORMAT"),
        "parts": "; ".join(parts),
    }


def digest_bodies(message) -> tuple[str, str]:
    """Text and HTML of a digest recorded by the sweep, rendered when it is sent."""
    today, data, site = message.day, message.items, settings.SITE_URL
    own = []
    for group in data.get("own", []):
        rows = []
        for category, title, due, path, _key in group["items"]:
            due_date = date.fromisoformat(due)
            rows.append(
                {
                    "category": category,
                    "title": title,
                    "due_date": due_date,
                    "url": site + path,
                    "days": (today - due_date).days,
                }
            )
        own.append(
            {
                "project": group["project"],
                "overdue": [row for row in rows if row["days"] > 0],
                "upcoming": [row for row in rows if row["days"] <= 0],
                "more": group["total"] - len(rows),
                "total": group["total"],
                "more_url": site + group["more_path"],
            }
        )
    escalated = [
        {
            **entry,
            "oldest": date.fromisoformat(entry["oldest"]),
            "url": site + entry["path"],
            "categories": sorted(entry["categories"].items()),
        }
        for entry in data.get("escalated", [])
    ]
    context = {
        "user": message.recipient,
        "today": today,
        "own": own,
        "escalated": escalated,
        "escalation_days": settings.REMINDER_ESCALATION_DAYS,
        "settings_url": site + reverse("notifications"),
    }
    return render_to_string("emails/digest.txt", context), render_to_string("emails/digest.html", context)


def reminder_sweep(*, today: date) -> list[int]:
    """Record today's digests in the outbox; the ids of the messages still waiting to be sent.

    Recipients whose digest for the day is already recorded are skipped before anything is built
    for them; the new rows go in with one bulk insert in which the unique key (recipient, kind,
    day) still decides between two sweeps running at once."""
    digests_today = OutboxMessage.objects.filter(kind="digest", day=today, subject_type="user")
    recorded = frozenset(digests_today.values_list("recipient_id", flat=True))
    rows = [
        OutboxMessage(
            recipient=digest.user,
            subject_type="user",
            subject_id=digest.user.pk,
            kind="digest",
            day=today,
            to_email=digest.user.email,
            subject=digest_subject(digest, today=today),
            body_text="",  # rendered from `items` when sent (digest_bodies)
            items=digest_data(digest, today=today),
        )
        # The subject now, the body when sent (kernel/outbox.py): both in the recipient's language.
        for digest in each_in_language(
            plan_digests(today=today, skip_user_ids=recorded), user=lambda digest: digest.user
        )
    ]
    outbox_record_many(rows)
    return list(digests_today.filter(status="pending").values_list("pk", flat=True))
