from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("programme/edit/", views.programme_edit, name="programme_edit"),
    path("programme/decision/", views.certification_decision, name="certification_decision"),
    path("new/", views.audit_create, name="audit_create"),
    path("<int:audit_id>/", views.audit_detail, name="audit_detail"),
    path("<int:audit_id>/edit/", views.audit_edit, name="audit_edit"),
    path("<int:audit_id>/advance/", views.audit_advance, name="audit_advance"),
    path("<int:audit_id>/delete/", views.audit_delete, name="audit_delete"),
    path("<int:audit_id>/findings/new/", views.finding_create, name="finding_create"),
    path("findings/", views.finding_list, name="finding_list"),
    path("nonconformities/new/", views.nonconformity_create, name="nonconformity_create"),
    path("competence/", views.competence_list, name="competence_list"),
    path("competence/new/", views.competence_create, name="competence_create"),
    path("competence/<int:line_id>/delete/", views.competence_delete, name="competence_delete"),
    path("findings/<int:finding_id>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:finding_id>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:finding_id>/respond/", views.finding_respond, name="finding_respond"),
    path("findings/<int:finding_id>/actions/new/", views.action_create, name="action_create"),
    path(
        "findings/<int:finding_id>/improvement/",
        views.improvement_from_finding,
        name="improvement_from_finding",
    ),
    path("actions/<int:action_id>/implement/", views.action_implement, name="action_implement"),
    path("actions/<int:action_id>/verify/", views.action_verify, name="action_verify"),
    path("improvements/", views.improvement_list, name="improvement_list"),
    path("improvements/new/", views.improvement_create, name="improvement_create"),
    path("improvements/<int:improvement_id>/edit/", views.improvement_edit, name="improvement_edit"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:review_id>/", views.review_detail, name="review_detail"),
    path("reviews/<int:review_id>/edit/", views.review_edit, name="review_edit"),
    path(
        "reviews/<int:review_id>/sections/<int:section_id>/",
        views.review_section_edit,
        name="review_section_edit",
    ),
    path("reviews/<int:review_id>/prefill/", views.review_prefill, name="review_prefill"),
    path("reviews/<int:review_id>/actions/new/", views.review_action_create, name="review_action_create"),
    path("reviews/<int:review_id>/finalise/", views.review_finalise, name="review_finalise"),
    path("reviews/<int:review_id>/outputs/new/", views.review_output_create, name="review_output_create"),
    path(
        "reviews/<int:review_id>/outputs/<int:output_id>/task/",
        views.review_output_task,
        name="review_output_task",
    ),
    path("readiness/", views.readiness, name="readiness"),
]
