"""Hostile input to every POST endpoint (forms and HTMX), built from the form's own fields.

The endpoints and the objects they act on come from the URL × role permission matrix
(tests/permissions): every POST case is sent, as a member whose role may act, a table of payloads
made from its fields (those of its valid payload plus the inputs of the page's own form): empty,
NUL bytes, 10,000 characters, CR/LF, U+202E, emoji, extreme and impossible dates, huge and negative
integers, ids from another project. URL patterns with no POST case get the field-less payloads, so a
new URL is fuzzed as soon as the matrix has it (and the matrix fails without it). Nothing may answer
5xx, and afterwards every project page must still render what was stored.
"""

import re
from collections import defaultdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import Client

from projects.models import Role
from tests.factories import UserFactory, make_project, make_task
from tests.permissions.matrix import MEMBERS
from tests.permissions.test_matrix import CASES, _url_names

HOSTILE = {
    "empty": "",
    "nul": "a\x00b",
    "long": "x" * 10_000,
    "crlf": "line one\r\nBcc: victim@example.test",
    "rtl-emoji": "\u202egnp.exe 👩🏽‍💻🚀",
    "first-day": "0001-01-01",
    "last-day": "9999-12-31",
    "feb-30": "2026-02-30",
    "huge-int": "99999999999999999999999",
    "negative": "-1",
    "other-project": None,  # filled per field: the id of a record of another project
}
# Every field at once gets these (a date field gets text, a text field a date, ...).
ALL_AT_ONCE = ("empty", "nul", "long", "rtl-emoji", "huge-int", "other-project")
DESTRUCTIVE = re.compile(r"delete|remove|finalise|logout")
INPUT_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
VERSION_INPUT = re.compile(r"<input[^>]*name=\"version\"[^>]*value=\"(\d+)\"")  # as Django renders it
NOT_A_FIELD = {"csrfmiddlewaretoken"}


def _group_of(case) -> str:
    return case.name.split(":")[0] if ":" in case.name else "core"


def _acting_role(case):
    """The member role the case lets act (lead first); None when no member may."""
    allowed = [role for role in ("lead", *MEMBERS) if case.expect.get(role, 500) < 400]
    return allowed[0] if allowed else None


# Cases no member may act on (an invitation only its invitee answers) are sent as the lead: the
# refusal path gets the payloads.
# The API's PATCH cases (JSON) get the same payloads.
POST_CASES = [case for case in CASES if case.method in ("post", "patch")]
POST_NAMES = {case.name for case in CASES if case.method in ("post", "patch")}
# URL patterns without a POST case: fuzzed with field-less payloads (most answer 405).
GET_ONLY_CASES = {}
for _case in CASES:
    if _case.method == "get" and _case.name not in POST_NAMES and not _case.name.startswith("admin"):
        GET_ONLY_CASES.setdefault(_case.name, _case)
GROUPS = sorted({_group_of(case) for case in [*POST_CASES, *GET_ONLY_CASES.values()]})
PAGES = [case for case in CASES if case.method == "get" and not case.name.startswith("admin")]


class Other:
    """Another project the acting user is not in, with records whose ids the payloads borrow."""

    def __init__(self):
        stranger = UserFactory(username="stranger")
        self.project = make_project(lead=stranger, name="Someone else's project")
        self.user = stranger
        self.phase = self.project.phases.get(key="5")
        self.task = make_task(self.project, title="Their task", assignee=stranger)

    def id_for(self, field: str) -> str:
        if field in ("phase", "phase_id"):
            return str(self.phase.pk)
        if field in ("task", "task_id"):
            return str(self.task.pk)
        if re.search(r"owner|assignee|auditor|approver|attendees|team|user|member|identifier", field):
            return str(self.user.pk)
        return str(self.project.pk)


def _form_fields(client, case, world, url) -> set:
    """Input names of the forms on the page a GET of the same URL shows (when there is one)."""
    get_case = next((c for c in CASES if c.name == case.name and c.method == "get"), None)
    if get_case is None:
        return set()
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    return set(INPUT_NAME.findall(response.content.decode())) - NOT_A_FIELD


def _saved_version(client, url, sent) -> str:
    """The version the edit page now shows; one more than the one sent when there is no such page."""
    response = client.get(url)
    found = VERSION_INPUT.search(response.content.decode()) if response.status_code == 200 else None
    return found.group(1) if found else str(int(sent) + 1)


BY_KIND = {  # what each kind of field gets alone (the rest of the payload valid)
    "date": ("first-day", "last-day", "feb-30"),
    "number": ("huge-int", "negative", "other-project"),
    "text": ("nul", "long", "crlf", "rtl-emoji"),
}
DATE_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}$")


def _kind(field: str, valid: dict) -> str:
    value = str(valid.get(field, ""))
    if DATE_VALUE.match(value) or field.endswith(("date", "_start", "_end", "_at")):
        return "date"
    if value.lstrip("-").isdigit() or field in ("version", "phase", "assignee", "owner", "approver"):
        return "number"
    return "text"


