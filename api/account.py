"""The account page of personal access tokens: create (shown once), list with last use, revoke."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kernel.access import hidden_projects
from kernel.formtools import add_validation_error
from projects.selectors import project_list

from . import tokens as services
from .models import AccessToken, TokenScope
from .tokens import EXPIRY_CHOICES


def _days_label(days: int) -> str:
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text=gettext_lazy("What uses it, e.g. “weekly export script”.")
    )
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ)
    project = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All my projects"),
        help_text=gettext_lazy("Limit the token to one project."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"),
        coerce=int,
        choices=[(days, lazy(_days_label, str)(days)) for days in EXPIRY_CHOICES],
        initial=90,
    )

    def __init__(self, *args, user, hidden, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_list(user=user, hidden=hidden)


@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None, user=request.user, hidden=hidden_projects(request))
    created, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.token_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                form = TokenForm(user=request.user, hidden=hidden_projects(request))
        if created is None:
            status = 422
    tokens = AccessToken.objects.filter(user=request.user).select_related("project")
    # A token of a project that requires MFA the user has not set up: the project is not named.
    tokens = tokens.annotate(project_hidden=Q(project__in=hidden_projects(request)))
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "created": created},
        status=status,
    )


@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(AccessToken, pk=token_id, user=request.user)
    services.token_revoke(token=token, user=request.user)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens")
