"""Operators' view of the reports: what was rendered, what failed, and the monthly schedules."""

from django.contrib import admin

from .models import Report, ReportSchedule


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "project", "kind", "status", "trigger", "page_count", "attempts", "created_at")
    list_filter = ("status", "kind", "trigger")
    search_fields = ("project__name", "title", "error")
    readonly_fields = [f.name for f in Report._meta.fields]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ("project", "enabled", "day_of_month", "last_run_month")
