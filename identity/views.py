"""The sign-in page and the password pages, switched off with LOCAL_LOGIN_ENABLED=0."""

from functools import wraps
from urllib.parse import urlsplit

from allauth.account import views as account_views
from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404


@login_not_required
def login(request, *args, **kwargs):
    """allauth's sign-in; without local login the page offers only the provider, a password POST is 403."""
    if request.method == "POST" and not settings.LOCAL_LOGIN_ENABLED:
        raise PermissionDenied("Password sign-in is switched off; sign in with the identity provider.")
    response = account_views.login(request, *args, **kwargs)
    if origins := provider_origins(request):
        # The SSO button posts here and is redirected to the provider: CSP's form-action covers
        # redirects after a form submission, so the provider's origin must be allowed too.
        response._csp_update = {"form-action": origins}
    return response


def provider_origins(request) -> list[str]:
    apps = get_adapter(request).list_apps(request, provider="openid_connect")
    urls = (urlsplit(app.settings.get("server_url", "")) for app in apps)
    return sorted({f"{url.scheme}://{url.netloc}" for url in urls if url.scheme in ("http", "https")})


def local_login_only(view):
    """Password reset, change and set do not exist while the password login is switched off."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            raise Http404("Passwords are not used here; sign in with the identity provider.")
        return view(request, *args, **kwargs)

    return wrapper
