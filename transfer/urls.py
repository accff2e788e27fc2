from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    path("projects/import/", views.import_page, name="import"),
    path("projects/<int:project_id>/export/", views.export_page, name="export"),
    path("projects/<int:project_id>/export/archive/", views.export_download, name="download"),
]
