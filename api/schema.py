"""OpenAPI extensions (imported in ApiConfig.ready): the bearer token as a security scheme, and an
AutoSchema that documents what every operation really answers besides its success:

- the errors, each an RFC 9457 problem document (`Problem`, application/problem+json): 401, 403,
  404, 406, 429 and 503 everywhere (and the web server's 414 for an overlong URL); 400, 415 and 422
  where a body is read; 422 where list filters or pages are; 409 (and 400/422 for the key) where
  `Idempotency-Key` is honoured; 409 and 412 where a version is checked;
- the `Idempotency-Key` request header on the POSTs that honour it (api/idempotency.py);
- `ETag` on the GET of a record that carries a version, and `If-Match` on its PATCH and DELETE
  (api/etags.py).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .etags import IF_MATCH_PATTERN
from .idempotency import MAX_KEY_LENGTH
from .problems import PROBLEM_CONTENT_TYPE, TITLES


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.tokens.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (smst_…) from your account page.",
        }


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details)."""

    type = serializers.CharField(help_text="A stable identifier of the kind of problem.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    instance = serializers.CharField(required=False, help_text="The path that was requested.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Validation errors (422): the messages per field; `non_field_errors` for the rest.",
    )
    current = serializers.DictField(
        required=False, help_text="409/412: the record as it is now, to merge your change into."
    )

    class Meta:
        ref_name = "Problem"


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (1–255 characters, e.g. a UUID). A retry with the same key and body "
    "gets the first answer (`Idempotent-Replayed: true`) instead of acting twice; the same key "
    "with another body gets 422, while the first request still runs 409. Kept for 24 hours.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": IF_MATCH_PATTERN},
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read (e.g. `"3"`): if the record changed since (or the value names no '
    "entity tag of it), 412 with the current record and nothing changed. On PATCH it may replace `version`.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description='The record\'s version as an entity tag (e.g. `"3"`), for If-Match.',
)
DESCRIPTIONS = {
    400: "Malformed request (unreadable body or header).",
    401: "No valid token or session.",
    403: "Your role, the token's scope or the project's two-factor requirement does not allow this.",
    404: "No such project (or you are not a member), record or page.",
    406: "The Accept header asks for a format the API does not produce (JSON).",
    409: "Conflict: a stale `version`, or the same Idempotency-Key still in progress.",
    412: "If-Match does not match the record's current ETag.",
    415: "Unsupported request content type.",
    422: "Validation failed: see `errors`.",
    429: "Too many requests: see Retry-After.",
    503: "A service the API needs is down: retry after Retry-After.",
}
WRITE_METHODS = ("POST", "PUT", "PATCH")
# Answered by gunicorn (or the proxy) before the request reaches Django, as a short HTML page.
URI_TOO_LONG = {
    "description": "The URL is longer than the server accepts (answered by the web server, before the API).",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def _fields(serializer) -> set:
    try:
        instance = serializer() if isinstance(serializer, type) else serializer
        return set(getattr(instance, "fields", {}))
    except TypeError:
        return set()


class ApiAutoSchema(AutoSchema):
    def _handler(self):
        return getattr(self.view, self.method.lower(), None)

    def _carries_version(self) -> bool:
        serializer_class = getattr(self.view, "serializer_class", None)
        return serializer_class is not None and "version" in _fields(serializer_class)

    def _is_idempotent(self) -> bool:
        return bool(getattr(self._handler(), "idempotent", False))

    def _takes_if_match(self) -> bool:
        return self.method in ("PATCH", "PUT", "DELETE") and self._carries_version()

    def _has_etag(self) -> bool:
        """GET of a record with a version, and the PATCH that answers its new state."""
        if self.method == "PATCH":
            return self._carries_version()
        return self.method == "GET" and self._carries_version() and not self._is_list_view()

    def _is_paginated(self) -> bool:
        return self._is_list_view() and self._get_paginator() is not None

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_idempotent():
            parameters.append(IDEMPOTENCY_KEY)
        if self._takes_if_match():
            parameters.append(IF_MATCH)
        if self._has_etag():
            parameters.append(ETAG)
        return parameters

    def error_statuses(self) -> set[int]:
        statuses = {401, 403, 404, 406, 429, 503}
        if self.method in WRITE_METHODS:
            statuses |= {400, 415, 422}
        if self.method == "GET" and (
            getattr(self.view, "filterset_class", None)
            or self._is_paginated()
            or getattr(self.view, "validates_query", False)  # e.g. readiness's ?stage=1|2
        ):
            statuses.add(422)  # a filter, page or query parameter outside the schema
        if self._is_idempotent():
            statuses |= {400, 409, 422}
        if self._takes_if_match():
            statuses |= {400, 409, 412}
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses.setdefault("414", URI_TOO_LONG)
        for status in sorted(self.error_statuses()):
            if str(status) in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, str(status), media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
            response["description"] = DESCRIPTIONS.get(status, str(TITLES.get(status, "Error")))
            responses[str(status)] = response
        return responses
