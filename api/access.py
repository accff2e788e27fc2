"""The API's door to the kernel's access helper, plus what a token may do.

Every API view that touches a project calls `project_access`: the same get_project_for_user as
the web pages (404 for a non-member, 403 for a role that may not act), then the token's limits —
a token scoped to another project gets 404 (the project does not exist for it), a read-only token
gets 403 on a write.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS

from kernel.access import ProjectAccess, get_project_for_user

from .models import AccessToken


def request_token(request) -> AccessToken | None:
    return request.auth if isinstance(request.auth, AccessToken) else None


def project_access(request, project_id, *, roles=None) -> ProjectAccess:
    token = request_token(request)
    if token is not None and token.project_id is not None and token.project_id != _int(project_id):
        raise Http404(_("No such project."))
    access = get_project_for_user(request, project_id, roles=roles)
    if token is not None and request.method not in SAFE_METHODS and not token.can_write:
        raise PermissionDenied(_("This token may only read."))
    return access


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
