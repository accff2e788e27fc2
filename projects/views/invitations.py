"""The invitations of the signed-in person: accept (join the project) or decline.

These pages are outside any project: the person is not a member yet. Only the invited person
sees or answers an invitation; anyone else gets 404. A person invited without an account answers
through the e-mail's link instead (`invitation_join`): their account cannot sign in before.
"""

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import invitations
from ..forms import JoinNameForm
from ..models import Invitation, InvitationStatus


@require_GET
def invitation_list(request):
    return render(
        request, "projects/invitations.html", {"invitations": invitations.pending_for_user(request.user)}
    )


def _mine(request, invitation_id) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("project"),
        pk=invitation_id,
        user=request.user,
        status=InvitationStatus.PENDING,
    )


@require_POST
def invitation_accept(request, invitation_id):
    invitation = _mine(request, invitation_id)
    try:
        membership = invitations.invitation_accept(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:invitations")
    messages.success(
        request,
        _("You joined “%(project)s” as %(role)s.")
        % {"project": invitation.project, "role": membership.get_role_display()},
    )
    return redirect(invitation.project)


@require_POST
def invitation_decline(request, invitation_id):
    invitation = _mine(request, invitation_id)
    try:
        invitations.invitation_decline(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You declined the invitation to “%(project)s”.") % {"project": invitation.project}
        )
    return redirect("projects:invitations")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_join(request, invitation_id, token):
    """The e-mail's link for a new account: accept (choosing the password) or decline. The link is
    the credential; a bad or used link, or an invitation already answered, is 404."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("project", "invited_by", "user"),
        pk=invitation_id,
        status=InvitationStatus.PENDING,
    )
    account = invitation.user
    if not invitations.awaiting_first_acceptance(account) or not invitations.token_valid(account, token):
        raise Http404("This link no longer works.")
    form = SetPasswordForm(account, request.POST or None) if settings.LOCAL_LOGIN_ENABLED else None
    name_form = JoinNameForm(request.POST or None, prefix="name")
    if form is None:  # the identity provider gives the name at the first sign-in
        name_form.fields["first_name"].required = False
    if request.method == "POST" and request.POST.get("answer") == "decline":
        invitations.invitation_join_decline(invitation=invitation, token=token)
        messages.success(
            request, _("You declined the invitation to “%(project)s”.") % {"project": invitation.project}
        )
        return redirect("account_login")
    if request.method == "POST" and name_form.is_valid() and (form is None or form.is_valid()):
        password = form.cleaned_data["new_password1"] if form is not None else None
        try:
            invitations.invitation_join(
                invitation=invitation, token=token, password=password, **name_form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            raise Http404("This link no longer works.") from None
        if password is None:  # sign-in is through the identity provider only
            messages.success(
                request, _("You joined “%(project)s”. Sign in to open it.") % {"project": invitation.project}
            )
            return redirect("account_login")
        # The password was chosen seconds ago on a page only the link opens: signed in right away.
        _sign_in_after_joining(request, account)
        messages.success(request, _("You joined “%(project)s”.") % {"project": invitation.project})
        return redirect(invitation.project)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "projects/invitation_join.html",
        {"invitation": invitation, "form": form, "name_form": name_form},
        status=status,
    )


def _sign_in_after_joining(request, account) -> None:
    account.refresh_from_db()  # the new password's hash, so the session's auth hash matches it
    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    # Recorded as allauth records a password sign-in (the two-factor pages count it as recent).
    record_authentication(request, account, method="password", username=account.username)
