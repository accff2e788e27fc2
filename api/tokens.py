"""Personal access tokens: creation, revocation and the DRF authentication that checks them.

A token reads `smst_<prefix>_<secret>`: the prefix (12 hex characters) finds the row, the secret
(256 random bits) is compared as SHA-256 in constant time. A fast hash is right here: the secret
is random and long, so there is nothing to brute-force that a slow hash would protect.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import AccessToken, TokenScope

TOKEN_PREFIX = "smst"
EXPIRY_CHOICES = (7, 30, 90, 365)  # days


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    plaintext: str  # shown once, never stored


@transaction.atomic
def token_create(*, user, name: str, scope: str, expires_in_days: int, project=None) -> NewToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose read, or read and write.")})
    if expires_in_days not in EXPIRY_CHOICES:
        raise ValidationError({"expires_in_days": _("Choose one of the listed expiry periods.")})
    if project is not None and not project.memberships.filter(user=user).exists():
        raise ValidationError({"project": _("Choose one of your projects.")})
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = AccessToken(
        user=user,
        name=name[:100],
        prefix=prefix,
        secret_hash=_hash(secret),
        scope=scope,
        project=project,
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, plaintext=f"{TOKEN_PREFIX}_{prefix}_{secret}")


@transaction.atomic
def token_revoke(*, token: AccessToken, user) -> AccessToken:
    """Idempotent: revoking a revoked token changes nothing."""
    token = AccessToken.objects.select_for_update().get(pk=token.pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def _parse(raw: str) -> tuple[str, str] | None:
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def _touch(token: AccessToken, now) -> None:
    """Record the last use at most once a minute (API_TOKEN_TOUCH_SECONDS): no write per request."""
    interval = timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= interval:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer smst_…`. request.auth is the AccessToken (its scope and project are
    checked by api.access)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as `Authorization: Bearer <token>`."))
        try:
            parsed = _parse(header[1].decode("ascii"))
        except UnicodeDecodeError:
            parsed = None
        if parsed is None:
            raise exceptions.AuthenticationFailed(_("The token is malformed."))
        prefix, secret = parsed
        token = AccessToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        now = timezone.now()
        if not token.is_active(now):
            raise exceptions.AuthenticationFailed(_("The token has expired or was revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's account is disabled."))
        _touch(token, now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
