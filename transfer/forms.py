from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.models import Role


class ImportForm(forms.Form):
    archive = forms.FileField(
        label=gettext_lazy("Project archive (.zip)"),
        help_text=gettext_lazy(
            "A file downloaded from “Export project” in this or another SMS Tracker installation."
        ),
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        limit = settings.PROJECT_ARCHIVE_MAX_BYTES
        if not (upload.name or "").lower().endswith(".zip"):
            raise ValidationError(_("Choose the .zip file of an exported project."), code="file_type")
        if upload.size > limit:
            raise ValidationError(
                _("The archive is %(size).0f MB; the limit is %(limit).0f MB.")
                % {"size": upload.size / 1048576, "limit": limit / 1048576},
                code="file_size",
            )
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise ValidationError(_("The file is not a zip archive."), code="file_content")
        return upload


class InviteForm(forms.Form):
    """Whom of the archive's people to invite, each with a role; nobody is chosen in advance."""

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = [p for p in people if not p.is_importer and p.email and p.invitation_id is None]
        for person in self.people:
            self.fields[f"invite_{person.pk}"] = forms.BooleanField(
                required=False, label=_("Invite %(name)s") % {"name": person.name}
            )
            self.fields[f"role_{person.pk}"] = forms.ChoiceField(
                choices=Role.choices,
                initial=person.archive_role or Role.VIEWER,
                label=_("Role of %(name)s") % {"name": person.name},
            )

    def rows(self):
        return [(p, self[f"invite_{p.pk}"], self[f"role_{p.pk}"]) for p in self.people]

    def clean(self):
        cleaned = super().clean()
        if not self.choices():
            raise ValidationError(_("Choose at least one person to invite."), code="none_chosen")
        return cleaned

    def choices(self) -> dict[int, str]:
        data = getattr(self, "cleaned_data", {})
        return {
            p.pk: data[f"role_{p.pk}"]
            for p in self.people
            if data.get(f"invite_{p.pk}") and data.get(f"role_{p.pk}")
        }
