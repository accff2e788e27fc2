from django import forms

from projects.forms import DateInput, HelperMixin, VersionedFormMixin

from ..models import DocumentVersion, EvidenceEntry, OperatingProcess, VersionStatus


class ProcessForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = OperatingProcess
        fields = ["started_on", "notes"]
        widgets = {
            "started_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "started_on": "The day the process began to run as documented and leave records.",
            "notes": "Optional: where its records live, who runs it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].required = True
        self.fields["notes"].max_length = 2000
        if not self.is_bound:
            self.initial["version"] = self.instance.version  # 1 for a process without a row yet


class EntryForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    document_version = forms.ModelChoiceField(
        queryset=DocumentVersion.objects.none(),
        required=False,
        label="A version in the register",
        empty_label="— none —",
    )
    file = forms.FileField(
        required=False,
        label="Or a file",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, text, Markdown, PNG or JPEG.",
    )
    link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Or a link",
        help_text="A report in the ticketing tool, a dashboard, a shared folder.",
    )

    class Meta:
        model = EvidenceEntry
        fields = ["on", "summary"]
        widgets = {"on": DateInput()}
        help_texts = {"summary": 'For example "November: 42 incidents handled, 3 major incident reviews".'}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        versions = (
            DocumentVersion.objects.filter(document__project=project)
            .exclude(status=VersionStatus.WITHDRAWN)
            .select_related("document")
            .order_by("document__code", "-number")
        )
        field = self.fields["document_version"]
        field.queryset = versions
        field.label_from_instance = lambda v: f"{v.document.code} {v.document.title} · v{v.number}"
        if self.instance.pk:
            self.initial.setdefault("document_version", self.instance.document_version_id)
            self.initial.setdefault("link", self.instance.link)
            if self.instance.file:
                self.fields["file"].help_text = (
                    f"Now: {self.instance.original_name}. Leave empty to keep it. "
                    + self.fields["file"].help_text
                )
        else:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        given = [bool(cleaned.get(name)) for name in ("document_version", "file", "link")]
        keeps_file = bool(self.instance.pk and self.instance.file) and not any(given)
        if sum(given) > 1 or (not any(given) and not keeps_file):
            raise forms.ValidationError("Give one source of evidence: a register version, a file or a link.")
        return cleaned
