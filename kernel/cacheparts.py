"""Every cached page part and the inputs it is drawn from, in one place.

A part's HTML is cached under its namespaces' generations (kernel/pagecache.py) and its
declared **inputs**, nothing else. So a part may show:

* data of its namespace: `data` names, read from the project (or, for `scope="user"`, from the
  viewer's projects and their own invitations); a write to it clears the namespace;
* its `inputs`: each is in the key. `today` is the date (a part never shows the time: `{% now %}`
  is refused), `user` the viewer's id, `access` the viewer's role in the project, `GET.<name>` one
  query parameter; any other name is a value from the view's context (a flag such as
  `can_create_task`, or a record such as `phase`, keyed by its id: its data is the project's).

The language and the time zone are in every key. tests/core/test_cachedpart_inputs.py renders every
part and fails when a template reads a name that is neither data nor input; `{% cachedpart %}`
refuses a part that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language

# Context names a part may read without declaring them: the CSRF token (never stored, see
# pagecache), the request (replaced inside a part by a view of its declared inputs only), the names
# the tag itself sets, and Django's template constants.
# LANGUAGE_CODE: what {% get_current_language %} sets for the fragment caches inside a part; the
# language is already in every part's key (inputs_key).
ALWAYS = frozenset(
    {"csrf_token", "request", "part_query", "True", "False", "None", "forloop", "block", "LANGUAGE_CODE"}
)


@dataclass(frozen=True)
class Part:
    inputs: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    scope: str = "project"  # "project": the context's project; "user": the viewer across projects

    @property
    def query(self) -> tuple[str, ...]:
        return tuple(name.removeprefix("GET.") for name in self.inputs if name.startswith("GET."))


# fmt: off
PAGINATED = ("GET.page",)
TASK_FILTERS = ("GET.assignee", "GET.phase", "GET.status", "GET.due", "GET.due_from", "GET.due_to")
REGISTER_FILTERS = (
    "GET.q", "GET.status", "GET.doc_type", "GET.clause", "GET.owner", "GET.review", "GET.mandatory",
)

PARTS: dict[str, Part] = {
    # projects
    "dashboard": Part(
        inputs=("project", "today", "access", "can_create_task"),
        data=("forecast", "outlook", "task_counts", "dashboard_cards", "timeline", "overdue_tasks",
              "due_soon_tasks", "phases", "activity"),
    ),
    "task-list": Part(
        inputs=("project", "today", "user", "access", "can_create_task", "can_edit_tasks", "bulk_select",
                *PAGINATED, *TASK_FILTERS),
        data=("filter", "page", "bulk_form", "completable", "members"),
    ),
    "phase": Part(
        inputs=("project", "phase", "today", "user", "access", "can_edit_phase", "can_edit_tasks",
                "can_create_task", *PAGINATED),
        data=("page", "tasks", "milestones", "completable", "quick_form", "history", "form"),
    ),
    "quick-task-form": Part(inputs=("project", "phase"), data=("quick_form",)),
    "phase-history": Part(inputs=("project", "phase", "today"), data=("history",)),
    "roadmap": Part(
        inputs=("project", "today", "access"), data=("phases", "timeline", "forecast", "outlook")
    ),
    "members": Part(
        inputs=("project", "access", "form.is_bound"),
        data=("memberships", "invitations", "members", "roles", "form"),
    ),
    "project-history": Part(inputs=("project", "today", "access"), data=("entries",)),
    "project-list": Part(
        scope="user", inputs=("user", "mfa_by_provider", "today", *PAGINATED), data=("page", "notes")
    ),
    "my-work": Part(
        scope="user", inputs=("user", "mfa_by_provider", "today", *PAGINATED), data=("page", "waiting")
    ),
    # gap analysis
    "gap-assessments": Part(inputs=("project", "today", "access", "can_manage", *PAGINATED), data=("page",)),
    "gap-overview": Part(
        inputs=("project", "assessment", "can_manage", "today"),
        data=("assignments", "chart", "continue_at", "history", "leaf_chart", "not_applicable", "others",
              "overall", "rows", "score_rule"),
    ),
    "gap-clause": Part(
        inputs=("project", "assessment", "number", "user", "access", "can_answer"),
        data=("clause", "next", "previous", "overall", "phases", "responses", "results", "rows"),
    ),
    # audits
    "audit-programme": Part(
        inputs=("project", "today", "can_plan", "can_decide", *PAGINATED),
        data=("audits", "clause_total", "covered", "cycle", "cycle_end", "in_cycle", "matrix", "page",
              "planned_only", "programme"),
    ),
    "audit-page": Part(
        inputs=("project", "audit", "today", "can_manage", "can_record", *PAGINATED),
        data=("scope", "page", "has_findings", "grade_counts", "warnings", "checklist", "covered", "history",
              "advance_form", "next_label", "next_status"),
    ),
    "readiness": Part(inputs=("project", "today", "show_all", "stage"), data=("readiness", "shown")),
    "finding-list": Part(
        inputs=("project", "today", "access", "grade", "show", "GET.grade", "GET.show", *PAGINATED),
        data=("page", "grades"),
    ),
    # documents
    "register": Part(
        inputs=("project", "today", "can_create", "export_query", *PAGINATED, *REGISTER_FILTERS),
        data=("form", "page", "filtered", "coverage", "records"),
    ),
    "document-versions": Part(
        inputs=("project", "document", "can_edit", "today"), data=("record", "versions", "reviews")
    ),
    "document-history": Part(inputs=("project", "document", "today"), data=("history",)),
    # reports
    "report-picker": Part(inputs=("project", "show_all"), data=("blank_form",)),
}
# fmt: on


class Undeclared(Exception):
    pass


def part(name: str) -> Part:
    try:
        return PARTS[name]
    except KeyError:
        raise Undeclared(
            f"{{% cachedpart {name!r} %}} is not declared in kernel/cacheparts.py"
        ) from None


def _lookup(context, dotted: str):
    value = context
    for bit in dotted.split("."):
        if value is None:
            return None
        try:
            value = value[bit]
        except (KeyError, TypeError, AttributeError):
            value = getattr(value, bit, None)
        if callable(value) and not hasattr(value, "_meta"):
            value = value()
    return value


def _plain(value):
    """A key input as a stable value: a record by its id (its data is its project's)."""
    if getattr(value, "_meta", None) is not None:
        return (value._meta.label, value.pk)
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_plain(v) for v in value)
    return value


