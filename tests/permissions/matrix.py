"""The URL × role permission matrix: shared vocabulary for the per-app case modules.

Every URL pattern of the URLconf must have at least one Case (see test_matrix.py). A case says,
for each role, the status code the request must get:
- anonymous users are sent to the login page (302);
- a non-member (outsider) gets 404 for anything inside a project;
- a member whose role may not act gets 403.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "outsider", "viewer", "auditor", "contributor", "lead")
MEMBERS = ("viewer", "auditor", "contributor", "lead")


@dataclass
class Case:
    name: str  # "namespace:url_name"
    url: Callable  # (world) -> path
    expect: dict
    method: str = "get"  # "get", "post", "patch" (JSON, for the API) or "delete" (the API)
    data: Callable | None = None  # (world) -> POST data
    htmx: bool = False
    label: str = ""
    follow_check: Callable | None = field(default=None)  # optional extra assertion (world, response)
    # The link itself is the credential and signs the person in (an invitation's join link): its 302
    # goes to the project, not to the sign-in page.
    signs_in: bool = False

    @property
    def id(self):
        return f"{self.name}:{self.method}{'-' + self.label if self.label else ''}"


def everyone_reads(ok=200):
    """Every member may see it; the outsider gets 404; anonymous users go to the login page."""
    return {"anonymous": 302, "outsider": 404, **{r: ok for r in MEMBERS}}


def only(*roles, ok=302, denied=403):
    """Only the given member roles may act; other members get 403."""
    result = {"anonymous": 302, "outsider": 404}
    for role in MEMBERS:
        result[role] = ok if role in roles else denied
    return result


def signed_in(ok=200):
    """Pages outside any project: any signed-in user."""
    return {"anonymous": 302, **{r: ok for r in ("outsider", *MEMBERS)}}


def api_reads(ok=200):
    """The API: every member reads; the outsider gets 404; no credentials gets 401 (not a redirect)."""
    return {"anonymous": 401, "outsider": 404, **{r: ok for r in MEMBERS}}


def api_only(*roles, ok=200, denied=403):
    return {**only(*roles, ok=ok, denied=denied), "anonymous": 401}


def public(ok=200):
    return {r: ok for r in ROLES}
