"""Permission cases of what the registers feed (issue 23 §1, §2): the registers' API routes, citing a
register entry as checklist evidence, register snapshots.

API: every member reads; the lead and contributors create top-level entries; the lead or the owner
(for SLA targets and actuals the service's owner, for measurements the objective's owner) edits; the
lead deletes and records the context. Citing: the lead and the assessment's auditors, like any
evidence. Snapshots: every member sees them; the lead and contributors take one and try a failed one
again."""

from registers.feed_models import RegisterSnapshot, SnapshotStatus
from tests.permissions.cases_gapanalysis import assessment
from tests.permissions.matrix import Case, api_only, api_reads, everyone_reads, only
from tests.registers.builders import (
    make_actual,
    make_issue,
    make_measurement,
    make_objective,
    make_party,
    make_risk,
    make_service,
    make_supplier,
    make_target,
)


def A(w):
    return f"/api/v1/projects/{w.project.pk}/registers/"


def service(w):
    return w.obj(
        "feed-service", lambda w: make_service(w.project, name="Feed service", owner=w.user("contributor"))
    )


def target(w):
    return w.obj("feed-target", lambda w: make_target(service(w)))


def objective(w):
    return w.obj(
        "feed-objective",
        lambda w: make_objective(w.project, title="Feed objective", owner=w.user("contributor")),
    )


ENTRIES = {
    "issues": lambda w: make_issue(w.project, title="Feed issue", owner=w.user("contributor")),
    "parties": lambda w: make_party(w.project, name="Feed party", owner=w.user("contributor")),
    "services": service,
    "targets": target,
    "actuals": lambda w: make_actual(target(w)),
    "suppliers": lambda w: make_supplier(w.project, name="Feed supplier", owner=w.user("contributor")),
    "risks": lambda w: make_risk(w.project, title="Feed risk", owner=w.user("contributor")),
    "objectives": objective,
    "measurements": lambda w: make_measurement(objective(w)),
}
NAMES = {
    "issues": "issue", "parties": "party", "services": "service", "targets": "target", "actuals": "actual",
    "suppliers": "supplier", "risks": "risk", "objectives": "objective", "measurements": "measurement",
}  # fmt: skip
CREATE = {
    "issues": lambda w: {"kind": "external", "title": "Made by API"},
    "parties": lambda w: {"name": "Made by API", "kind": "external"},
    "services": lambda w: {"name": "Made by API", "criticality": "low", "status": "live"},
    "suppliers": lambda w: {"name": "Made by API", "kind": "external", "performance_rating": "not_rated"},
    "risks": lambda w: {"kind": "risk", "title": "Made by API", "likelihood": 2, "impact": 2, "status": "identified"},  # noqa: E501
    "objectives": lambda w: {"title": "Made by API", "measure": "KPI", "target": "5", "direction": "at_least", "frequency": "monthly", "status": "active"},  # noqa: E501
}  # fmt: skip
CHILD_CREATE = {
    "targets": ("services", service, lambda w: {"measure": "Made by API", "target": "1", "direction": "at_least", "period": "monthly"}),  # noqa: E501
    "actuals": ("targets", target, lambda w: {"month": "2026-05-01", "value": "99"}),
    "measurements": ("objectives", objective, lambda w: {"measured_on": "2026-05-01", "value": "3"}),
}  # fmt: skip
EDIT = {
    "issues": {"title": "Edited"}, "parties": {"name": "Edited"}, "services": {"name": "Edited"},
    "targets": {"measure": "Edited"}, "actuals": {"note": "Edited"}, "suppliers": {"name": "Edited"},
    "risks": {"title": "Edited"}, "objectives": {"title": "Edited"}, "measurements": {"note": "Edited"},
}  # fmt: skip


def entry(key, w):
    return w.obj(f"feed-{key}", ENTRIES[key])