def resolve_inputs(declared: Part, context) -> tuple:
    """The declared inputs' values, in declaration order, and the language."""
    request = context.get("request")
    values = [("language", get_language()), ("timezone", timezone.get_current_timezone_name())]
    for name in declared.inputs:
        if name.startswith("GET."):
            param = name[4:]
            values.append((name, tuple(request.GET.getlist(param)) if request is not None else ()))
        elif name == "access":
            access = context.get("access")
            membership = getattr(access, "membership", None)
            values.append((name, getattr(membership, "role", None)))
        elif name == "today":  # the date itself, whatever the view called it
            values.append((name, timezone.localdate()))
        elif name == "user":
            user = context.get("user")
            values.append((name, getattr(user, "pk", None)))
        else:
            values.append((name, _plain(_lookup(context, name))))
    return tuple(values)


def part_query(declared: Part, request) -> QueryDict:
    """The request's query string cut down to the part's declared parameters."""
    query = QueryDict(mutable=True)
    if request is not None:
        for name in declared.query:
            values = request.GET.getlist(name)
            if values:
                query.setlist(name, values)
    return query


class PartRequest:
    """What a part sees of the request: its path and its declared query parameters only, so
    nothing undeclared can reach the stored HTML."""

    def __init__(self, request, query: QueryDict):
        self.path = request.path
        self.GET = query

    def get_full_path(self):
        return f"{self.path}?{self.GET.urlencode()}" if self.GET else self.path
