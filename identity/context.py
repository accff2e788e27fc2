"""Template context for the sign-in pages and the account menu."""

from django.conf import settings


def sign_in(request) -> dict:
    return {"local_login_enabled": settings.LOCAL_LOGIN_ENABLED, "mfa_by_provider": _by_provider(request)}


def _by_provider(request) -> bool:
    """Whether this session meets a project's MFA requirement through the identity provider. Lists
    across projects depend on it (identity/mfa.py) while their queries do not show it,
    so their cached parts carry it in their key."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    from .mfa import signed_in_through_provider

    return signed_in_through_provider(request)


def language_choice(request) -> dict:
    """What the language picker shows as chosen: the signed-in person's choice, else the cookie's,
    else "" (the browser's language)."""
    from .languages import SESSION_KEY

    session = getattr(request, "session", None)
    chosen = (session.get(SESSION_KEY) if session is not None else None) or request.COOKIES.get(
        settings.LANGUAGE_COOKIE_NAME, ""
    )
    return {"chosen_language": chosen if chosen in dict(settings.LANGUAGES) else ""}
