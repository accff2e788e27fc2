from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.formtools import bound_date_fields

from .models import Phase, PhaseStatus, Project, Role, Task
from .scheduling import ScheduleTooShort, earliest_target, minimum_days


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HelperMixin:
    """crispy helper without its own <form> tag: templates own the form and its hx-* attributes.

    Built on first use, so its layout matches the fields as __init__ finally left them (forms
    drop the version field for new records, for example). Every date field of the form gets the
    sane window of dates (formtools.bound_date_fields).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_date_fields(self)

    @property
    def helper(self):
        if getattr(self, "_helper", None) is None:
            self._helper = FormHelper(self)
            self._helper.form_tag = False
            self._helper.disable_csrf = True
        return self._helper

    @helper.setter
    def helper(self, value):
        self._helper = value


class VersionedFormMixin:
    """Carries the record version the user saw, for optimistic locking."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


# The edition a new project is offered; the shipped gap-analysis checklist v3 carries the same label.
CURRENT_EDITION = "ISO/IEC 20000-1:2018 + Amd 1:2024"


class ProjectForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    replan = forms.BooleanField(
        required=False,
        label=gettext_lazy("Re-plan the phases not yet started from these dates"),
        help_text=gettext_lazy("Leaves phases in progress or done as they are."),
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "organisation",
            "scope_summary",
            "standard_edition",
            "start_date",
            "target_certification_date",
            "min_operating_months",
            "certification_body",
            "require_mfa",
            "report_language",
        ]
        widgets = {
            "start_date": DateInput(),
            "target_certification_date": DateInput(),
            "scope_summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "target_certification_date": gettext_lazy(
                "The day of the Stage 2 audit; the roadmap is planned back from it."
            ),
            "standard_edition": format_lazy(
                gettext_lazy(
                    "The edition certified against; new projects start on {edition} "
                    "(the climate amendment needs no transition)."
                ),
                edition=CURRENT_EDITION,
            ),
        }

    def __init__(self, *args, lead_has_second_factor=True, **kwargs):
        super().__init__(*args, **kwargs)
        # Requiring MFA closes the project to members without it: the lead must not lock themselves out.
        self.lead_has_second_factor = lead_has_second_factor
        if not self.instance.pk:
            del self.fields["version"]
            del self.fields["replan"]
            self.initial.setdefault("standard_edition", CURRENT_EDITION)
        # Left empty, the period is the one the project has (three months on a new project).
        self.fields["min_operating_months"].required = False

    def clean_min_operating_months(self):
        months = self.cleaned_data.get("min_operating_months")
        return months if months is not None else self.instance.min_operating_months

    def clean_require_mfa(self):
        required = self.cleaned_data.get("require_mfa")
        if required and not self.instance.require_mfa and not self.lead_has_second_factor:
            raise forms.ValidationError(
                _(
                    "Set up your own two-factor authentication first (Two-factor authentication in your "
                    "account menu): once it is required, this project opens only to members who have it, "
                    "you included. Nothing was saved."
                )
            )
        return required

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the project a name."))
        return name

    def clean(self):
        cleaned = super().clean()
        start, target = cleaned.get("start_date"), cleaned.get("target_certification_date")
        today = timezone.localdate()
        target_changed = not self.instance.pk or target != self.instance.target_certification_date
        if target and target_changed and target <= today:
            self.add_error(
                "target_certification_date", _("The target certification date must be in the future.")
            )
        elif start and target and self._plan_changes(cleaned):
            months = cleaned.get("min_operating_months") or self.instance.min_operating_months
            earliest = earliest_target(start, months)
            if target < earliest:
                # Refused with the date that works, rather than squeezing phases into days.
                error = ScheduleTooShort(earliest, minimum_days(months), months)
                self.add_error("target_certification_date", error.message)
        return cleaned

    def _plan_changes(self, cleaned) -> bool:
        """A new project, a re-plan, or new dates: the plan must fit its minimum durations."""
        if not self.instance.pk or cleaned.get("replan"):
            return True
        return any(
            cleaned.get(name) != getattr(self.instance, name)
            for name in ("start_date", "target_certification_date", "min_operating_months")
        )


class MemberAddForm(HelperMixin, forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy("They get an invitation by e-mail and join the project when they accept it."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.CONTRIBUTOR)

    def clean_identifier(self):
        """An address, never a lookup: the answer is the same whether an account exists or not."""
        identifier = self.cleaned_data["identifier"].strip()
        try:
            validate_email(identifier)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                _("Enter an e-mail address: people are invited by e-mail and join when they accept.")
            ) from error
        return identifier


class MemberRemoveForm(HelperMixin, forms.Form):
    successor = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        label=gettext_lazy("Hand over to"),
        required=False,
        help_text=gettext_lazy(
            "This lead takes over every open task, phase, document, audit, finding and action listed."
        ),
    )

    def __init__(self, *args, project, member, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        field.queryset = (
            get_user_model()
            .objects.filter(memberships__project=project, memberships__role=Role.LEAD)
            .exclude(pk=member.pk)
            .order_by("username")
        )
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


def _member_choices(field, project):
    field.queryset = field.queryset.filter(memberships__project=project).order_by("username")
    field.label_from_instance = lambda u: u.get_full_name() or u.username


class PhaseForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    override_reason = forms.CharField(
        label=gettext_lazy("Override reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Only for the lead: why this phase may be done before earlier mandatory phases."
        ),
    )

    class Meta:
        model = Phase
        fields = ["owner", "status", "planned_start", "planned_end", "actual_start", "actual_end", "notes"]
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "actual_start": DateInput(),
            "actual_end": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _member_choices(self.fields["owner"], project)
        if not self.instance.optional:
            self.fields["status"].choices = [c for c in PhaseStatus.choices if c[0] != PhaseStatus.SKIPPED]

    def clean(self):
        cleaned = super().clean()
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, _("The end date cannot be before the start date."))
        return cleaned


class TaskCleaningMixin:
    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("A task needs a title."))
        return title

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("start_date")
            and cleaned.get("due_date")
            and cleaned["due_date"] < cleaned["start_date"]
        ):
            self.add_error("due_date", _("The due date cannot be before the start date."))
        return cleaned


class TaskForm(TaskCleaningMixin, HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "phase", "assignee", "start_date", "due_date", "priority", "status", "description"]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.order_by("order")
        self.fields["phase"].label_from_instance = lambda p: f"{p.label} {p.display_title}"
        _member_choices(self.fields["assignee"], project)
        if not self.instance.pk:
            del self.fields["version"]


class QuickTaskForm(TaskCleaningMixin, HelperMixin, forms.ModelForm):
    """The inline form under a phase: title, assignee, due date and priority only."""

    class Meta:
        model = Task
        fields = ["title", "assignee", "due_date", "priority"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _member_choices(self.fields["assignee"], project)


class JoinNameForm(forms.Form):
    """The name an invited person goes by, asked when they accept: without it they appear everywhere
    as their username (issue 25 §2.8)."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)

    def clean_first_name(self):
        name = self.cleaned_data["first_name"].strip()
        if not name and self.fields["first_name"].required:
            raise forms.ValidationError(_("Tell the team your name."))
        return name
