"""Forms of the work on tasks: comments, attachments and the lead's bulk changes."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.uploads import ALLOWED_LABEL

from .bulk import BulkAction, BulkChange
from .forms import DateInput, HelperMixin, VersionedFormMixin
from .models import COMMENT_MAX_LENGTH, TaskComment

MAX_ID = 2**31 - 1  # the largest id the tables hold; anything beyond is not an id


class CommentForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = TaskComment
        fields = ["body"]
        labels = {"body": gettext_lazy("Comment")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH})}
        help_texts = {"body": gettext_lazy("Write @username to notify a member of the project by e-mail.")}
        error_messages = {"body": {"required": gettext_lazy("Write something first.")}}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something first."))
        return body


class CommentEditForm(VersionedFormMixin, CommentForm):
    pass


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Attach a file"), help_text=format_lazy("{}.", ALLOWED_LABEL))


def parse_ids(values) -> list[int] | None:
    """The task ids of a request, or None when any of them is not an id at all."""
    ids = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            return None
        if not 0 < number <= MAX_ID:
            return None
        ids.append(number)
    return ids


class BulkTaskForm(HelperMixin, forms.Form):
    """What to do with the selected tasks: one action and its value."""

    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=BulkAction.choices)
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assignee"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("Nobody (unassign)"),
    )
    phase = forms.ModelChoiceField(
        label=gettext_lazy("Phase"), queryset=None, required=False, empty_label=gettext_lazy("Choose a phase")
    )
    due_date = forms.DateField(label=gettext_lazy("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, project, members, **kwargs):
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        for name in ("assignee", "phase"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["due_date"].widget.attrs["class"] = "form-control"
        self.fields["assignee"].queryset = members
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["phase"].queryset = project.phases.order_by("order")
        self.fields["phase"].label_from_instance = lambda p: f"{p.label} {p.display_title}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == BulkAction.MOVE and not cleaned.get("phase"):
            self.add_error("phase", _("Choose the phase to move the tasks to."))
        return cleaned

    def change(self) -> BulkChange:
        data = self.cleaned_data
        return BulkChange(
            action=data["action"],
            assignee=data.get("assignee"),
            phase=data.get("phase"),
            due_date=data.get("due_date"),
        )
