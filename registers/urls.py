from django.urls import path

from .kinds import KINDS, LISTED
from .views import context, entries, io

app_name = "registers"


def _top_level(kind):
    k = KINDS[kind]
    base, one = f"{k.key}/", f"{k.key}/<int:pk>/"
    arg = {"kind": kind}
    return [
        path(base, entries.entry_list, arg, name=f"{k.name}_list"),
        path(base + "export.xlsx", io.entry_export, {**arg, "fmt": "xlsx"}, name=f"{k.name}_export"),
        path(base + "export.csv", io.entry_export, {**arg, "fmt": "csv"}, name=f"{k.name}_export_csv"),
        path(base + "import/", io.entry_import, arg, name=f"{k.name}_import"),
        path(base + "new/", entries.entry_create, arg, name=f"{k.name}_create"),
        path(one, entries.entry_detail, arg, name=f"{k.name}_detail"),
        path(one + "edit/", entries.entry_edit, arg, name=f"{k.name}_edit"),
        path(one + "delete/", entries.entry_delete, arg, name=f"{k.name}_delete"),
    ]


def _child(kind, *, detail: bool):
    k = KINDS[kind]
    parent = KINDS[k.parent]
    one = f"{k.key}/<int:pk>/"
    arg = {"kind": kind}
    patterns = [
        path(
            f"{parent.key}/<int:parent_id>/{k.key}/new/", entries.entry_create, arg, name=f"{k.name}_create"
        ),
        path(one + "edit/", entries.entry_edit, arg, name=f"{k.name}_edit"),
        path(one + "delete/", entries.entry_delete, arg, name=f"{k.name}_delete"),
    ]
    if detail:
        patterns.append(path(one, entries.entry_detail, arg, name=f"{k.name}_detail"))
    return patterns


urlpatterns = [
    path("", context.overview, name="overview"),
    path("context/", context.context, name="context"),
    path("context/edit/", context.context_edit, name="context_edit"),
    *[p for kind in LISTED for p in _top_level(kind)],
    *_child("targets", detail=True),
    *_child("actuals", detail=False),
    # every SLA month of the project at once, beside the catalogue
    path("actuals/export.xlsx", io.entry_export, {"kind": "actuals", "fmt": "xlsx"}, name="actual_export"),
    path("actuals/export.csv", io.entry_export, {"kind": "actuals", "fmt": "csv"}, name="actual_export_csv"),
    path("actuals/import/", io.entry_import, {"kind": "actuals"}, name="actual_import"),
    *_child("measurements", detail=False),
]
