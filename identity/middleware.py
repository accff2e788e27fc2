"""Turns MFARequired raised by a page's access check into a visit to the TOTP setup."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import MFARequired


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MFARequired):
            return None
        messages.warning(
            request,
            _(
                "“%(project)s” requires two-factor authentication. Set up an authenticator app "
                "here (or add a security key on the two-factor page), then open the project again."
            )
            % {"project": exception.project},
        )
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("mfa_activate_totp")
            return response
        return redirect("mfa_activate_totp")
