from django.urls import path

from . import snapshot_views
from . import views as report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("new/", report_views.report_create, name="create"),
    path("schedule/", report_views.report_schedule, name="schedule"),
    path("export/<slug:key>.xlsx", report_views.export_download, name="export"),
    path("<int:report_id>/status/", report_views.report_status, name="status"),
    path("<int:report_id>/retry/", report_views.report_retry_view, name="retry"),
    path("<int:report_id>/download/", report_views.report_download, name="download"),
    path("register-snapshots/", snapshot_views.snapshot_list, name="snapshot_list"),
    path("register-snapshots/<int:snapshot_id>/excel/", snapshot_views.snapshot_excel, name="snapshot_excel"),
    path("register-snapshots/<int:snapshot_id>/retry/", snapshot_views.snapshot_retry, name="snapshot_retry"),
]
