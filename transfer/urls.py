from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    path("projects/import/", views.import_page, name="import"),
    path("projects/import/<int:job_id>/", views.import_job, name="job"),
    path("projects/import/<int:job_id>/progress/", views.import_job_progress, name="job_progress"),
    path("projects/import/<int:job_id>/people/", views.import_people, name="people"),
    path("projects/<int:project_id>/export/", views.export_page, name="export"),
    path("projects/<int:project_id>/export/archive/", views.export_download, name="download"),
]
