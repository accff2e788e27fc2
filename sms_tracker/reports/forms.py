from django import forms

from projects.forms import HelperMixin, VersionedFormMixin
from sms_tracker.core.extensions import report_kinds
from sms_tracker.models import ReportSchedule


class ReportRequestForm(HelperMixin, forms.Form):
    """One choice per report one may ask for: "management", or "<kind>:<record id>" for a report about
    one assessment, audit or review (so ids of different kinds never mix)."""

    report = forms.ChoiceField(label="Report")

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for spec in report_kinds():
            if spec.subjects is None:
                choices.append((spec.kind, spec.label))
            else:
                records = [(f"{spec.kind}:{pk}", label) for pk, label in spec.subjects(project)]
                if records:
                    choices.append((spec.label, records))
        self.fields["report"].choices = choices

    def clean(self):
        cleaned = super().clean()
        kind, _, subject = cleaned.get("report", "").partition(":")
        cleaned["kind"], cleaned["subject_id"] = kind, int(subject) if subject.isdigit() else None
        return cleaned


class ScheduleForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = ["enabled", "day_of_month"]
        labels = {"enabled": "E-mail the management report every month", "day_of_month": "Day of the month"}
        help_texts = {"day_of_month": "1 to 28; the report goes to the project's viewers and leads."}


class DigestForm(HelperMixin, forms.Form):
    digest_enabled = forms.BooleanField(label="Send me a daily reminder digest", required=False)
