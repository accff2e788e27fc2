"""The registers' forms: one ModelForm per record, and the list filters."""

import datetime as dt

from django import forms
from django.db.models import Q

from projects.forms import HelperMixin, VersionedFormMixin

from .models import (
    ContextDetermination,
    ContextIssue,
    InterestedParty,
    Objective,
    ObjectiveMeasurement,
    Risk,
    Service,
    SlaActual,
    SlaTarget,
    Supplier,
)

TEXTAREA = {"rows": 3}


def member_field(field, project, *, empty_label="— nobody —"):
    """A user choice limited to the project's members, shown by name."""
    field.queryset = field.queryset.filter(memberships__project=project).order_by("username")
    field.label_from_instance = lambda u: u.get_full_name() or u.username
    field.empty_label = empty_label


class RegisterForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    """Base of every register form: members for user fields, small text areas, no version when new."""

    user_fields = ("owner",)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        for name in self.user_fields:
            if name in self.fields:
                member_field(self.fields[name], project)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(TEXTAREA)
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(
                    attrs={"type": "date", **field.widget.attrs}, format="%Y-%m-%d"
                )
        if not self.instance.pk:
            del self.fields["version"]

    def services_of_project(self, name):
        if name in self.fields:
            queryset = Service.objects.filter(project=self.project).order_by("name")
            if self.instance.pk and isinstance(self.instance, Service):
                queryset = queryset.exclude(pk=self.instance.pk)
            self.fields[name].queryset = queryset
            self.fields[name].widget = forms.CheckboxSelectMultiple(choices=self.fields[name].choices)
            self.fields[name].widget.choices = self.fields[name].choices


class ContextDeterminationForm(RegisterForm):
    user_fields = ("reviewed_by",)

    class Meta:
        model = ContextDetermination
        fields = [
            "climate_change",
            "climate_change_reason",
            "summary",
            "reviewed_on",
            "reviewed_by",
            "review_date",
        ]
        help_texts = {
            "climate_change": "ISO/IEC 20000-1:2018/Amd 1:2024 asks the organisation to determine whether "
            "climate change is a relevant issue (4.1).",
            "climate_change_reason": "Why it is, or is not, relevant. Needed once you decide either way.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" not in self.fields:  # the first determination: nothing to be stale against
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("climate_change") not in (None, "undetermined")
            and not cleaned.get("climate_change_reason", "").strip()
        ):
            self.add_error("climate_change_reason", "Give the reason for the determination.")
        return cleaned


class ContextIssueForm(RegisterForm):
    class Meta:
        model = ContextIssue
        fields = ["kind", "title", "description", "effect_on_sms", "climate_related", "owner", "review_date"]


class InterestedPartyForm(RegisterForm):
    class Meta:
        model = InterestedParty
        fields = ["name", "kind", "requirements", "climate_requirements", "owner", "review_date"]


class ServiceForm(RegisterForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "owner",
            "customers",
            "criticality",
            "status",
            "dependencies",
            "review_date",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services_of_project("dependencies")


class SlaTargetForm(RegisterForm):
    class Meta:
        model = SlaTarget
        fields = ["measure", "target", "unit", "direction", "period"]


class MonthField(forms.DateField):
    """A month as the browser's month input sends it (2026-11); stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class SlaActualForm(RegisterForm):
    month = MonthField(help_text="The month the figure covers.")

    class Meta:
        model = SlaActual
        fields = ["month", "value", "note"]
        help_texts = {"value": "Met or missed follows from the target."}

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["month"].widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
        if target.unit:
            self.fields["value"].label = f"Value ({target.unit})"

    def clean_month(self):
        month = self.cleaned_data["month"]
        clash = SlaActual.objects.filter(target=self.target, month=month).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"{month:%B %Y} already has a figure for this target; edit that one.")
        return month


class SupplierForm(RegisterForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "kind",
            "owner",
            "services",
            "scope",
            "contract_reference",
            "contract_start",
            "contract_expiry",
            "review_date",
            "performance_rating",
            "disputes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services_of_project("services")

    def clean(self):
        cleaned = super().clean()
        start, expiry = cleaned.get("contract_start"), cleaned.get("contract_expiry")
        if start and expiry and expiry < start:
            self.add_error("contract_expiry", "The contract cannot expire before it starts.")
        return cleaned


class RiskForm(RegisterForm):
    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "description",
            "source",
            "affected_services",
            "likelihood",
            "impact",
            "acceptance_criteria",
            "treatment",
            "owner",
            "review_date",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services_of_project("affected_services")


class ObjectiveForm(RegisterForm):
    class Meta:
        model = Objective
        fields = [
            "title",
            "description",
            "measure",
            "target",
            "unit",
            "direction",
            "frequency",
            "owner",
            "due_date",
            "review_date",
            "status",
        ]


class ObjectiveMeasurementForm(RegisterForm):
    class Meta:
        model = ObjectiveMeasurement
        fields = ["measured_on", "value", "note"]

    def __init__(self, *args, objective, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective = objective

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        clash = ObjectiveMeasurement.objects.filter(objective=self.objective, measured_on=day)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"There is already a measurement on {day:%-d %B %Y}; edit that one.")
        return day


# --- list filters ------------------------------------------------------------------------------

REVIEW_CHOICES = [("", "Any review date"), ("due", "Due within 30 days or overdue"), ("overdue", "Overdue")]


class FilterForm(forms.Form):
    """Search, a choice field or two, an owner and the review date; each register picks its fields."""

    q = forms.CharField(required=False, label="Search", max_length=100)
    review = forms.ChoiceField(required=False, label="Review", choices=REVIEW_CHOICES)

    def __init__(self, *args, project, choices=(), owner=True, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, options in choices:
            self.fields[name] = forms.ChoiceField(
                required=False, label=label, choices=[("", f"Any {label.lower()}"), *options]
            )
        if owner:
            field = forms.ModelChoiceField(required=False, queryset=project.members.all(), label="Owner")
            member_field(field, project, empty_label="Any owner")
            self.fields["owner"] = field
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm",
            )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def review_q(value: str, today: dt.date, field: str = "review_date") -> Q:
    if value == "overdue":
        return Q(**{f"{field}__lt": today})
    if value == "due":
        return Q(**{f"{field}__lte": today + dt.timedelta(days=30)})
    return Q()
