"""Uploaded files: an allowlist checked against the content, a size limit, safe names, and
serving only as attachments (never rendered inline by the browser).

Views call `validate_upload(file)` before anything is stored, and serve stored files through
`attachment_response(...)` after their own permission check.
"""

import os
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse

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
ALLOWED_LABEL = (
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
            f"Files of this type are not accepted. Allowed: {ALLOWED_LABEL}.", code="file_type"
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The file is empty.", code="file_empty")
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"The file is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.", code="file_size"
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not _content_matches(extension, head):
        raise ValidationError(
            f"The file's content is not a real .{extension} file. Allowed: {ALLOWED_LABEL}.",
            code="file_content",
        )
    return CheckedUpload(name=name, content_type=ALLOWED_TYPES[extension], size=size)


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
