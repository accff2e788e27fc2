"""The task list's filter: assignee (or nobody), phase, status and due date (overdue, this week,
none, a range). django-filter builds the form and the queryset; the choices are the project's own,
so an id from another project is a form error, not a silent empty list."""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.formtools import bound_date_fields

from .forms import DateInput
from .models import Phase, TaskStatus

UNASSIGNED = "none"
MINE = "me"

STATUS_CHOICES = (
    ("open", gettext_lazy("Not done")),
    (TaskStatus.OPEN, gettext_lazy("Open, not started")),
    (TaskStatus.IN_PROGRESS, gettext_lazy("In progress")),
    (TaskStatus.DONE, gettext_lazy("Done")),
    ("all", gettext_lazy("Any status")),
)
DUE_CHOICES = (
    ("overdue", gettext_lazy("Overdue")),
    ("week", gettext_lazy("Due this week (next 7 days)")),
    ("none", gettext_lazy("No due date")),
)
# The old quick links of the list (?show=open|mine|all) still work.
LEGACY_SHOW = {
    "open": {"status": "open"},
    "mine": {"assignee": MINE, "status": "all"},
    "all": {"status": "all"},
}


class TaskFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_date_fields(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("due_from"), cleaned.get("due_to")
        if start and end and end < start:
            self.add_error("due_to", _("The end of the range cannot be before its start."))
        return cleaned


class TaskFilter(django_filters.FilterSet):
    assignee = django_filters.ChoiceFilter(
        label=gettext_lazy("Assignee"), method="filter_assignee", empty_label=gettext_lazy("Anyone")
    )
    phase = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Phase"), queryset=Phase.objects.none(), empty_label=gettext_lazy("Any phase")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    due = django_filters.ChoiceFilter(
        label=gettext_lazy("Due"),
        choices=DUE_CHOICES,
        method="filter_due",
        empty_label=gettext_lazy("Any date"),
    )
    due_from = django_filters.DateFilter(
        label=gettext_lazy("Due from"), field_name="due_date", lookup_expr="gte", widget=DateInput()
    )
    due_to = django_filters.DateFilter(
        label=gettext_lazy("Due by"), field_name="due_date", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        form = TaskFilterForm
        fields = ["assignee", "phase", "status", "due", "due_from", "due_to"]

    def __init__(self, data, *args, project, user, members, **kwargs):
        data = data.copy()
        for key, value in LEGACY_SHOW.get(data.get("show", ""), {}).items():
            data.setdefault(key, value)
        if not data.get("status"):
            data["status"] = "open"  # the list opens on the work still to do
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.today = timezone.localdate()
        self.filters["phase"].queryset = project.phases.order_by("order")
        # A callable: the members are read only when a choice is checked or the menu is drawn (on a
        # cached page, neither: kernel/pagecache.py).
        self.filters["assignee"].extra["choices"] = lambda: [
            (MINE, _("Me")),
            (UNASSIGNED, _("Nobody (unassigned)")),
            *[(str(member.pk), member.get_full_name() or member.username) for member in members],
        ]
        self.form.fields["phase"].label_from_instance = lambda p: f"{p.label} {p.display_title}"

    @property
    def is_filtered(self) -> bool:
        """Anything chosen beyond the default (not done, anyone, any phase, any date)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(data.get(name) for name in ("assignee", "phase", "due", "due_from", "due_to")) or (
            data.get("status", "open") != "open"
        )

    def filter_assignee(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        if value == MINE:
            return queryset.filter(assignee=self.user)
        return queryset.filter(assignee_id=int(value)) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.exclude(status=TaskStatus.DONE)
        if value in TaskStatus.values:
            return queryset.filter(status=value)
        return queryset

    def filter_due(self, queryset, name, value):
        if value == "overdue":
            return queryset.exclude(status=TaskStatus.DONE).filter(due_date__lt=self.today)
        if value == "week":
            return queryset.filter(due_date__gte=self.today, due_date__lte=self.today + timedelta(days=7))
        if value == "none":
            return queryset.filter(due_date__isnull=True)
        return queryset


def member_users(project):
    return (
        get_user_model()
        .objects.filter(memberships__project=project)
        .order_by("first_name", "last_name", "username")
    )