def _payloads(valid: dict, fields: list, other: Other):
    """(label, data): nothing; every field hostile at once; then each field alone with the hostile
    values of its kind (dates, numbers and ids, text) while the rest stays valid, which is what gets
    through the form to the services."""
    yield "no fields", {}
    for label in ALL_AT_ONCE:
        value = HOSTILE[label]
        yield (
            f"all={label}",
            {f: (other.id_for(f) if value is None else value) for f in fields}
            | ({} if fields else {"field": value or "1"}),
        )
    for field in fields:
        for label in BY_KIND[_kind(field, valid)]:
            value = HOSTILE[label]
            yield f"{field}={label}", {**valid, field: other.id_for(field) if value is None else value}


# Pages that take no POST data get these (most answer 405 Method Not Allowed).
FIELDLESS = [
    ("no fields", {}),
    ("junk", {"field": HOSTILE["nul"], "id": HOSTILE["huge-int"], "text": HOSTILE["long"] + "\u202e"}),
]


def _clients(world):
    clients = {}
    for role in MEMBERS:
        client = Client(raise_request_exception=False)
        client.force_login(world.user(role))
        clients[role] = client
    return clients


def _send(client, case, url, data):
    if case.method == "patch":
        return client.patch(url, data, content_type="application/json")
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    return client.post(url, data, **headers)


COUNTS = defaultdict(int)


def _copy_file(upload: UploadedFile) -> SimpleUploadedFile:
    upload.seek(0)
    return SimpleUploadedFile(upload.name, upload.read(), upload.content_type)


def _fresh(data: dict) -> dict:
    """The payload with uploaded files that can be read once more."""
    return {key: _copy_file(v) if isinstance(v, UploadedFile) else v for key, v in data.items()}


@pytest.mark.parametrize("group", GROUPS)
def test_no_post_payload_gives_a_server_error(world, group):
    other = Other()
    clients = _clients(world)
    failures = []
    cases = [c for c in POST_CASES if _group_of(c) == group]
    cases.sort(key=lambda c: bool(DESTRUCTIVE.search(c.name)))  # what removes things goes last
    # Build every case's URL and valid payload before any payload changes the world.
    pages, plans = _page_urls(world), []
    for case in cases:
        role = _acting_role(case) or "lead"
        url = case.url(world)
        valid = case.data(world) if case.data else {}
        fields = sorted((set(valid) | _form_fields(clients[role], case, world, url)) - NOT_A_FIELD)
        plans.append((case, role, url, valid, fields))
    for case, role, url, valid, fields in plans:
        COUNTS["endpoints"] += 1
        for label, data in _payloads(valid, fields, other):
            response = _send(clients[role], case, url, _fresh(data))
            COUNTS["payloads"] += 1
            if response.status_code >= 500:
                failures.append(f"{case.id} as {role} with {label}: {response.status_code}")
            elif response.status_code < 400 and "version" in valid:
                # Saved: later payloads carry the new version, or they would only meet the conflict.
                valid = {**valid, "version": _saved_version(clients[role], url, valid["version"])}
    for name, case in GET_ONLY_CASES.items():
        if _group_of(case) != group:
            continue
        role = _acting_role(case) or "lead"
        COUNTS["endpoints"] += 1
        for label, data in FIELDLESS:
            COUNTS["payloads"] += 1
            if _send(clients[role], case, case.url(world), data).status_code >= 500:
                failures.append(f"{name} (POST) as {role} with {label}: 500")
    failures += _pages_with_server_errors(pages, _clients(world))  # signed in again after a logout
    print(f"\nfuzz {group}: {COUNTS['endpoints']} endpoints, {COUNTS['payloads']} payloads so far")
    assert not failures, "\n".join(failures)


def _page_urls(world):
    """The lead's pages, built before the payloads change the world (a removed record: 404)."""
    return [(case, case.url(world)) for case in PAGES if case.expect.get("lead") == 200]


def _pages_with_server_errors(pages, clients):
    """GET every page as the lead (who sees most): what the payloads stored must not break one."""
    failures = []
    for case, url in pages:
        response = clients["lead"].get(url, **({"HTTP_HX_REQUEST": "true"} if case.htmx else {}))
        if response.status_code >= 500:
            failures.append(f"after fuzzing, GET {case.id} {url}: {response.status_code}")
    return failures


def test_every_url_pattern_is_fuzzed():
    """A URL the matrix knows is fuzzed automatically; this guards the selection above."""
    fuzzed = {case.name for case in POST_CASES} | set(GET_ONLY_CASES)
    names = {name for name in _url_names() if not name.startswith("admin:")}
    assert not names - fuzzed, f"URL patterns the fuzz test does not reach: {sorted(names - fuzzed)}"
    assert len(POST_CASES) >= 40


def test_other_project_is_not_the_worlds(world):
    other = Other()
    assert not other.project.memberships.filter(user=world.user("lead")).exists()
    assert other.project.memberships.get(user=other.user).role == Role.LEAD
