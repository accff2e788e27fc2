from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.forms import DateInput, HelperMixin

from .forms import _people_field


class ConcernForm(HelperMixin, forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    clause = forms.CharField(max_length=20, required=False, help_text="e.g. 8.5.1")
    owner = forms.ModelChoiceField(queryset=None, required=False)
    due_date = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _people_field(self.fields["owner"], project)


class ConcernCloseForm(HelperMixin, forms.Form):
    closure_evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("What shows it is dealt with.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConcernAcceptForm(HelperMixin, forms.Form):
    acceptance_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Why it is accepted without further action.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CertificationSettingsForm(HelperMixin, forms.Form):
    major_nc_warn_months = forms.IntegerField(
        min_value=1, max_value=24, label=_("Warn about an unverified major after (months)")
    )
    major_nc_limit_months = forms.IntegerField(
        min_value=1, max_value=24, label=_("Repeat the audit when a major is unverified after (months)")
    )
    recertification_lead_months = forms.IntegerField(
        min_value=1, max_value=12, label=_("Plan the recertification audit ahead of expiry by (months)")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        warn, limit = data.get("major_nc_warn_months"), data.get("major_nc_limit_months")
        if warn and limit and warn > limit:
            self.add_error("major_nc_warn_months", gettext("The warning must come before the limit."))
        return data


class TransferForm(HelperMixin, forms.Form):
    to_body = forms.CharField(max_length=200, label=_("Certification body taking the certificate over"))
    reviewed_on = forms.DateField(widget=DateInput(), label=_("Date of the pre-transfer review"))
    reviewer = forms.CharField(max_length=200, label=_("Who reviewed it for the new body"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What the review checked and found"),
        help_text=_("Certificate valid and in scope, last audit reports, open nonconformities, complaints."),
    )


class PlanAcceptForm(HelperMixin, forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("How the body accepted it (letter, e-mail, report)")
    )
