"""Operators' view of the background work: reports and the outbox (what was sent, what failed)."""

from django.contrib import admin

from .models import NotificationPreference, OutboxMessage, Report, ReportSchedule


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "project", "kind", "status", "trigger", "page_count", "attempts", "created_at")
    list_filter = ("status", "kind", "trigger")
    search_fields = ("project__name", "title", "error")
    readonly_fields = [f.name for f in Report._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "to_email", "day", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "day")
    search_fields = ("to_email", "subject")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ("project", "enabled", "day_of_month", "last_run_month")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "digest_enabled", "calendar_token_created_at")
    exclude = ("calendar_token",)
