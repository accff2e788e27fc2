"""/api/v1/ — mounted in sms_tracker/urls.py under the "api" namespace.

Every view is exempt from LoginRequiredMiddleware (a redirect to the login page means nothing to a
script): DRF authenticates (token or session) and answers 401 itself. Ids use the bounded `id`
converter; anything that matches no route ends at `not_found`, a problem+json 404 (not HTML)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .converters import IdConverter
from .problems import not_found
from .views import audits, connectors, documents, gap, operation, projects, reports, tasks

register_converter(IdConverter, "id")

from . import register_urls  # noqa: E402  (its routes use the id converter)

app_name = "api"


def api(view, **initkwargs):
    return login_not_required(view.as_view(**initkwargs))


P = "projects/<id:project_id>/"

urlpatterns = [
    path("schema/", api(SpectacularAPIView), name="schema"),
    path("docs/", api(SpectacularSwaggerSplitView, url_name="api:schema"), name="docs"),
    path("projects/", api(projects.ProjectListView), name="project_list"),
    path(P, api(projects.ProjectDetailView), name="project_detail"),
    path(P + "members/", api(projects.MemberListView), name="member_list"),
    path(P + "phases/", api(projects.PhaseListView), name="phase_list"),
    path(P + "readiness/", api(projects.ReadinessView), name="readiness"),
    path(P + "tasks/", api(tasks.TaskListView), name="task_list"),
    path(P + "tasks/<id:pk>/", api(tasks.TaskDetailView), name="task_detail"),
    path(P + "tasks/<id:pk>/complete/", api(tasks.TaskCompleteView), name="task_complete"),
    path(P + "assessments/", api(gap.AssessmentListView), name="assessment_list"),
    path(P + "assessments/<id:pk>/", api(gap.AssessmentDetailView), name="assessment_detail"),
    path(P + "assessments/<id:assessment_id>/answers/", api(gap.AnswerListView), name="answer_list"),
    path(
        P + "assessments/<id:assessment_id>/answers/<id:pk>/",
        api(gap.AnswerDetailView),
        name="answer_detail",
    ),
    path(
        P + "assessments/<id:assessment_id>/answers/<id:response_id>/evidence/",
        api(gap.EvidenceListView),
        name="evidence_list",
    ),
    path(P + "documents/", api(documents.DocumentListView), name="document_list"),
    path(P + "documents/<id:pk>/", api(documents.DocumentDetailView), name="document_detail"),
    path(P + "documents/<id:pk>/versions/", api(documents.VersionCreateView), name="version_create"),
    path(
        P + "documents/<id:pk>/versions/<id:version_id>/download/",
        api(documents.VersionDownloadView),
        name="version_download",
    ),
    path(P + "operation/processes/", api(operation.ProcessListView), name="operation_process_list"),
    path(P + "operation/entries/", api(operation.EntryListView), name="operation_entry_list"),
    path(P + "operation/entries/<id:pk>/", api(operation.EntryDetailView), name="operation_entry_detail"),
    path(
        P + "operation/entries/<id:pk>/download/",
        api(operation.EntryDownloadView),
        name="operation_entry_download",
    ),
    path(P + "audits/", api(audits.AuditListView), name="audit_list"),
    path(P + "audits/<id:pk>/", api(audits.AuditDetailView), name="audit_detail"),
    path(P + "findings/", api(audits.FindingListView), name="finding_list"),
    path(P + "findings/<id:pk>/", api(audits.FindingDetailView), name="finding_detail"),
    path(P + "corrective-actions/", api(audits.CorrectiveActionListView), name="action_list"),
    path(P + "reports/", api(reports.ReportListView), name="report_list"),
    path(P + "reports/<id:pk>/", api(reports.ReportDetailView), name="report_detail"),
    path(P + "reports/<id:pk>/download/", api(reports.ReportDownloadView), name="report_download"),
    *register_urls.urlpatterns,  # the registers (views/registers.py)
    path(P + "connectors/", api(connectors.ConnectorListView), name="connector_list"),
    path(P + "connectors/populations/", api(connectors.PopulationListView), name="population_list"),
    path(
        P + "connectors/populations/<id:population_id>/",
        api(connectors.PopulationDetailView),
        name="population_detail",
    ),
    path(P + "connectors/samples/", api(connectors.SampleListView), name="sample_list"),
    path(P + "connectors/samples/<id:sample_id>/", api(connectors.SampleDetailView), name="sample_detail"),
    path(P + "connectors/<id:connector_id>/", api(connectors.ConnectorDetailView), name="connector_detail"),
    path(P + "connectors/<id:connector_id>/sync/", api(connectors.ConnectorSyncView), name="connector_sync"),
    path(P + "connectors/<id:connector_id>/runs/", api(connectors.SyncRunListView), name="sync_run_list"),
    path(
        P + "connectors/<id:connector_id>/runs/<id:run_id>/",
        api(connectors.SyncRunDetailView),
        name="sync_run_detail",
    ),
    re_path(r"", login_not_required(not_found), name="not_found"),  # last: every other /api/v1/ path
]
