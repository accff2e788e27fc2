"""A project can require MFA of its members (Project.require_mfa, set by the lead).

Who satisfies it:
- a user with TOTP set up (allauth then asks for the code at every password sign-in);
- a session signed in through the identity provider: the organisation's provider is responsible for
  the second factor of its people (it usually enforces one; we cannot see it);
- an API token: its owner has TOTP set up or an account linked to the identity provider.
Anyone else gets MFARequired: pages send them to the TOTP setup with a message (middleware.py), the
API answers 403 with a problem detail.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import PermissionDenied

MESSAGE = "This project requires two-factor authentication: set up an authenticator app to open it."


class MFARequired(PermissionDenied):
    def __init__(self, project):
        super().__init__(MESSAGE)
        self.project = project


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def signed_in_through_provider(request) -> bool:
    records = get_authentication_records(request, request.user) if hasattr(request, "session") else []
    return any(record.get("method") == "socialaccount" for record in records)


def mfa_satisfied(request, user) -> bool:
    if has_totp(user):
        return True
    if getattr(request, "auth", None) is not None:  # an API token (DRF sets request.auth)
        return SocialAccount.objects.filter(user=user).exists()
    return signed_in_through_provider(request)


def check_project_mfa(request, project) -> None:
    if project.require_mfa and not mfa_satisfied(request, request.user):
        raise MFARequired(project)
