from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .access import get_project_for_user
from .reminders import project_reminders

REMINDER_SCOPES = {"mine": "Mine", "escalated": "Escalated"}


@login_not_required
@require_GET
def healthz(request):
    """Liveness for load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
        {
            "project": access.project,
            "page": page,
            "rows": rows,
            "scope": scope,
            "scopes": REMINDER_SCOPES,
            "today": today,
        },
    )
