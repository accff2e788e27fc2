"""Permission cases of the REST API (/api/v1/) and the account page of personal access tokens.

Signed in with the session here (the matrix's clients); the same rules with tokens, and a token's own
limits (read only, one project), are in tests/api/. Without credentials the API answers 401."""

from api.tokens import token_create
from gapanalysis.models import Response
from tests.factories import make_action, make_audit_with_findings, make_report, make_task
from tests.permissions.cases_documents import contributor_entry, lead_entry, own_draft, owned_doc
from tests.permissions.cases_gapanalysis import assessment
from tests.permissions.matrix import ROLES, Case, api_only, api_reads, public, signed_in


def A(w):
    return f"/api/v1/projects/{w.project.pk}/"


def task(w):
    return w.obj(
        "api-task", lambda w: make_task(w.project, title="API task", assignee=w.user("contributor"), due_in=5)
    )


def viewer_task(w):
    return w.obj(
        "api-task-viewer", lambda w: make_task(w.project, title="Viewer's task", assignee=w.user("viewer"))
    )


def answer(w):
    return w.obj(
        "api-answer", lambda w: Response.objects.get(assessment=assessment(w), question__code="GA-4.1-01")
    )


def audit_world(w):
    def build(w):
        audit, findings = make_audit_with_findings(
            w.project, user=w.user("lead"), auditor=w.user("auditor"), findings=1, owner=w.user("contributor")
        )
        make_action(findings[0], user=w.user("contributor"), owner=w.user("contributor"))
        return audit, findings[0]

    return w.obj("api-audit", build)


def report(w):
    return w.obj("api-report", lambda w: make_report(w.project, user=w.user("lead")))


def contributor_token(w):
    return w.obj(
        "api-token",
        lambda w: (
            token_create(user=w.user("contributor"), name="Script", scope="read", expires_in_days=30).token
        ),
    )


def phase_id(w):
    return w.project.phases.get(key="5").pk


