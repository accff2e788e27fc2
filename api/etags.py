"""ETag and If-Match on the records that carry a `version` (optimistic locking, as HTTP clients do it).

- GET of such a record answers `ETag: "<version>"` (a strong tag: the version changes on every save).
- PATCH/DELETE may send `If-Match` with that tag (or `*`): a tag of another version is refused with
  412 and the current record, before anything is changed. Without If-Match nothing changes: the
  body's `version` keeps working (409 when stale), and a PATCH may send If-Match instead of it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .problems import PreconditionFailed

HEADER = "If-Match"
# `*`, or a list of entity tags (RFC 9110 §8.8.3): the schema documents this pattern.
_TAG = r'(W/)?"[!#-~]*"'
IF_MATCH_PATTERN = rf"^(\*|{_TAG}( *, *{_TAG})*)$"


def etag(record) -> str:
    return f'"{record.version}"'


def with_etag(response, record):
    response["ETag"] = etag(record)
    return response


def _tags(header: str) -> list[str]:
    return re.findall(_TAG.replace("(W/)?", "(?:W/)?"), header)


def check_if_match(request, record, *, current=None) -> int | None:
    """Raise 412 unless If-Match names the record's version; the version it named (the current one
    for `*`; None without If-Match). `current` is the body of the 412 (the record as the API shows it)."""
    header = request.headers.get(HEADER)
    if header is None:
        return None
    if header.strip() == "*":
        return record.version
    # A weak tag (W/"3") never matches (If-Match compares strongly); a value that is no list of
    # tags names no version of the record either: both are 412, like a stale tag.
    tags = _tags(header) if re.fullmatch(IF_MATCH_PATTERN, header.strip()) else []
    if etag(record) not in tags:
        raise PreconditionFailed(current=current() if callable(current) else current)
    return record.version


def expected_version(request, record, data: dict, *, current=None) -> int:
    """The version a PATCH expects to change: the body's `version`, else the one If-Match named.
    If-Match is checked first (412); a stale body `version` is the service's 409."""
    matched = check_if_match(request, record, current=current)
    if data.get("version") is not None:
        return data["version"]
    if matched is None:
        raise ValidationError({"version": _("Send the version you read (or its ETag as If-Match).")})
    return matched
