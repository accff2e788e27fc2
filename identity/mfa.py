"""A project can require MFA of its members (Project.require_mfa, set by the lead).

Who satisfies it:
- a user with TOTP or a security key / passkey (WebAuthn) set up: allauth then asks for a code or the
  key at every password sign-in;
- a session signed in through the identity provider: the organisation's provider is responsible for
  the second factor of its people (it usually enforces one; we cannot see it);
- an API token: its owner has such an authenticator or an account linked to the identity provider.
Anyone else gets MFARequired: pages send them to the TOTP setup with a message (middleware.py), the
API answers 403 with a problem detail. Lists across projects (the project list, My work, the calendar
feed, the API's project list) leave such a project out (`hidden_projects`): nothing of it shows.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

MESSAGE = _(
    "This project requires two-factor authentication: set up an authenticator app or a security key "
    "to open it."
)
# Authenticators that are a second factor; recovery codes only stand in for one of these.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class MFARequired(PermissionDenied):
    def __init__(self, project):
        super().__init__(MESSAGE)
        self.project = project


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def signed_in_through_provider(request) -> bool:
    records = get_authentication_records(request, request.user) if hasattr(request, "session") else []
    return any(record.get("method") == "socialaccount" for record in records)


def mfa_satisfied(request, user) -> bool:
    if has_second_factor(user):
        return True
    if getattr(request, "auth", None) is not None:  # an API token (DRF sets request.auth)
        return SocialAccount.objects.filter(user=user).exists()
    return signed_in_through_provider(request)


def check_project_mfa(request, project) -> None:
    if project.require_mfa and not mfa_satisfied(request, request.user):
        raise MFARequired(project)


def hidden_projects(request, user=None):
    """The user's projects that require MFA this request does not satisfy, as a subquery of project
    ids for `.exclude(project__in=...)`: no extra query, the check is part of the list's own.

    Same rules as mfa_satisfied: a session signed in through the identity provider hides nothing; a
    request without a session (`request` None: the calendar feed, whose URL is the credential) or
    with an API token counts a linked provider account as well as a second factor.
    """
    user = user if user is not None else request.user
    memberships = apps.get_model("projects", "Membership").objects
    token = request is None or getattr(request, "auth", None) is not None
    if not token and signed_in_through_provider(request):
        return memberships.none().values("project_id")
    rows = memberships.filter(user_id=user.pk, project__require_mfa=True).filter(
        ~Exists(Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS))
    )
    if token:
        rows = rows.filter(~Exists(SocialAccount.objects.filter(user_id=user.pk)))
    return rows.values("project_id")


def memberships_mfa_keeps_out_of_mail():
    """Memberships of projects that require MFA whose user satisfies it neither with a second factor
    nor with an account at the identity provider: e-mail (reminder digests, the monthly report)
    carries nothing of such a project to them, as the calendar feed shows nothing of it. One queryset,
    for `.exclude(...)` or a set of (user_id, project_id)."""
    memberships = apps.get_model("projects", "Membership").objects
    return memberships.filter(project__require_mfa=True).filter(
        ~Exists(Authenticator.objects.filter(user_id=OuterRef("user_id"), type__in=SECOND_FACTORS)),
        ~Exists(SocialAccount.objects.filter(user_id=OuterRef("user_id"))),
    )
