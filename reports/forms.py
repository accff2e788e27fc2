from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.extensions import report_kind, report_kinds
from projects.forms import HelperMixin, VersionedFormMixin
from reports.models import ReportSchedule

PICKER_LIMIT = 25  # records of one kind listed in the picker, the most recent; "show all" lists the rest


class ReportRequestForm(HelperMixin, forms.Form):
    """One choice per report one may ask for: "management", or "<kind>:<record id>" for a report about
    one assessment, audit or review (so ids of different kinds never mix).

    The picker lists the PICKER_LIMIT most recent records of each kind (`show_all` names a kind to
    list whole); any record of the project may be posted, report_request checks it belongs."""

    report = forms.CharField(label=_("Report"), widget=forms.Select)

    def __init__(self, *args, project, show_all: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        self.more = []  # (kind, label, count) of kinds listed only in part
        for spec in report_kinds():
            if spec.subjects is None:
                choices.append((spec.kind, spec.label))
                continue
            records = spec.subjects(project)
            if len(records) > PICKER_LIMIT and spec.kind != show_all:
                self.more.append((spec.kind, spec.label, len(records)))
                recent = set(sorted(pk for pk, _ in records)[-PICKER_LIMIT:])
                records = [(pk, label) for pk, label in records if pk in recent]
            if records:
                choices.append((spec.label, [(f"{spec.kind}:{pk}", label) for pk, label in records]))
        self.fields["report"].widget.choices = choices

    def clean(self):
        cleaned = super().clean()
        kind, _, subject = cleaned.get("report", "").partition(":")
        if report_kind(kind) is None:
            raise forms.ValidationError({"report": gettext("Choose one of the listed reports.")})
        cleaned["kind"], cleaned["subject_id"] = kind, int(subject) if subject.isdigit() else None
        return cleaned


class ScheduleForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = ["enabled", "day_of_month"]
        labels = {
            "enabled": _("E-mail the management report every month"),
            "day_of_month": _("Day of the month"),
        }
        help_texts = {"day_of_month": _("1 to 28; the report goes to the project's viewers and leads.")}


class DigestForm(HelperMixin, forms.Form):
    digest_enabled = forms.BooleanField(label=_("Send me a daily reminder digest"), required=False)
