"""The registers' API routes (issue 23 §1), added to /api/v1/ (api/urls.py) before its
catch-all: one list and one detail route per register kind, children under their parent."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from registers.kinds import KINDS

from .views.registers import ContextView, detail_view, list_view

P = "projects/<id:project_id>/registers/"
PARENT_SEGMENT = {"targets": "services", "actuals": "targets", "measurements": "objectives"}


def _api(view):
    return login_not_required(view.as_view())


def _patterns():
    patterns = [path(P + "context/", _api(ContextView), name="register_context")]
    for kind in KINDS.values():
        if kind.parent:
            parent = KINDS[kind.parent]
            route = P + f"{parent.key}/<id:parent_id>/{kind.key}/"
        else:
            route = P + f"{kind.key}/"
        patterns.append(path(route, _api(list_view(kind)), name=f"register_{kind.name}_list"))
        patterns.append(
            path(P + f"{kind.key}/<id:pk>/", _api(detail_view(kind)), name=f"register_{kind.name}_detail")
        )
    return patterns


urlpatterns = _patterns()
