"""The user's notification settings (digest switch, calendar-feed token) and the calendar feed."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from kernel.access import get_project_for_user
from notifications.models import NotificationPreference, new_calendar_token
from reports.forms import DigestForm

from .calendar import calendar_for
from .reminders import project_reminders

REMINDER_SCOPES = {"mine": "Mine", "escalated": "Escalated"}

# What new_calendar_token() produces (URL-safe base64); anything else cannot be a token.
CALENDAR_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _preference(user) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


@require_http_methods(["GET", "POST"])
def notifications(request):
    preference = _preference(request.user)
    form = DigestForm(initial={"digest_enabled": preference.digest_enabled})
    action = request.POST.get("action")
    if request.method == "POST":
        with transaction.atomic():
            preference = NotificationPreference.objects.select_for_update().get(pk=preference.pk)
            if action == "digest":
                form = DigestForm(request.POST)
                form.is_valid()
                preference.digest_enabled = form.cleaned_data["digest_enabled"]
                message = "Daily digest " + ("on." if preference.digest_enabled else "off.")
            elif action == "token_create":
                preference.calendar_token = new_calendar_token()
                preference.calendar_token_created_at = timezone.now()
                message = "New calendar link created; any earlier link no longer works."
            elif action == "token_revoke":
                preference.calendar_token, preference.calendar_token_created_at = None, None
                message = "Calendar link revoked."
            else:
                return render(request, "400.html", {"message": "Unknown action."}, status=400)
            preference.save()
        messages.success(request, message)
        return redirect("notifications")
    feed_url = (
        request.build_absolute_uri(reverse("calendar_feed", args=[preference.calendar_token]))
        if preference.calendar_token
        else ""
    )
    return render(
        request,
        "reports/notifications.html",
        {
            "form": form,
            "preference": preference,
            "feed_url": feed_url,
            "escalation_days": settings.REMINDER_ESCALATION_DAYS,
        },
    )


@login_not_required
@require_GET
def calendar_feed(request, token):
    if not CALENDAR_TOKEN.fullmatch(token):
        raise Http404("No such calendar.")  # a NUL byte in a query is an error in PostgreSQL
    preference = (
        NotificationPreference.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
    if preference is None:
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_for(preference.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sms-tracker.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def reminders(request, project_id):
    """Every reminder item a digest counted for this project: the "… and N more" links land here."""
    access = get_project_for_user(request, project_id)
    scope = request.GET.get("scope", "mine")
    if scope not in REMINDER_SCOPES:
        scope = "mine"
    today = timezone.localdate()
    items = project_reminders(project_id=access.project.pk, user=request.user, today=today, scope=scope)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    people = get_user_model().objects.in_bulk({item.user_id for item in page})
    rows = [
        {"item": item, "person": people.get(item.user_id), "days": (today - item.due_date).days}
        for item in page
    ]
    return render(
        request,
        "reminders.html",
        {"project": access.project, "page": page, "rows": rows, "scope": scope, "scopes": REMINDER_SCOPES},
    )
