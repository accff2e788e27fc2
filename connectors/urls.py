from django.urls import path

from . import views

app_name = "connectors"

urlpatterns = [
    path("", views.connector_list, name="list"),
    path("new/", views.connector_create, name="create"),
    path("<int:connector_id>/", views.connector_detail, name="detail"),
    path("<int:connector_id>/progress/", views.connector_progress, name="progress"),
    path("<int:connector_id>/tickets.xlsx", views.tickets_export, name="export"),
    path("<int:connector_id>/edit/", views.connector_edit, name="edit"),
    path("<int:connector_id>/delete/", views.connector_delete, name="delete"),
    path("<int:connector_id>/test/", views.connector_test, name="test"),
    path("<int:connector_id>/sync/", views.connector_sync, name="sync"),
    path("<int:connector_id>/import/", views.import_upload, name="import"),
    path("<int:connector_id>/import/map/", views.import_map, name="import_map"),
]
