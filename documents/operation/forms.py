from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.forms import DateInput, HelperMixin, VersionedFormMixin
from projects.models import Membership

from ..models import DocumentVersion, EvidenceEntry, OperatingProcess, VersionStatus
from .processes import record_kind_choices


class ProcessForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = OperatingProcess
        fields = ["started_on", "owner", "notes"]
        widgets = {
            "started_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "started_on": _("The day the process began to run as documented and leave records."),
            "owner": _("Answers for its records; the only one who may state that nothing occurred."),
            "notes": _("Optional: where its records live, who runs it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].required = True
        self.fields["owner"].label = gettext("Process owner")
        self.fields["owner"].queryset = self.fields["owner"].queryset.filter(
            pk__in=Membership.objects.filter(project_id=self.instance.project_id).values("user_id")
        )
        self.fields["notes"].max_length = 2000
        if not self.is_bound:
            self.initial["version"] = self.instance.version  # 1 for a process without a row yet


class EntryForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    document_version = forms.ModelChoiceField(
        queryset=DocumentVersion.objects.none(),
        required=False,
        label=_("A version in the register"),
        empty_label=_("— none —"),
    )
    file = forms.FileField(
        required=False,
        label=_("Or a file"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text, Markdown, PNG or JPEG."),
    )
    link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Or a link"),
        help_text=_("A report in the ticketing tool, a dashboard, a shared folder."),
    )

    class Meta:
        model = EvidenceEntry
        fields = ["on", "summary", "record_code", "none_occurred", "period_start"]
        widgets = {"on": DateInput(), "period_start": DateInput()}
        labels = {"none_occurred": _("Nothing occurred in this period (process owner's statement)")}
        help_texts = {
            "on": _(
                "The day the evidence is about, or the last day of the period. Date it when it happened: "
                "an entry dated before the process started, or more than 31 days before today, is flagged "
                "and counts only if the lead accepts it."
            ),
            "summary": _('For example "November: 42 incidents handled, 3 major incident reviews".'),
            "period_start": _("For a “nothing occurred” statement: the first day of the period it covers."),
        }

    def __init__(self, *args, project, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = (
            record_kind_choices(process) if process else [("", gettext("General evidence of the process"))]
        )
        if len(choices) > 1:
            self.fields["record_code"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=gettext("Kind of record"),
                help_text=gettext(
                    "A complaint, dispute or security incident counts only when recorded as such."
                ),
            )
        else:
            del self.fields["record_code"]
        if process is None or process.kind != "event" and len(choices) == 1:
            del self.fields["none_occurred"]
            del self.fields["period_start"]
        versions = (
            DocumentVersion.objects.filter(document__project=project)
            .exclude(status=VersionStatus.WITHDRAWN)
            .select_related("document")
            .order_by("document__code", "-number")
        )
        field = self.fields["document_version"]
        field.queryset = versions
        field.label_from_instance = lambda v: f"{v.document.code} {v.document.display_title} · v{v.number}"
        if self.instance.pk:
            self.initial.setdefault("document_version", self.instance.document_version_id)
            self.initial.setdefault("link", self.instance.link)
            if self.instance.file:
                self.fields["file"].help_text = (
                    gettext("Now: %(original_name)s. Leave empty to keep it. ")
                    % {"original_name": self.instance.original_name}
                    + self.fields["file"].help_text
                )
        else:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        given = [bool(cleaned.get(name)) for name in ("document_version", "file", "link")]
        if cleaned.get("none_occurred"):
            if any(given):
                raise forms.ValidationError(
                    gettext("A “nothing occurred” statement has no evidence attached.")
                )
            if not cleaned.get("period_start"):
                self.add_error(
                    "period_start", gettext("Give the first day of the period in which nothing occurred.")
                )
            return cleaned
        keeps_file = bool(self.instance.pk and self.instance.file) and not any(given)
        if sum(given) > 1 or (not any(given) and not keeps_file):
            raise forms.ValidationError(
                gettext("Give one source of evidence: a register version, a file or a link.")
            )
        return cleaned


class AcceptEntryForm(HelperMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Why this backdated entry may count, e.g. where the original record is kept."),
    )
