from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Document, DocumentReview, DocumentVersion, VersionTransition


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ("number", "status", "author", "approved_by", "approved_at", "file", "link")
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "project", "doc_type", "status", "owner", "approver", "next_review_date")
    list_filter = ("status", "doc_type")
    search_fields = ("code", "title")
    raw_id_fields = ("project", "owner", "approver", "current_version", "latest_version")
    inlines = [VersionInline]


@admin.register(VersionTransition)
class VersionTransitionAdmin(admin.ModelAdmin):
    list_display = ("version", "from_status", "to_status", "actor", "at")
    raw_id_fields = ("version", "actor")


@admin.register(DocumentReview)
class DocumentReviewAdmin(admin.ModelAdmin):
    list_display = ("document", "outcome", "reviewed_by", "reviewed_at", "next_review_date")
    raw_id_fields = ("document", "version", "reviewed_by")
