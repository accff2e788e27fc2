from django import forms

from projects.forms import HelperMixin, VersionedFormMixin

from .models import ReportSchedule
from .report_registry import report_kinds


class ReportRequestForm(HelperMixin, forms.Form):
    kind = forms.ChoiceField(label="Report")
    subject_id = forms.TypedChoiceField(label="About", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = [spec for spec in report_kinds() if spec.subjects is None or spec.subjects(project)]
        self.fields["kind"].choices = [(spec.kind, spec.label) for spec in self.kinds]
        subjects = []
        for spec in self.kinds:
            if spec.subjects is not None:
                subjects += [(pk, f"{spec.label}: {label}") for pk, label in spec.subjects(project)]
        self.fields["subject_id"].choices = [("", "—")] + subjects
        if not subjects:
            del self.fields["subject_id"]


class ScheduleForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = ["enabled", "day_of_month"]
        labels = {"enabled": "E-mail the management report every month", "day_of_month": "Day of the month"}
        help_texts = {"day_of_month": "1 to 28; the report goes to the project's viewers and leads."}


class DigestForm(HelperMixin, forms.Form):
    digest_enabled = forms.BooleanField(label="Send me a daily reminder digest", required=False)
