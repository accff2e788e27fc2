from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    AssessmentAuditor,
    ChecklistTemplate,
    Evidence,
    Question,
    Response,
    TemplateClause,
)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version", "standard", "created_at"]
    search_fields = ["name", "slug"]


@admin.register(TemplateClause)
class TemplateClauseAdmin(TranslationAdmin):  # a field per language (docs/i18n.md)
    list_display = ["number", "title", "template", "is_leaf"]
    list_filter = ["template", "is_leaf"]
    search_fields = ["number", "title"]


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ["code", "clause", "documented_information", "template"]
    list_filter = ["template", "documented_information"]
    search_fields = ["code", "text"]


class AuditorInline(admin.TabularInline):
    model = AssessmentAuditor
    extra = 0
    raw_id_fields = ["user", "clause"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "kind", "status", "template", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "project__name"]
    inlines = [AuditorInline]
    raw_id_fields = ["scope_clauses"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["assessment", "question", "result", "answered_by", "answered_at"]
    list_filter = ["result"]
    raw_id_fields = ["assessment", "question", "remediation_tasks"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["response", "filename", "url", "added_by", "created_at"]
    raw_id_fields = ["response"]
