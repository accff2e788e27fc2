"""Errors as RFC 9457 problem details (application/problem+json).

DRF's exception handler does the mapping (Http404 -> 404, PermissionDenied -> 403, throttling ->
429 with Retry-After); this turns its body into a problem document. Django ValidationErrors raised
by the services become 422 with the same `errors` shape as serializer errors, and an EditConflict
becomes 409 carrying the current state of the record.
"""

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kernel.concurrency import EditConflict

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://sms-tracker.invalid/problems/"  # stable identifiers, not fetched by clients

TITLES = {
    400: _("Bad request"),
    401: _("Not authenticated"),
    403: _("Forbidden"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    413: _("Payload too large"),
    415: _("Unsupported media type"),
    422: _("Validation failed"),
    428: _("Precondition required"),
    429: _("Too many requests"),
    503: _("Service unavailable"),
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record changed since you read it.")
    default_code = "conflict"

    def __init__(self, detail=None, *, current=None):
        super().__init__(detail)
        self.current = current


class PreconditionFailed(exceptions.APIException):
    """If-Match named another version than the current one: 412 with the current state."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record changed since you read it (If-Match does not match its ETag).")
    default_code = "precondition-failed"

    def __init__(self, detail=None, *, current=None):
        super().__init__(detail)
        self.current = current


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("The request could not be processed.")
    default_code = "unprocessable"


def problem(status_code: int, detail: str, *, code: str = "", request=None, **extra) -> Response:
    body = {
        "type": TYPE_BASE + (code or str(status_code)),
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail or f"{TITLES.get(status_code, _('Error'))}."),
    }
    if request is not None:
        body["instance"] = request.get_full_path()
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def django_errors(error: DjangoValidationError) -> dict:
    """{"field": [messages]} for a service's ValidationError; non-field errors under "non_field_errors"."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [m for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": error.messages}


def _flat(detail) -> str:
    if isinstance(detail, dict):
        return " ".join(
            f"{k}: {_flat(v)}" if k != "non_field_errors" else _flat(v) for k, v in detail.items()
        )
    if isinstance(detail, list):
        return " ".join(_flat(item) for item in detail)
    return str(detail)


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, EditConflict):
        exc = Conflict(str(exc), current=getattr(exc, "current_data", None))
    if isinstance(exc, DjangoValidationError):
        errors = django_errors(exc)
        return problem(422, _flat(errors), code="validation", request=request, errors=errors)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling (and logging) takes over
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        # Input that does not pass the serializer is unprocessable content (RFC 9110), like the forms' 422.
        result = problem(422, _flat(errors), code="validation", request=request, errors=errors)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(exc, "default_code", "") if isinstance(exc, exceptions.APIException) else ""
        extra = {}
        if isinstance(exc, Conflict | PreconditionFailed) and exc.current is not None:
            extra["current"] = exc.current
        result = problem(response.status_code, _flat(detail), code=code, request=request, **extra)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Every /api/v1/ path that matches no route (an unknown path, an id out of range): a problem+json
    404 for any method, where Django would draw its HTML page."""
    body = {
        "type": TYPE_BASE + "404",
        "title": str(TITLES[404]),
        "status": 404,
        "detail": str(_("No such API route.")),
        "instance": request.get_full_path(),
    }
    return HttpResponse(json.dumps(body), status=404, content_type=PROBLEM_CONTENT_TYPE)
