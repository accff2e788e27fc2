from django.urls import path

from .operation import views as operation
from .views import documents, register, versions

app_name = "documents"

D = "<int:document_id>/"
V = D + "versions/<int:version_id>/"
P = "operation/<slug:process_slug>/"
E = P + "entries/<int:entry_id>/"

urlpatterns = [
    path("", register.register, name="register"),
    path("export.xlsx", register.register_export, name="export"),
    path("new/", documents.document_create, name="create"),
    path(D, documents.document_detail, name="detail"),
    path(D + "edit/", documents.document_edit, name="edit"),
    path(D + "obsolete/", documents.document_obsolete, name="obsolete"),
    path(D + "approver/", documents.approver_change, name="approver"),
    path(D + "review/", documents.review_record, name="review"),
    path(D + "versions/new/", versions.version_create, name="version_create"),
    path(V + "submit/", versions.version_submit, name="version_submit"),
    path(V + "approve/", versions.version_approve, name="version_approve"),
    path(V + "return/", versions.version_return, name="version_return"),
    path(V + "download/", versions.version_download, name="version_download"),
    path("operation/", operation.operation, name="operation"),
    path(P, operation.process_detail, name="operation_process"),
    path(P + "edit/", operation.process_edit, name="operation_process_edit"),
    path(P + "entries/new/", operation.entry_create, name="operation_entry_create"),
    path(E + "edit/", operation.entry_edit, name="operation_entry_edit"),
    path(E + "delete/", operation.entry_delete, name="operation_entry_delete"),
    path(E + "download/", operation.entry_download, name="operation_entry_download"),
    path(E + "accept/", operation.entry_accept, name="operation_entry_accept"),
]
