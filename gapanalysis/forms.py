from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.clauses import parse_clause_list
from projects.forms import HelperMixin

from .models import ISO_TEMPLATE_SLUG, Assessment, AssessmentKind, ChecklistTemplate, Result
from .services import AUDITOR_ROLES

User = get_user_model()


def _auditor_queryset(project):
    return (
        User.objects.filter(memberships__project=project, memberships__role__in=AUDITOR_ROLES)
        .order_by("username")
        .distinct()
    )


def _user_label(user):
    return user.get_full_name() or user.username


def _template_label(template) -> str:
    return f"{template}" + ("" if template.is_library else _(" — this project's own"))


def default_assessment_title(project) -> str:
    """The first assessment is the baseline; later ones are follow-ups named by their month, so the
    form can be submitted as it comes (issue 25 §2.6)."""

    if not Assessment.objects.filter(project=project, kind=AssessmentKind.GAP).exists():
        return _("Baseline gap analysis")
    return _("Follow-up gap analysis, %(month)s") % {"month": date_format(timezone.localdate(), "F Y")}


class AssessmentCreateForm(HelperMixin, forms.Form):
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "For example “Baseline gap analysis” or “Follow-up, March”; "
            "left empty, the suggested title is used."
        ),
    )
    template = forms.ModelChoiceField(queryset=ChecklistTemplate.objects.none(), empty_label=None)
    clause_numbers = forms.CharField(
        label=gettext_lazy("Scope (optional)"),
        required=False,
        help_text=gettext_lazy(
            "Clause numbers separated by commas, e.g. “8.1, 8.2, 9”; a heading takes all its "
            "sub-clauses. Leave empty for the whole checklist."
        ),
    )
    auditors = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Auditors who answer every question. You can narrow them to clauses afterwards."
        ),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_title = default_assessment_title(project)
        self.initial.setdefault("title", self.default_title)
        templates = ChecklistTemplate.objects.visible_in(project)
        self.fields["template"].queryset = templates.order_by("project_id", "slug", "-version")
        self.fields["template"].label_from_instance = _template_label
        default = templates.library().filter(slug=ISO_TEMPLATE_SLUG).order_by("-version").first()
        if default is not None and "template" not in self.initial:
            self.initial["template"] = default.pk
        self.fields["auditors"].queryset = _auditor_queryset(project)
        self.fields["auditors"].label_from_instance = _user_label

    def clean_title(self):
        return self.cleaned_data["title"].strip() or self.default_title

    def clean_clause_numbers(self):
        return parse_clause_list(self.cleaned_data["clause_numbers"])


class AuditorAssignForm(forms.Form):
    """A row per member who may audit: assigned or not, and optionally the clauses."""

    def __init__(self, *args, project, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(_auditor_queryset(project))
        current: dict[int, list[str]] = {}
        for row in assignments:
            current.setdefault(row.user_id, [])
            if row.clause_id:
                current[row.user_id].append(row.clause.number)
        for user in self.candidates:
            self.fields[f"assigned_{user.pk}"] = forms.BooleanField(
                required=False, label=_user_label(user), initial=user.pk in current
            )
            self.fields[f"clauses_{user.pk}"] = forms.CharField(
                required=False,
                label=_("Clauses for %(user_label)s") % {"user_label": _user_label(user)},
                initial=", ".join(current.get(user.pk, [])),
            )

    def rows(self):
        return [(user, self[f"assigned_{user.pk}"], self[f"clauses_{user.pk}"]) for user in self.candidates]

    def assignments(self) -> dict[int, list[str]]:
        return {
            user.pk: parse_clause_list(self.cleaned_data[f"clauses_{user.pk}"])
            for user in self.candidates
            if self.cleaned_data.get(f"assigned_{user.pk}")
        }


class ResponseForm(forms.Form):
    result = forms.ChoiceField(choices=Result.choices, required=False)
    notes = forms.CharField(required=False, max_length=5000)
    version = forms.IntegerField(min_value=1)


class EvidenceForm(forms.Form):
    file = forms.FileField(required=False)
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    description = forms.CharField(required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("Attach a file or give a link (one of the two)."))
        return cleaned


class RemediationForm(forms.Form):
    phase = forms.ChoiceField(required=False)

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = {str(p.pk): p for p in phases}
        self.fields["phase"].choices = [("", _("Default phase"))] + [
            (k, f"{p.label} {p.display_title}") for k, p in self.phases.items()
        ]

    def clean_phase(self):
        value = self.cleaned_data["phase"]
        return self.phases.get(value) if value else None


class TemplateImportForm(HelperMixin, forms.Form):
    file = forms.FileField(
        help_text=gettext_lazy(
            "A .json, .csv or .xlsx file in the export format (at most 5 MB and 5,000 rows)."
        )
    )
