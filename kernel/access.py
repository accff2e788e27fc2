"""The one access helper every project view goes through.

A user who is not a member of the project gets 404 (the project does not exist for them);
a member whose role may not do the action gets 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from .models import Role

# The kernel imports no app: the membership model is looked up by name, like AUTH_USER_MODEL.
MEMBERSHIP_MODEL = "projects.Membership"


@dataclass(frozen=True)
class ProjectAccess:
    project: object  # projects.Project
    membership: object  # projects.Membership

    @property
    def user(self):
        return self.membership.user

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def require(self, allowed: bool) -> None:
        """Raise 403 unless the member may act; views call it for object-level rules."""
        if not allowed:
            raise PermissionDenied


# The policy for projects that require MFA (Project.require_mfa), provided by the identity app in its
# ready() (identity/mfa.py: `check_project_mfa(request, project)`, `hidden_projects(request, user)`).
# The kernel names what it needs and imports no app.
_mfa_policy = None


def use_mfa_policy(policy) -> None:
    global _mfa_policy
    _mfa_policy = policy


def _mfa():
    if _mfa_policy is None:  # refuse rather than let a project that requires MFA open without it
        raise ImproperlyConfigured("No installed app provides the MFA policy (identity).")
    return _mfa_policy


def get_project_for_user(request, project_id, *, roles: Iterable[str] | None = None) -> ProjectAccess:
    user = request.user
    if not user.is_authenticated:
        raise Http404
    model = apps.get_model(MEMBERSHIP_MODEL)
    try:
        # get(), not first(): one membership per user and project, and no ORDER BY to join for.
        membership = model.objects.select_related("project").get(project_id=project_id, user_id=user.pk)
    except model.DoesNotExist:
        raise Http404("No such project.") from None
    membership.user = user  # the signed-in user, already loaded by the session: no join for it
    access = ProjectAccess(project=membership.project, membership=membership)
    if membership.project.require_mfa:  # members without MFA are sent to set it up (identity/mfa.py)
        _mfa().check_project_mfa(request, membership.project)
    if roles is not None and membership.role not in set(roles):
        raise PermissionDenied
    request.project_access = access
    return access


def require_project_mfa(request, project) -> None:
    """For views that reach a project without a membership check of their own (e.g. the importer's
    job page): a project that requires MFA refuses a user without it, as get_project_for_user does."""
    if project is not None and project.require_mfa:
        _mfa().check_project_mfa(request, project)


def request_satisfies_mfa(request) -> bool:
    """Whether this signed-in request would pass a project's MFA requirement (identity/mfa.py): the
    lead's settings page asks before the lead requires MFA and locks themselves out."""
    return _mfa().mfa_satisfied(request, request.user)


def hidden_projects(request, user=None):
    """Project ids every list across the user's projects leaves out: those that require MFA the
    request does not satisfy (identity/mfa.py). A subquery, for `exclude(project__in=...)`.
    `request` None is a request without a session (the calendar feed): `user` is then whose it is."""
    return _mfa().hidden_projects(request, user)


def project_context(request) -> dict:
    """Template context: the current project's access, for navigation and buttons."""
    return {"access": getattr(request, "project_access", None)}
