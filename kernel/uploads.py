"""Uploaded files: an allowlist checked against the content, a size limit, safe names, and
serving only as attachments (never rendered inline by the browser).

Views call `validate_upload(file)` before anything is stored, and serve stored files through
`attachment_response(...)` after their own permission check.
"""

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import extensions

# extension -> (MIME type, how the content is recognised)
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "md": "text/markdown",
}
TEXT_EXTENSIONS = {"txt", "md"}
ZIP_EXTENSIONS = {"docx", "xlsx", "pptx", "odt", "ods"}  # Office and OpenDocument files are zip archives
ALLOWED_LABEL = gettext_lazy(
    "PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), OpenDocument (odt, ods), text, Markdown, PNG or JPEG"
)
MARKUP_SIGNATURE = re.compile(rb"^\s*<(!doctype|html|script|svg|\?xml|body|head|iframe)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # sanitised file name
    content_type: str
    size: int


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """ASCII letters, digits, dot, dash and underscore only; no path parts; a bounded length."""
    name = os.path.basename(name.replace("\\", "/"))
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-_") or "file"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[: max_length - len(ext) - 1] or "file"
    return f"{stem}.{ext.lower()}" if ext else stem


def _content_matches(extension: str, head: bytes) -> bool:
    if extension in TEXT_EXTENSIONS:
        if b"\x00" in head or MARKUP_SIGNATURE.match(head):
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start < len(head) - 3:
                return False
        return True
    kind = filetype.guess(head)
    if kind is None:
        return False
    expected = "jpg" if extension == "jpeg" else extension
    return kind.extension == expected


def validate_upload(upload) -> CheckedUpload:
    """Raise ValidationError with a message for the user unless the upload is acceptable."""
    name = safe_filename(upload.name or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(allowed)s.") % {"allowed": ALLOWED_LABEL},
            code="file_type",
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not _content_matches(extension, head):
        raise ValidationError(
            _("The file's content is not a real .%(extension)s file. Allowed: %(allowed)s.")
            % {"extension": extension, "allowed": ALLOWED_LABEL},
            code="file_content",
        )
    if extension in ZIP_EXTENSIONS:
        _check_archive(upload, extension, size)
    return CheckedUpload(name=name, content_type=ALLOWED_TYPES[extension], size=size)


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


def _check_archive(upload, extension: str, size: int) -> None:
    """Refuse an archive that would inflate far beyond its size (a zip bomb) or cannot be read.

    Only the central directory is read; nothing is unpacked. The declared sizes are what any
    reader (zipfile, Office) unpacks at most, so bounding them bounds the work a download causes.
    """
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            _("The file's content is not a real .%(extension)s file (it cannot be opened).")
            % {"extension": extension},
            code="file_content",
        ) from error
    finally:
        upload.seek(0)
    if len(members) > settings.UPLOAD_ZIP_MAX_ENTRIES:
        raise ValidationError(
            _("The .%(extension)s file holds %(parts)d parts; at most %(limit)d are accepted.")
            % {"extension": extension, "parts": len(members), "limit": settings.UPLOAD_ZIP_MAX_ENTRIES},
            code="file_archive",
        )
    unpacked = sum(member.file_size for member in members)
    limit = min(settings.UPLOAD_ZIP_MAX_UNPACKED_BYTES, size * settings.UPLOAD_ZIP_MAX_RATIO)
    if unpacked > limit:
        raise ValidationError(
            _(
                "The .%(extension)s file unpacks to %(unpacked)s from %(size)s; at most "
                "%(limit)s is accepted for a file of this size."
            )
            % {
                "extension": extension,
                "unpacked": _megabytes(unpacked),
                "size": _megabytes(size),
                "limit": _megabytes(limit),
            },
            code="file_archive",
        )


def check_project_quota(*, project, adding: int) -> None:
    """Refuse an upload that would take the project over UPLOAD_PROJECT_QUOTA_BYTES (0: no quota).

    Call inside the transaction that stores the file: the project row is locked so two uploads
    at the same moment cannot both fit into the last free space.
    """
    quota = settings.UPLOAD_PROJECT_QUOTA_BYTES
    if not quota:
        return
    type(project).objects.select_for_update().filter(pk=project.pk).first()
    used = sum(usage(project) for usage in extensions.upload_usage())  # what each app stores
    if used + adding > quota:
        raise ValidationError(
            _(
                "This project's storage is full: %(used)s of %(quota)s used, and the "
                "file is %(adding)s. Remove old files or ask the administrator for more space."
            )
            % {"used": _megabytes(used), "quota": _megabytes(quota), "adding": _megabytes(adding)},
            code="quota",
        )


def attachment_response(file_field, *, filename: str, content_type: str | None = None) -> FileResponse:
    """Serve a stored file as a download. Call only after the view's permission check."""
    extension = filename.rpartition(".")[2].lower()
    response = FileResponse(
        file_field.open("rb"),
        as_attachment=True,
        filename=safe_filename(filename),
        content_type=content_type or ALLOWED_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
