"""Permission cases for the SMS's registers (registers/permissions.py).

Every member reads and exports; the lead creates, edits, deletes, imports and records the context
determination; a contributor creates entries and edits those they own (for SLA targets and actuals,
the service they own; for measurements, the objective they own). Auditors and viewers read.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permissions.matrix import Case, everyone_reads, only
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


def R(w):
    return f"/projects/{w.project.pk}/registers/"


def owned(key, w):
    """An entry of each register owned by the contributor."""
    c = w.user("contributor")
    builders = {
        "issues": lambda w: make_issue(w.project, owner=c),
        "parties": lambda w: make_party(w.project, owner=c),
        "services": lambda w: make_service(w.project, owner=c),
        "suppliers": lambda w: make_supplier(w.project, owner=c),
        "risks": lambda w: make_risk(w.project, owner=c),
        "objectives": lambda w: make_objective(w.project, owner=c),
    }
    return w.obj(f"{key}-contributor", builders[key])


def leads(key, w):
    """An entry owned by the lead: the contributor may not edit it."""
    lead = w.user("lead")
    builders = {
        "issues": lambda w: make_issue(w.project, owner=lead, title="Lead's issue"),
        "parties": lambda w: make_party(w.project, owner=lead, name="Lead's party"),
        "services": lambda w: make_service(w.project, owner=lead, name="Lead's service"),
        "suppliers": lambda w: make_supplier(w.project, owner=lead, name="Lead's supplier"),
        "risks": lambda w: make_risk(w.project, owner=lead, title="Lead's risk"),
        "objectives": lambda w: make_objective(w.project, owner=lead, title="Lead's objective"),
    }
    return w.obj(f"{key}-lead", builders[key])


def target(w):
    return w.obj("target", lambda w: make_target(owned("services", w)))


def actual(w):
    return w.obj("actual", lambda w: make_actual(target(w)))


def measurement(w):
    return w.obj("measurement", lambda w: make_measurement(owned("objectives", w)))


NEW = {
    "issues": lambda w: {"kind": "external", "title": "New rules"},
    "parties": lambda w: {"name": "Regulator", "kind": "external"},
    "services": lambda w: {"name": "Printing", "criticality": "low", "status": "live"},
    "suppliers": lambda w: {"name": "Paper Co", "kind": "external", "performance_rating": "not_rated"},
    "risks": lambda w: {
        "kind": "risk",
        "title": "Flood",
        "likelihood": 2,
        "impact": 4,
        "status": "identified",
    },
    "objectives": lambda w: {
        "title": "Happier users",
        "measure": "Satisfaction",
        "target": "4.2",
        "direction": "at_least",
        "frequency": "quarterly",
        "status": "active",
    },
}
NAMES = {
    "issues": "issue",
    "parties": "party",
    "services": "service",
    "suppliers": "supplier",
    "risks": "risk",
    "objectives": "objective",
}


def _edit_data(key, getter):
    def data(w):
        obj = getter(key, w)
        values = NEW[key](w)
        values.update(version=obj.version, owner=obj.owner_id)
        if "name" in values:
            values["name"] = obj.name
        if "title" in values:
            values["title"] = obj.title
        return values

    return data


def _csv(key):
    def data(w):
        body = {
            "issues": "Title,Kind\nDrought,External\n",
            "parties": "Name,Kind\nAuditors,External\n",
            "services": "Name,Status,Criticality\nBackup,Live,High\n",
            "suppliers": "Name,Kind\nCable Co,External supplier\n",
            "risks": "Title,Kind,Status,Likelihood,Impact\nFire,Risk,Identified — awaiting treatment,1,5\n",
            "objectives": "Objective,Measure,Target,Direction,Frequency,Status\n"
            "Faster,Hours,8,at_most,Monthly,Active\n",
        }[key]
        return {"file": SimpleUploadedFile(f"{key}.csv", body.encode(), content_type="text/csv")}

    return data


def _register_cases(key):
    n = NAMES[key]
    base = lambda w: R(w) + f"{key}/"  # noqa: E731
    one = lambda w: base(w) + f"{owned(key, w).pk}/"  # noqa: E731
    other = lambda w: base(w) + f"{leads(key, w).pk}/"  # noqa: E731
    return [
        Case(f"registers:{n}_list", base, everyone_reads()),
        Case(
            f"registers:{n}_list",
            lambda w: base(w) + "?q=x&review=due&page=2",
            everyone_reads(),
            label="filtered",
        ),
        Case(f"registers:{n}_export", lambda w: base(w) + "export.xlsx", everyone_reads()),
        Case(f"registers:{n}_export_csv", lambda w: base(w) + "export.csv", everyone_reads()),
        Case(f"registers:{n}_import", lambda w: base(w) + "import/", only("lead", ok=200)),
        Case(
            f"registers:{n}_import",
            lambda w: base(w) + "import/",
            only("lead"),
            method="post",
            data=_csv(key),
        ),
        Case(f"registers:{n}_create", lambda w: base(w) + "new/", only("lead", "contributor", ok=200)),
        Case(
            f"registers:{n}_create",
            lambda w: base(w) + "new/",
            only("lead", "contributor"),
            method="post",
            data=NEW[key],
        ),
        Case(f"registers:{n}_detail", one, everyone_reads()),
        Case(f"registers:{n}_edit", lambda w: one(w) + "edit/", only("lead", "contributor", ok=200)),
        Case(
            f"registers:{n}_edit",
            lambda w: one(w) + "edit/",
            only("lead", "contributor"),
            method="post",
            data=_edit_data(key, owned),
        ),
        Case(f"registers:{n}_edit", lambda w: other(w) + "edit/", only("lead", ok=200), label="not-owner"),
        Case(
            f"registers:{n}_edit",
            lambda w: other(w) + "edit/",
            only("lead"),
            method="post",
            data=_edit_data(key, leads),
            label="not-owner",
        ),
        Case(f"registers:{n}_delete", lambda w: one(w) + "delete/", only("lead", ok=200)),
        Case(f"registers:{n}_delete", lambda w: one(w) + "delete/", only("lead"), method="post"),
    ]


def _target_data(w):
    return {
        "measure": "Availability",
        "target": "99.9",
        "unit": "%",
        "direction": "at_least",
        "period": "monthly",
        "version": target(w).version,
    }


CASES = [
    Case("registers:overview", lambda w: R(w), everyone_reads()),
    Case("registers:context", lambda w: R(w) + "context/", everyone_reads()),
    Case("registers:context_edit", lambda w: R(w) + "context/edit/", only("lead", ok=200)),
    Case(
        "registers:context_edit",
        lambda w: R(w) + "context/edit/",
        only("lead"),
        method="post",
        data=lambda w: {"climate_change": "relevant", "climate_change_reason": "Heat waves.", "version": ""},
    ),
    *[case for key in NAMES for case in _register_cases(key)],
    # SLA targets and actuals hang on a service the contributor owns
    Case(
        "registers:target_create",
        lambda w: R(w) + f"services/{owned('services', w).pk}/targets/new/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "registers:target_create",
        lambda w: R(w) + f"services/{owned('services', w).pk}/targets/new/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"measure": "Response", "target": "4", "direction": "at_most", "period": "monthly"},
    ),
    Case(
        "registers:target_create",
        lambda w: R(w) + f"services/{leads('services', w).pk}/targets/new/",
        only("lead", ok=200),
        label="not-owner",
    ),
    Case("registers:target_detail", lambda w: R(w) + f"targets/{target(w).pk}/", everyone_reads()),
    Case(
        "registers:target_edit",
        lambda w: R(w) + f"targets/{target(w).pk}/edit/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "registers:target_edit",
        lambda w: R(w) + f"targets/{target(w).pk}/edit/",
        only("lead", "contributor"),
        method="post",
        data=_target_data,
    ),
    Case("registers:target_delete", lambda w: R(w) + f"targets/{target(w).pk}/delete/", only("lead", ok=200)),
    Case(
        "registers:target_delete",
        lambda w: R(w) + f"targets/{target(w).pk}/delete/",
        only("lead"),
        method="post",
    ),
    Case(
        "registers:actual_create",
        lambda w: R(w) + f"targets/{target(w).pk}/actuals/new/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "registers:actual_create",
        lambda w: R(w) + f"targets/{target(w).pk}/actuals/new/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"month": "2026-11", "value": "99.1"},
    ),
    Case(
        "registers:actual_edit",
        lambda w: R(w) + f"actuals/{actual(w).pk}/edit/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "registers:actual_edit",
        lambda w: R(w) + f"actuals/{actual(w).pk}/edit/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"month": "2026-10", "value": "98", "version": actual(w).version},
    ),
    Case("registers:actual_delete", lambda w: R(w) + f"actuals/{actual(w).pk}/delete/", only("lead", ok=200)),
    Case(
        "registers:actual_delete",
        lambda w: R(w) + f"actuals/{actual(w).pk}/delete/",
        only("lead"),
        method="post",
    ),
    Case(
        "registers:measurement_create",
        lambda w: R(w) + f"objectives/{owned('objectives', w).pk}/measurements/new/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "registers:measurement_create",
        lambda w: R(w) + f"objectives/{owned('objectives', w).pk}/measurements/new/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"measured_on": "2026-11-30", "value": "66"},
    ),
    Case(
        "registers:measurement_edit",
        lambda w: R(w) + f"measurements/{measurement(w).pk}/edit/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "registers:measurement_edit",
        lambda w: R(w) + f"measurements/{measurement(w).pk}/edit/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"measured_on": "2026-10-01", "value": "67", "version": measurement(w).version},
    ),
    Case(
        "registers:measurement_delete",
        lambda w: R(w) + f"measurements/{measurement(w).pk}/delete/",
        only("lead", ok=200),
    ),
    Case(
        "registers:measurement_delete",
        lambda w: R(w) + f"measurements/{measurement(w).pk}/delete/",
        only("lead"),
        method="post",
    ),
]


def _actuals_csv(w):
    service = owned("services", w)
    target(w)
    body = f"Service,Measure,Month,Value\n{service.name},Availability,2026-08,99.9\n"
    return {"file": SimpleUploadedFile("actuals.csv", body.encode(), content_type="text/csv")}


CASES += [
    Case("registers:actual_export", lambda w: R(w) + "actuals/export.xlsx", everyone_reads()),
    Case("registers:actual_export_csv", lambda w: R(w) + "actuals/export.csv", everyone_reads()),
    Case("registers:actual_import", lambda w: R(w) + "actuals/import/", only("lead", ok=200)),
    Case(
        "registers:actual_import",
        lambda w: R(w) + "actuals/import/",
        only("lead"),
        method="post",
        data=_actuals_csv,
    ),
]
