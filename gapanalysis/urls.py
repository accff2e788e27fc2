from django.urls import path

from .views import assessments, filling, templates

app_name = "gapanalysis"

A = "<int:assessment_id>/"

urlpatterns = [
    path("", assessments.assessment_list, name="list"),
    path("new/", assessments.assessment_create, name="create"),
    path("templates/", templates.template_list, name="templates"),
    path("templates/import/", templates.template_import, name="template_import"),
    path("templates/<int:template_id>/export/", templates.template_export, name="template_export"),
    path(A, assessments.assessment_overview, name="overview"),
    path(A + "auditors/", assessments.assessment_auditors, name="auditors"),
    path(A + "finalise/", assessments.assessment_finalise, name="finalise"),
    path(A + "reopen/", assessments.assessment_reopen, name="reopen"),
    path(A + "compare/", assessments.assessment_compare, name="compare"),
    path(A + "export.xlsx", assessments.assessment_export, name="export"),
    path(A + "progress/", filling.progress_panel, name="progress"),
    path(A + "clauses/<str:number>/", filling.clause_page, name="clause"),
    path(A + "responses/<int:response_id>/", filling.response_save, name="response_save"),
    path(A + "responses/<int:response_id>/evidence/", filling.evidence_add, name="evidence_add"),
    path(A + "responses/<int:response_id>/remediation/", filling.remediation_create, name="remediation"),
    path(A + "evidence/<int:evidence_id>/", filling.evidence_download, name="evidence_download"),
    path(A + "evidence/<int:evidence_id>/delete/", filling.evidence_delete, name="evidence_delete"),
]