def _api_cases():
    cases = [
        Case("api:register_context", lambda w: A(w) + "context/", api_reads()),
        Case(
            "api:register_context",
            lambda w: A(w) + "context/",
            api_only("lead"),
            method="patch",
            data=lambda w: {"climate_change": "not_relevant", "climate_change_reason": "Office work only."},
        ),
    ]
    for key, name in NAMES.items():
        one = lambda w, key=key: A(w) + f"{key}/{entry(key, w).pk}/"  # noqa: E731
        cases += [
            Case(f"api:register_{name}_detail", one, api_reads()),
            # the lead, or the contributor who owns it (or its service / objective)
            Case(
                f"api:register_{name}_detail",
                one,
                api_only("lead", "contributor"),
                method="patch",
                data=lambda w, key=key: {**EDIT[key], "version": entry(key, w).version},
            ),
            Case(f"api:register_{name}_detail", one, api_only("lead", ok=204), method="delete"),
        ]
        if key in CREATE:
            cases += [
                Case(f"api:register_{name}_list", lambda w, key=key: A(w) + f"{key}/", api_reads()),
                Case(
                    f"api:register_{name}_list",
                    lambda w, key=key: A(w) + f"{key}/",
                    api_only("lead", "contributor", ok=201),
                    method="post",
                    data=CREATE[key],
                ),
            ]
        else:
            parent_key, parent, body = CHILD_CREATE[key]
            under = lambda w, parent=parent, parent_key=parent_key, key=key: (  # noqa: E731
                A(w) + f"{parent_key}/{parent(w).pk}/{key}/"
            )
            cases += [
                Case(f"api:register_{name}_list", under, api_reads()),
                Case(
                    f"api:register_{name}_list",
                    under,
                    api_only("lead", "contributor", ok=201),
                    method="post",
                    data=body,
                ),
            ]
    return cases


def answer(w):
    return w.obj("feed-answer", lambda w: assessment(w).responses.first())


def cite_url(w):
    a = answer(w)
    return f"/projects/{w.project.pk}/registers-feed/cite/{a.assessment_id}/{a.pk}/"


def snapshot(w):
    return w.obj(
        "feed-snapshot",
        lambda w: RegisterSnapshot.objects.create(
            project=w.project, register="services", requested_by=w.user("lead")
        ),
    )


def failed_snapshot(w):
    return w.obj(
        "feed-failed-snapshot",
        lambda w: RegisterSnapshot.objects.create(
            project=w.project,
            register="risks",
            requested_by=w.user("lead"),
            status=SnapshotStatus.FAILED,
            error="The PDF could not be made.",
        ),
    )


CASES = [
    *_api_cases(),
    # the lead and the assessment's auditor answer, so they cite
    Case("registers_feed:cite", cite_url, only("lead", "auditor", ok=200)),
    Case(
        "registers_feed:cite",
        cite_url,
        only("lead", "auditor"),
        method="post",
        data=lambda w: {"entry": f"service:{service(w).pk}"},
    ),
    Case(
        "reports:snapshot_list",
        lambda w: f"/projects/{w.project.pk}/reports/register-snapshots/",
        everyone_reads(),
    ),
    Case(
        "reports:snapshot_list",
        lambda w: f"/projects/{w.project.pk}/reports/register-snapshots/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"register": "risks"},
    ),
    # a snapshot whose Excel file is not there yet: 404 for every member (after the access check)
    Case(
        "reports:snapshot_excel",
        lambda w: f"/projects/{w.project.pk}/reports/register-snapshots/{snapshot(w).pk}/excel/",
        everyone_reads(404),
    ),
    # trying a failed snapshot again (once queued, a second try is refused with a message: 302 too)
    Case(
        "reports:snapshot_retry",
        lambda w: f"/projects/{w.project.pk}/reports/register-snapshots/{failed_snapshot(w).pk}/retry/",
        only("lead", "contributor"),
        method="post",
    ),
]