CASES = [
    Case("api:schema", lambda w: "/api/v1/schema/", public()),
    Case("api:docs", lambda w: "/api/v1/docs/", public()),
    # any path under /api/v1/ that names no route (an id beyond 64 bits too): a problem+json 404
    Case("api:not_found", lambda w: "/api/v1/no-such-route/", public(404)),
    Case("api:not_found", lambda w: A(w) + "tasks/" + "9" * 25 + "/", public(404), label="huge-id"),
    Case("api:project_list", lambda w: "/api/v1/projects/", {**{r: 200 for r in ROLES}, "anonymous": 401}),
    Case("api:project_detail", A, api_reads()),
    Case("api:member_list", lambda w: A(w) + "members/", api_reads()),
    Case("api:phase_list", lambda w: A(w) + "phases/", api_reads()),
    Case("api:readiness", lambda w: A(w) + "readiness/", api_reads()),
    Case("api:task_list", lambda w: A(w) + "tasks/?status=open&due_before=2099-01-01", api_reads()),
    Case(
        "api:task_list",
        lambda w: A(w) + "tasks/",
        api_only("lead", "contributor", ok=201),
        method="post",
        data=lambda w: {"phase": phase_id(w), "title": "Made through the API", "priority": "high"},
    ),
    Case("api:task_detail", lambda w: A(w) + f"tasks/{task(w).pk}/", api_reads()),
    Case(
        "api:task_detail",
        lambda w: A(w) + f"tasks/{task(w).pk}/",
        api_only("lead", "contributor"),
        method="patch",
        data=lambda w: {"title": "Renamed through the API", "version": task(w).version},
    ),
    Case(
        "api:task_complete",
        lambda w: A(w) + f"tasks/{task(w).pk}/complete/",
        api_only("lead", "contributor"),
        method="post",
    ),
    # the assignee completes their own task whatever their role
    Case(
        "api:task_complete",
        lambda w: A(w) + f"tasks/{viewer_task(w).pk}/complete/",
        api_only("lead", "contributor", "viewer"),
        method="post",
        label="assignee",
    ),
    Case("api:assessment_list", lambda w: A(w) + "assessments/", api_reads()),
    Case("api:assessment_detail", lambda w: A(w) + f"assessments/{assessment(w).pk}/", api_reads()),
    Case(
        "api:answer_list", lambda w: A(w) + f"assessments/{assessment(w).pk}/answers/?clause=4.1", api_reads()
    ),
    Case(
        "api:answer_detail",
        lambda w: A(w) + f"assessments/{assessment(w).pk}/answers/{answer(w).pk}/",
        api_reads(),
    ),
    # the lead and the auditor assigned to the assessment answer
    Case(
        "api:answer_detail",
        lambda w: A(w) + f"assessments/{assessment(w).pk}/answers/{answer(w).pk}/",
        api_only("lead", "auditor"),
        method="patch",
        data=lambda w: {"result": "partial", "notes": "Seen in the API", "version": answer(w).version},
    ),
    Case(
        "api:evidence_list",
        lambda w: A(w) + f"assessments/{assessment(w).pk}/answers/{answer(w).pk}/evidence/",
        api_reads(),
    ),
    Case(
        "api:evidence_list",
        lambda w: A(w) + f"assessments/{assessment(w).pk}/answers/{answer(w).pk}/evidence/",
        api_only("lead", "auditor", ok=201),
        method="post",
        data=lambda w: {"url": "https://itsm.example.test/change/42", "description": "Change record"},
    ),
    Case("api:document_list", lambda w: A(w) + "documents/?clause=5", api_reads()),
    Case("api:document_detail", lambda w: A(w) + f"documents/{owned_doc(w).pk}/", api_reads()),
    # the lead, or the contributor who owns the document
    Case(
        "api:version_create",
        lambda w: A(w) + f"documents/{owned_doc(w).pk}/versions/",
        api_only("lead", "contributor", ok=201),
        method="post",
        data=lambda w: {"change_summary": "Linked from the API", "link": "https://intranet.example.test/p"},
    ),
    Case(
        "api:version_download",
        lambda w: A(w) + f"documents/{owned_doc(w).pk}/versions/{own_draft(w).pk}/download/",
        api_reads(302),
    ),
    Case("api:operation_process_list", lambda w: A(w) + "operation/processes/", api_reads()),
    Case(
        "api:operation_entry_list",
        lambda w: A(w) + "operation/entries/?process=8.6.1&on_after=2026-01-01",
        api_reads(),
    ),
    Case(
        "api:operation_entry_list",
        lambda w: A(w) + "operation/entries/",
        api_only("lead", "contributor", ok=201),
        method="post",
        data=lambda w: {
            "clause": "8.6.1",
            "on": "2026-11-30",
            "summary": "November: 40 incidents",
            "link": "https://itsm.example.test/nov",
        },  # fmt: skip
    ),
    Case(
        "api:operation_entry_detail",
        lambda w: A(w) + f"operation/entries/{contributor_entry(w).pk}/",
        api_reads(),
    ),
    # as on the web: the lead deletes any entry, a contributor the entries they recorded
    Case(
        "api:operation_entry_detail",
        lambda w: A(w) + f"operation/entries/{contributor_entry(w).pk}/",
        api_only("lead", "contributor", ok=204),
        method="delete",
    ),
    Case(
        "api:operation_entry_detail",
        lambda w: A(w) + f"operation/entries/{lead_entry(w).pk}/",
        api_only("lead", ok=204),
        method="delete",
        label="not-own",
    ),
    Case(
        "api:operation_entry_download",
        lambda w: A(w) + f"operation/entries/{contributor_entry(w).pk}/download/",
        api_reads(302),
    ),
    Case("api:audit_list", lambda w: A(w) + "audits/", api_reads()),
    Case("api:audit_detail", lambda w: A(w) + f"audits/{audit_world(w)[0].pk}/", api_reads()),
    Case("api:finding_list", lambda w: A(w) + "findings/?clause=8&status=open", api_reads()),
    Case("api:finding_detail", lambda w: A(w) + f"findings/{audit_world(w)[1].pk}/", api_reads()),
    Case(
        "api:action_list", lambda w: A(w) + f"corrective-actions/?finding={audit_world(w)[1].pk}", api_reads()
    ),
    Case("api:report_list", lambda w: A(w) + "reports/", api_reads()),
    Case("api:report_detail", lambda w: A(w) + f"reports/{report(w).pk}/", api_reads()),
    Case("api:report_download", lambda w: A(w) + f"reports/{report(w).pk}/download/", api_reads()),
    # the account page of personal access tokens: each user their own
    Case("api_tokens", lambda w: "/account/tokens/", signed_in()),
    Case(
        "api_tokens",
        lambda w: "/account/tokens/",
        signed_in(),
        method="post",
        data=lambda w: {"name": "CI export", "scope": "read", "project": "", "expires_in_days": "30"},
    ),
    Case(
        "api_token_revoke",
        lambda w: f"/account/tokens/{contributor_token(w).pk}/revoke/",
        {**signed_in(404), "anonymous": 302, "contributor": 302},
        method="post",
    ),
]
