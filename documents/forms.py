from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.forms import HelperMixin, VersionedFormMixin

from .models import Document, DocumentStatus, DocumentType, ReviewOutcome


def _member_field(field, project, *, empty_label="—"):
    field.queryset = field.queryset.filter(memberships__project=project).order_by("username")
    field.label_from_instance = lambda u: u.get_full_name() or u.username
    field.empty_label = empty_label


class DocumentForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "code",
            "title",
            "doc_type",
            "clauses",
            "owner",
            "approver",
            "confidentiality",
            "review_interval_months",
        ]
        help_texts = {
            "approver": _("Approves each new version; any member, but never the author of that version."),
        }

    def __init__(self, *args, project, may_change_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        _member_field(self.fields["owner"], project, empty_label=gettext("— nobody yet —"))
        _member_field(self.fields["approver"], project, empty_label=gettext("— nobody yet —"))
        self.fields["review_interval_months"].widget.attrs.update(min=1, max=60)
        if not self.instance.pk:
            del self.fields["version"]
        if not may_change_owner:
            self.fields["owner"].disabled = True
            self.fields["owner"].help_text = gettext("Only the lead changes the owner.")
        if self.instance.pk and self.instance.is_mandatory:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = gettext("A mandatory item keeps its code.")

    def clean_review_interval_months(self):
        value = self.cleaned_data["review_interval_months"]
        if not 1 <= value <= 60:
            raise forms.ValidationError(gettext("Choose between 1 and 60 months."))
        return value


class ApproverForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    """Name another approver from the document page, before asking for review. The author of the
    version waiting to be sent is left out of the choices: they may not approve it."""

    class Meta:
        model = Document
        fields = ["approver"]
        labels = {"approver": _("New approver")}

    def __init__(self, *args, project, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["approver"]
        _member_field(field, project, empty_label=gettext("— choose a member —"))
        field.required = True
        if author is not None:
            field.queryset = field.queryset.exclude(pk=author.pk)


class VersionForm(HelperMixin, forms.Form):
    file = forms.FileField(
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text, Markdown, PNG or JPEG."),
    )
    link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Or a link to where the document lives (intranet, document management system)."),
    )
    change_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("link")):
            raise forms.ValidationError(gettext("Attach a file or give a link (one of the two)."))
        return cleaned


class ReturnForm(HelperMixin, forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ApproveForm(HelperMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReviewForm(HelperMixin, forms.Form):
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


REVIEW_FILTERS = [("", _("Any")), ("due", _("Due within 30 days or overdue")), ("overdue", _("Overdue"))]


class RegisterFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", _("Any status")), *DocumentStatus.choices])
    doc_type = forms.ChoiceField(
        required=False, label=_("Type"), choices=[("", _("Any type")), *DocumentType.choices]
    )
    clause = forms.ChoiceField(required=False, choices=[("", _("Any clause"))])
    owner = forms.ModelChoiceField(required=False, queryset=None)
    review = forms.ChoiceField(required=False, choices=REVIEW_FILTERS)
    mandatory = forms.BooleanField(required=False, label=_("Mandatory only"))

    def __init__(self, *args, project, clauses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.all()
        _member_field(self.fields["owner"], project, empty_label=gettext("Any owner"))
        self.fields["clause"].choices = [("", gettext("Any clause")), *((c, c) for c in clauses)]

    def filters(self) -> dict:
        """The valid filters; a bad value (an unknown owner, a stale choice) is ignored, not an error."""
        self.is_valid()
        data = dict(self.cleaned_data)
        data["owner"] = data["owner"].pk if data.get("owner") else None
        return data
