"""The demo's API tokens: the account page of "lead" shows one in use and one revoked. Their
secrets are thrown away at once (a token is shown only when made), so they open nothing."""

from datetime import timedelta

from django.utils import timezone

from .models import AccessToken
from .tokens import token_create, token_revoke


def seed_api_tokens(project, users) -> None:
    lead = users["lead"]
    if AccessToken.objects.filter(user=lead).exists():
        return
    sync = token_create(
        user=lead, name="Nightly ITSM sync", scope="write", expires_in_days=90, project=project
    )
    AccessToken.objects.filter(pk=sync.token.pk).update(last_used_at=timezone.now() - timedelta(hours=7))
    old = token_create(user=lead, name="Old reporting script", scope="read", expires_in_days=30)
    token_revoke(token=old.token, user=lead)
