from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError


class ImportForm(forms.Form):
    archive = forms.FileField(
        label="Project archive (.zip)",
        help_text="A file downloaded from “Export project” in this or another SMS Tracker installation.",
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        limit = settings.PROJECT_ARCHIVE_MAX_BYTES
        if not (upload.name or "").lower().endswith(".zip"):
            raise ValidationError("Choose the .zip file of an exported project.", code="file_type")
        if upload.size > limit:
            raise ValidationError(
                f"The archive is {upload.size / 1048576:.0f} MB; the limit is {limit / 1048576:.0f} MB.",
                code="file_size",
            )
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise ValidationError("The file is not a zip archive.", code="file_content")
        return upload
