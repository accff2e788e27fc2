"""Reminders of the registers for the daily digest and the calendar feed: entries whose review date
comes up (for their owner), the context review (for the leads) and contracts about to expire (for the
supplier's owner). One query per register, whatever the number of entries."""

from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, gettext_noop

from kernel.extensions import ReminderItem, due_window
from kernel.i18n import worded_later
from kernel.models import Role

from .kinds import KINDS
from .models import ContextDetermination, ObjectiveStatus, RiskStatus, ServiceStatus, Supplier

REVIEWED = {
    "issues": Q(),
    "parties": Q(),
    "services": ~Q(status=ServiceStatus.RETIRED),
    "suppliers": Q(),
    "risks": ~Q(status=RiskStatus.CLOSED),
    "objectives": Q(status=ObjectiveStatus.ACTIVE),
}
LABEL = {
    "issues": "title",
    "parties": "name",
    "services": "name",
    "suppliers": "name",
    "risks": "title",
    "objectives": "title",
}


def _window(rows, date_field, user_field, **kwargs):
    return due_window(rows, date_field, user_field=user_field, **kwargs)


def register_review_reminders(
    *, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=()
):
    """Register entries due for review, for their owner (while a member); the context review, for the
    leads."""
    window = dict(
        today=today,
        until=until,
        since=since,
        user_id=user_id,
        project_ids=project_ids,
        exclude_user_ids=exclude_user_ids,
    )
    items = []
    for key, condition in REVIEWED.items():
        kind = KINDS[key]
        rows = kind.model.objects.filter(
            condition, owner__isnull=False, project__memberships__user=F("owner")
        )
        rows = _window(rows, "review_date", "owner", **window).order_by("review_date", "id")
        for pk, owner_id, project_id, project_name, label, due in rows.values_list(
            "pk", "owner_id", "project_id", "project__name", LABEL[key], "review_date"
        ):
            items.append(
                ReminderItem(
                    user_id=owner_id,
                    project_id=project_id,
                    project_name=project_name,
                    category=gettext_lazy("Register review"),
                    title=worded_later(
                        gettext_noop("%(noun)s: %(entry)s"), {"noun": capfirst(kind.noun), "entry": label}
                    ),
                    due_date=due,
                    url_name=f"registers:{kind.name}_detail",
                    url_args=(project_id, pk),
                    key=f"register-review:{key}:{pk}",
                )
            )
    leads = ContextDetermination.objects.filter(project__memberships__role=Role.LEAD)
    leads = _window(leads, "review_date", "project__memberships__user", **window).order_by(
        "review_date", "id"
    )
    for pk, lead_id, project_id, project_name, due in leads.values_list(
        "pk", "project__memberships__user_id", "project_id", "project__name", "review_date"
    ):
        items.append(
            ReminderItem(
                user_id=lead_id,
                project_id=project_id,
                project_name=project_name,
                category=gettext_lazy("Register review"),
                title=gettext_lazy("Context and climate-change determination (4.1)"),
                due_date=due,
                url_name="registers:context",
                url_args=(project_id,),
                key=f"register-review:context:{pk}",
            )
        )
    return items


def contract_expiry_reminders(
    *, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=()
):
    """Supplier contracts about to expire (or expired), for the supplier's owner."""
    rows = Supplier.objects.filter(owner__isnull=False, project__memberships__user=F("owner"))
    rows = due_window(
        rows,
        "contract_expiry",
        today=today,
        until=until,
        since=since,
        user_field="owner",
        user_id=user_id,
        project_ids=project_ids,
        exclude_user_ids=exclude_user_ids,
    ).order_by("contract_expiry", "id")
    return [
        ReminderItem(
            user_id=owner_id,
            project_id=project_id,
            project_name=project_name,
            category=gettext_lazy("Contract expiry"),
            title=f"{name}{' (' + reference + ')' if reference else ''}",
            due_date=due,
            url_name="registers:supplier_detail",
            url_args=(project_id, pk),
            key=f"contract-expiry:{pk}",
        )
        for pk, owner_id, project_id, project_name, name, reference, due in rows.values_list(
            "pk", "owner_id", "project_id", "project__name", "name", "contract_reference", "contract_expiry"
        )
    ]
