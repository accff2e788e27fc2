from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.forms import DateInput, HelperMixin, VersionedFormMixin
from projects.models import Priority, Role

from .clauses import leaf_clauses
from .models import (
    NC_GRADES,
    Audit,
    AuditorCompetence,
    AuditStatus,
    Finding,
    FindingSource,
    Grade,
    Improvement,
    ManagementReview,
    OutputKind,
)

User = get_user_model()


def _members(project, roles=None):
    """Members of this project (in these roles here): one filter() call, so both conditions hold
    for the same membership; a person with roles in other projects is listed once."""
    condition = {"memberships__project": project}
    if roles:
        condition["memberships__role__in"] = roles
    return User.objects.filter(**condition).distinct().order_by("username")


def _label(user):
    return user.get_full_name() or user.username


def _drop_version(form):
    """A new record has no version (HelperMixin builds its layout from the final fields)."""
    del form.fields["version"]


def _people_field(field, project, roles=None):
    field.queryset = _members(project, roles)
    field.label_from_instance = _label


class ProgrammeForm(HelperMixin, forms.Form):
    cycle_start = forms.DateField(
        widget=DateInput(),
        help_text=_("The certification cycle runs three years from this date; coverage counts its audits."),
    )
    objectives = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CertificationDecisionForm(HelperMixin, forms.Form):
    decision_date = forms.DateField(
        widget=DateInput(),
        label=_("Date of the certification decision"),
        help_text=_(
            "The day the certification body decided to certify (on the certificate). The "
            "three-year cycle, the surveillance audits and the expiry are counted from it."
        ),
    )
    certificate_number = forms.CharField(max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AuditForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    scope_clauses = forms.MultipleChoiceField(
        label=_("Scope (clauses)"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "clause-checks"}),
        help_text=_("The leaf clauses this audit looks at. The scope is fixed once the audit starts."),
    )

    class Meta:
        model = Audit
        fields = [
            "audit_type",
            "title",
            "planned_start",
            "planned_end",
            "lead_auditor",
            "team",
            "external_auditors",
            "scope_clauses",
            "independence_override_reason",
        ]
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "team": forms.CheckboxSelectMultiple,
            "independence_override_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "team": _("The lead and the auditors of the project; they fill the checklist."),
            "title": _("Leave empty to name the audit after its type."),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["scope_clauses"].choices = [(c.number, c.label) for c in leaf_clauses(project)]
        _people_field(self.fields["lead_auditor"], project, (Role.LEAD, Role.AUDITOR))
        _people_field(self.fields["team"], project, (Role.LEAD, Role.AUDITOR))
        if not self.instance.pk:
            _drop_version(self)
        elif self.instance.status != AuditStatus.PLANNED:
            self.fields["scope_clauses"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("planned_start") and cleaned.get("planned_end"):
            if cleaned["planned_end"] < cleaned["planned_start"]:
                self.add_error("planned_end", gettext("The audit cannot end before it starts."))
        return cleaned


class AuditAdvanceForm(HelperMixin, forms.Form):
    to_status = forms.ChoiceField(choices=AuditStatus.choices, widget=forms.HiddenInput)
    report_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class FindingForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    clause = forms.ChoiceField()

    class Meta:
        model = Finding
        fields = ["grade", "clause", "description", "evidence", "owner", "due_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "due_date": DateInput(),
        }
        labels = {"owner": _("Responsible for the response"), "due_date": _("Response due")}
        help_texts = {
            "due_date": _(
                "Leave empty for the grade's rule (see the grades below); an earlier date may be set."
            )
        }

    def __init__(self, *args, project, audit, **kwargs):
        super().__init__(*args, **kwargs)
        scope = set(audit.scope_clauses) if audit else set()
        clauses = leaf_clauses(project)
        in_scope = [(c.number, c.label) for c in clauses if c.number in scope]
        others = [(c.number, c.label) for c in clauses if c.number not in scope]
        self.fields["clause"].choices = [("", "—")] + (
            [(gettext("In the audit's scope"), in_scope), (gettext("Other clauses"), others)]
            if in_scope
            else others
        )
        _people_field(self.fields["owner"], project)
        if not self.instance.pk:
            _drop_version(self)


class FindingResponseForm(HelperMixin, forms.Form):
    correction = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What was done at once to contain or fix the nonconformity itself."),
    )
    root_cause = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why it happened; corrective actions address this cause."),
    )
    similar_nonconformities = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Do similar nonconformities exist, or could they occur?"),
        help_text=_(
            "Where else the same cause could bite, and what you found when you looked. "
            "Needed before the nonconformity can close."
        ),
    )
    actions_appropriate = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Are the actions appropriate to the effects?"),
        help_text=_(
            "Weigh the actions against what the nonconformity did or could do. "
            "Needed before the nonconformity can close."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NonconformityForm(HelperMixin, forms.ModelForm):
    """A nonconformity from any source but an audit (10.1)."""

    clause = forms.ChoiceField()

    class Meta:
        model = Finding
        fields = [
            "source", "source_reference", "grade", "clause", "description", "evidence", "owner", "due_date",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
        }
        labels = {"source": _("Where it came from"), "source_reference": _("Reference")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(v, label) for v, label in FindingSource.choices if v != "audit"]
        self.fields["grade"].choices = [(g, Grade(g).label) for g in NC_GRADES]
        self.fields["clause"].choices = [(c.number, c.label) for c in leaf_clauses(project)]
        self.fields["due_date"].required = False
        _people_field(self.fields["owner"], project)


class ActionForm(HelperMixin, forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Corrective action"))
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    due_date = forms.DateField(widget=DateInput())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _people_field(self.fields["owner"], project)

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(gettext("Describe the action."))
        return text


class ActionImplementForm(HelperMixin, forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("What was done"),
        help_text=_("The verifier checks this."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionVerifyForm(HelperMixin, forms.Form):
    effective = forms.TypedChoiceField(
        choices=[
            ("1", _("Effective: the cause is removed")),
            ("0", _("Not effective: the owner must rework it")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Result"),
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("What you checked"))
    by_certification_body = forms.BooleanField(
        required=False,
        label=_("The certification body verified it"),
        help_text=_("Required for a major nonconformity raised by the certification body."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ImprovementForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Improvement
        fields = ["title", "description", "owner", "due_date", "status", "outcome"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _people_field(self.fields["owner"], project)
        if not self.instance.pk:
            _drop_version(self)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(gettext("Give the improvement a title."))
        return title


class ReviewForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ManagementReview
        fields = [
            "title",
            "meeting_date",
            "attendees",
            "top_management",
            "other_attendees",
            "other_top_management",
            "decisions",
        ]
        widgets = {
            "meeting_date": DateInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "top_management": forms.CheckboxSelectMultiple,
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "top_management": _("Of these, top management"),
            "decisions": "Summary (optional)",
        }
        help_texts = {
            "meeting_date": _(
                "After the latest internal audit of the cycle: the review considers its results."
            ),
            "top_management": _("The review is top management's: at least one attendee speaks for it."),
            "other_attendees": _("People without an account, e.g. the managing director."),
            "decisions": _("The decisions themselves are recorded as outputs on the review page."),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        _people_field(self.fields["attendees"], project)
        _people_field(self.fields["top_management"], project)
        if not self.instance.pk:
            del self.fields["decisions"]
            _drop_version(self)


class ReviewSectionForm(forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewOutputForm(HelperMixin, forms.Form):
    kind = forms.ChoiceField(choices=OutputKind.choices, label=_("Decision on"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Decision"), max_length=2000)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(gettext("Write the decision."))
        return text


class ReviewActionForm(HelperMixin, forms.Form):
    title = forms.CharField(max_length=200, label=_("Action"))
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(widget=DateInput(), required=False)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.MEDIUM)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _people_field(self.fields["assignee"], project)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(gettext("Describe the action."))
        return title


class CompetenceForm(HelperMixin, forms.ModelForm):
    """One line of an auditor's competence record (7.2)."""

    class Meta:
        model = AuditorCompetence
        fields = ["person", "kind", "title", "obtained_on", "expires_on", "evidence"]
        widgets = {"obtained_on": DateInput(), "expires_on": DateInput()}
        labels = {"person": _("Auditor")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _people_field(self.fields["person"], project, (Role.LEAD, Role.AUDITOR))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("obtained_on") and cleaned.get("expires_on"):
            if cleaned["expires_on"] < cleaned["obtained_on"]:
                self.add_error("expires_on", gettext("It cannot expire before it was obtained."))
        return cleaned
