"""Permission matrix of the gap analysis: every member reads; the lead manages; the lead and the
assigned auditors (per clause where set) answer; unassigned auditors, contributors and viewers
read but cannot answer; outsiders get 404."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from gapanalysis import services
from gapanalysis.models import Response, Result
from tests.factories import add_file_evidence, iso_template, make_assessment, template_json
from tests.permissions.matrix import Case, everyone_reads, only


def G(w):
    return f"/projects/{w.project.pk}/gap/"


def assessment(w):
    """Clause 4 only (a dozen questions); the auditor is assigned to the whole assessment."""
    return w.obj(
        "gap-assessment",
        lambda w: make_assessment(
            w.project, user=w.user("lead"), clause_numbers=["4"], auditors=[w.user("auditor")]
        ),
    )


def unassigned_assessment(w):
    return w.obj(
        "gap-unassigned",
        lambda w: make_assessment(
            w.project, user=w.user("lead"), title="Nobody assigned", clause_numbers=["5"]
        ),
    )


def clause_assessment(w):
    """The auditor is assigned to clause 4.1 only."""

    def build(w):
        a = make_assessment(w.project, user=w.user("lead"), title="Per clause", clause_numbers=["4"])
        services.assessment_assign_auditors(
            assessment=a, assignments={w.user("auditor").pk: ["4.1"]}, user=w.user("lead")
        )
        return a

    return w.obj("gap-per-clause", build)


def finalised_assessment(w):
    def build(w):
        a = make_assessment(
            w.project, user=w.user("lead"), title="Done", clause_numbers=["4"], auditors=[w.user("auditor")]
        )
        return services.assessment_finalise(assessment=a, user=w.user("lead"))

    return w.obj("gap-finalised", build)


def response_of(getter, code):
    return lambda w: Response.objects.get(assessment=getter(w), question__code=code)


def gap_response(w):
    def build(w):
        response = response_of(assessment, "GA-4.1-01")(w)
        return services.response_save(
            response=response,
            user=w.user("lead"),
            expected_version=response.version,
            result=Result.NONCONFORMANT,
        )

    return w.obj("gap-response", build)


def unassigned_gap_response(w):
    def build(w):
        response = response_of(unassigned_assessment, "GA-5.1-01")(w)
        return services.response_save(
            response=response, user=w.user("lead"), expected_version=response.version, result=Result.PARTIAL
        )

    return w.obj("gap-unassigned-response", build)


def A(getter):
    return lambda w: G(w) + f"{getter(w).pk}/"


def save_data(getter, code):
    return lambda w: {
        "result": "conformant",
        "notes": "Seen",
        "version": response_of(getter, code)(w).version,
    }


def save_url(getter, code):
    return lambda w: A(getter)(w) + f"responses/{response_of(getter, code)(w).pk}/"


def evidence(w):
    return w.obj(
        "gap-evidence",
        lambda w: add_file_evidence(response_of(assessment, "GA-4.2-01")(w), user=w.user("lead")),
    )


def import_file(w):
    data = template_json(slug="matrix-import")
    return {"file": SimpleUploadedFile("matrix.json", json.dumps(data).encode(), "application/json")}


def create_data(w):
    return {
        "title": "Follow-up",
        "template": iso_template().pk,
        "clause_numbers": "4",
        "auditors": [w.user("auditor").pk],
    }


CASES = [
    Case("gapanalysis:list", G, everyone_reads()),
    Case("gapanalysis:create", lambda w: G(w) + "new/", only("lead", ok=200)),
    Case("gapanalysis:create", lambda w: G(w) + "new/", only("lead"), method="post", data=create_data),
    Case("gapanalysis:templates", lambda w: G(w) + "templates/", everyone_reads()),
    Case("gapanalysis:template_import", lambda w: G(w) + "templates/import/", only("lead", ok=200)),
    Case(
        "gapanalysis:template_import",
        lambda w: G(w) + "templates/import/",
        only("lead"),
        method="post",
        data=import_file,
    ),
    Case(
        "gapanalysis:template_export",
        lambda w: G(w) + f"templates/{iso_template().pk}/export/?format=csv",
        only("lead", ok=200),
    ),
    Case("gapanalysis:overview", A(assessment), everyone_reads()),
    Case("gapanalysis:auditors", lambda w: A(assessment)(w) + "auditors/", only("lead", ok=200)),
    Case(
        "gapanalysis:auditors",
        lambda w: A(assessment)(w) + "auditors/",
        only("lead"),
        method="post",
        data=lambda w: {f"assigned_{w.user('auditor').pk}": "on", f"clauses_{w.user('auditor').pk}": "4.1"},
    ),
    Case("gapanalysis:finalise", lambda w: A(assessment)(w) + "finalise/", only("lead", ok=200)),
    Case("gapanalysis:finalise", lambda w: A(assessment)(w) + "finalise/", only("lead"), method="post"),
    Case("gapanalysis:reopen", lambda w: A(finalised_assessment)(w) + "reopen/", only("lead", ok=200)),
    Case("gapanalysis:reopen", lambda w: A(finalised_assessment)(w) + "reopen/", only("lead"), method="post"),
    Case(
        "gapanalysis:compare",
        lambda w: (unassigned_assessment(w), A(assessment)(w) + "compare/")[1],
        everyone_reads(),
    ),
    Case("gapanalysis:export", lambda w: A(assessment)(w) + "export.xlsx", everyone_reads()),
    Case(
        "gapanalysis:progress",
        lambda w: A(assessment)(w) + "progress/?clause=4.1",
        everyone_reads(),
        htmx=True,
    ),
    Case("gapanalysis:clause", lambda w: A(assessment)(w) + "clauses/4.1/", everyone_reads()),
    Case(
        "gapanalysis:response_save",
        save_url(assessment, "GA-4.1-01"),
        only("lead", "auditor", ok=200),
        method="post",
        data=save_data(assessment, "GA-4.1-01"),
        htmx=True,
        label="assigned",
    ),
    Case(
        "gapanalysis:response_save",
        save_url(unassigned_assessment, "GA-5.1-01"),
        only("lead", ok=200),
        method="post",
        data=save_data(unassigned_assessment, "GA-5.1-01"),
        htmx=True,
        label="auditor-not-assigned",
    ),
    Case(
        "gapanalysis:response_save",
        save_url(clause_assessment, "GA-4.1-01"),
        only("lead", "auditor", ok=200),
        method="post",
        data=save_data(clause_assessment, "GA-4.1-01"),
        htmx=True,
        label="assigned-clause",
    ),
    Case(
        "gapanalysis:response_save",
        save_url(clause_assessment, "GA-4.2-01"),
        only("lead", ok=200),
        method="post",
        data=save_data(clause_assessment, "GA-4.2-01"),
        htmx=True,
        label="other-clause",
    ),
    Case(
        "gapanalysis:response_save",
        save_url(finalised_assessment, "GA-4.1-01"),
        only(),
        method="post",
        data=save_data(finalised_assessment, "GA-4.1-01"),
        htmx=True,
        label="finalised",
    ),
    Case(
        "gapanalysis:evidence_add",
        lambda w: save_url(assessment, "GA-4.2-01")(w) + "evidence/",
        only("lead", "auditor", ok=200),
        method="post",
        data=lambda w: {"url": "https://intranet.example.test/policy", "description": "Policy page"},
        htmx=True,
    ),
    Case(
        "gapanalysis:evidence_add",
        lambda w: save_url(unassigned_assessment, "GA-5.1-01")(w) + "evidence/",
        only("lead", ok=200),
        method="post",
        data=lambda w: {"url": "https://intranet.example.test/policy"},
        htmx=True,
        label="auditor-not-assigned",
    ),
    Case(
        "gapanalysis:remediation",
        lambda w: A(assessment)(w) + f"responses/{gap_response(w).pk}/remediation/",
        only("lead", "auditor", ok=200),
        method="post",
        htmx=True,
    ),
    Case(
        "gapanalysis:remediation",
        lambda w: A(unassigned_assessment)(w) + f"responses/{unassigned_gap_response(w).pk}/remediation/",
        only("lead", ok=200),
        method="post",
        htmx=True,
        label="auditor-not-assigned",
    ),
    Case(
        "gapanalysis:evidence_download",
        lambda w: A(assessment)(w) + f"evidence/{evidence(w).pk}/",
        everyone_reads(),
    ),
    Case(
        "gapanalysis:evidence_delete",
        lambda w: A(assessment)(w) + f"evidence/{evidence(w).pk}/delete/",
        only("lead", "auditor", ok=200),
        method="post",
        htmx=True,
    ),
]
