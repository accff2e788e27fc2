"""Operators' view of the e-mail outbox (what was sent, what failed) and the preferences."""

from django.contrib import admin

from .models import NotificationPreference, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "to_email", "day", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "day")
    search_fields = ("to_email", "subject")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "digest_enabled", "calendar_token_created_at")
    exclude = ("calendar_token",)
