"""Each person's language: chosen with the picker, else the browser's (issue 25 §1).

LocaleMiddleware picks the language from the cookie set_language leaves, else Accept-Language.
A signed-in person's own choice wins over both: it is copied into the session when they sign in and
when they choose, so UserLanguageMiddleware applies it on each request without a query. E-mails and
scheduled PDFs read the stored choice (kernel/i18n.py).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kernel.i18n import supported

from .models import LanguagePreference

SESSION_KEY = "sms_language"


class UserLanguageMiddleware:
    """After LocaleMiddleware: the signed-in person's chosen language, when they chose one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = supported(session.get(SESSION_KEY)) if session is not None else None
        if language and request.user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@transaction.atomic
def language_choose(*, user, language: str) -> LanguagePreference:
    """Store `user`'s language ("" goes back to the browser's)."""
    preference, _ = LanguagePreference.objects.select_for_update().get_or_create(user=user)
    preference.language = language
    preference.full_clean()
    preference.save()
    return preference


@login_not_required  # the sign-in page offers the picker too (then only the cookie remembers it)
@require_POST
def set_language(request):
    """Django's set_language (cookie, safe redirect to `next`), and for a signed-in person the stored
    choice and the session. An empty language goes back to the browser's."""
    code = request.POST.get("language", "")
    if code and code not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(gettext("Unknown language."))
    if request.user.is_authenticated:
        language_choose(user=request.user, language=code)
        if code:
            request.session[SESSION_KEY] = code
        else:
            request.session.pop(SESSION_KEY, None)
    if not code:
        response = django_set_language(request)  # redirects; no language: no cookie is set
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return django_set_language(request)


def _remember_on_sign_in(sender, request, user, **kwargs):
    chosen = LanguagePreference.objects.filter(user=user).exclude(language="")
    language = chosen.values_list("language", flat=True).first()
    if language:
        request.session[SESSION_KEY] = language


def connect_signals():
    user_logged_in.connect(_remember_on_sign_in, dispatch_uid="identity.languages.sign_in")
