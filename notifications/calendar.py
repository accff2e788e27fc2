"""The personal calendar feed (iCalendar, RFC 5545), written by hand.

The feed only has all-day VEVENTs with a summary, a link and a stable UID; writing those lines
(with escaping and 75-octet folding) is shorter than a dependency and keeps the output under our
control. The items are the reminder sources' items (tasks, reviews, actions, audits) with any due
date, from today minus 30 days to one year ahead.
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from kernel.access import hidden_projects
from kernel.extensions import ReminderItem
from kernel.i18n import in_language_of

from .reminders import collect_items_for_user


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def calendar_for(user, *, today: date | None = None) -> str:
    """The feed in the user's language (the categories of its events): the URL carries no session."""
    with in_language_of(user):
        return _calendar_for(user, today=today)


def _calendar_for(user, *, today: date | None = None) -> str:
    today = today or timezone.localdate()
    # The feed's URL is the credential (no session): projects that require MFA appear only if the
    # user has a second factor or a provider account (identity/mfa.py).
    hidden = {row["project_id"] for row in hidden_projects(None, user)}
    items: list[ReminderItem] = [
        item
        for item in collect_items_for_user(
            user=user, start=today - timedelta(days=30), end=today + timedelta(days=365)
        )
        if item.project_id not in hidden
    ]
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "sms-tracker"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SMS Tracker//Due dates//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _fold(f"X-WR-CALNAME:{_escape('SMS Tracker — ' + user.get_username())}"),
    ]
    for item in items:
        url = settings.SITE_URL + item.path
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.key.replace(':', '-')}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due_date + timedelta(days=1):%Y%m%d}",
            _fold(f"SUMMARY:{_escape(f'[{item.category}] {item.title}')}"),
            _fold(f"DESCRIPTION:{_escape(f'{item.project_name}: {url}')}"),
            _fold(f"URL:{url}"),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
