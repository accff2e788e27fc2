"""Template context for the sign-in pages and the account menu."""

from django.conf import settings


def sign_in(request) -> dict:
    return {"local_login_enabled": settings.LOCAL_LOGIN_ENABLED}
