from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Membership, Milestone, Phase, Project, Task


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "target_certification_date", "progress"]
    search_fields = ["name", "organisation"]
    inlines = [MembershipInline]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["project", "key", "title", "status", "planned_start", "planned_end", "progress"]
    list_filter = ["status"]
    list_select_related = ["project"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "phase", "assignee", "due_date", "status"]
    list_filter = ["status", "priority"]
    search_fields = ["title"]
    list_select_related = ["project", "phase", "assignee"]


admin.site.register(Milestone)
admin.site.register(Activity)
