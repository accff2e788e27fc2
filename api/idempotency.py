"""`Idempotency-Key` on POST: a retried request gets the first answer instead of doing it twice.

The key is stored per user and route with a hash of the request (method, path, body — uploaded
files by content). Following the IETF draft "The Idempotency-Key HTTP Header Field":
- the same key and the same request replay the stored response (`Idempotent-Replayed: true`);
- the same key with a different request is refused with 422;
- the same key while the first request is still running is refused with 409;
- a key older than API_IDEMPOTENCY_TTL_HOURS is forgotten (and purged hourly);
- 5xx answers are not stored, so the client may retry them;
- access comes first: the view's `authorize` (membership, role, token scope, the project's MFA
  requirement) runs before the key is looked up, so a stored answer is never replayed to someone
  who may no longer make the request (a removed member, a read-only token, a member without MFA).
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .models import IdempotencyRecord
from .problems import PROBLEM_CONTENT_TYPE, problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def request_hash(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    items = sorted(data.lists()) if hasattr(data, "lists") else None
    if items is None:
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
        return digest.hexdigest()
    for key, values in items:
        for value in values:
            if isinstance(value, UploadedFile):
                value.seek(0)
                file_digest = hashlib.sha256()
                for chunk in value.chunks():
                    file_digest.update(chunk)
                value.seek(0)
                value = f"file:{value.name}:{file_digest.hexdigest()}"
            digest.update(json.dumps([key, str(value)]).encode())
    return digest.hexdigest()


def _expired_before():
    return timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)


def purge_expired() -> int:
    """Delete the stored answers older than the TTL (the periodic `api-idempotency-purge`)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=_expired_before()).delete()
    return deleted


def _claim(request, key: str, fingerprint: str):
    """(record, None) when this request is first; (None, response) when the key was seen."""
    route = request.path[:300]
    IdempotencyRecord.objects.filter(
        user=request.user, key=key, route=route, created_at__lt=_expired_before()
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=request.user, key=key, route=route, request_hash=fingerprint
            )
        return record, None
    except IntegrityError:
        existing = IdempotencyRecord.objects.filter(user=request.user, key=key, route=route).first()
    if existing is None:  # removed in between (expired or failed): treat as a conflict, retry later
        return None, problem(409, _("A request with this Idempotency-Key is in progress."), request=request)
    if existing.request_hash != fingerprint:
        return None, problem(
            422,
            _("This Idempotency-Key was used for a different request. Use a new key for a new request."),
            code="idempotency-key-reused",
            request=request,
        )
    if existing.response_status is None:
        return None, problem(
            409,
            _("A request with this Idempotency-Key is still being processed. Retry in a moment."),
            code="idempotency-in-progress",
            request=request,
        )
    replay = Response(
        existing.response_body,
        status=existing.response_status,
        content_type=existing.response_content_type or None,
    )
    replay["Idempotent-Replayed"] = "true"
    return None, replay


def idempotent(handler):
    """Decorate a class-based API view's `post`; the view defines `authorize(request, **kwargs)`,
    which raises 404/403 (Http404, PermissionDenied) for a caller who may not make the request."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        view.authorize(request, *args, **kwargs)  # before any replay (issue 19 defect 8)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            message = _("The %(header)s header must be 1–%(max)s characters.") % {
                "header": HEADER,
                "max": MAX_KEY_LENGTH,
            }
            return problem(400, message, request=request)
        record, seen = _claim(request, key, request_hash(request))
        if seen is not None:
            return seen
        try:
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - turned into its response, or re-raised below
                response = view.handle_exception(exc)
        except Exception:
            record.delete()
            raise
        if response.status_code >= 500:
            record.delete()
            return response
        content_type = PROBLEM_CONTENT_TYPE if response.status_code >= 400 else ""
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            response_status=response.status_code,
            response_body=getattr(response, "data", None),
            response_content_type=response.content_type or content_type,
        )
        return response

    wrapper.idempotent = True  # the schema documents the header (api/schema.py)
    return wrapper
