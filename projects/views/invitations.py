"""The invitations of the signed-in person: accept (join the project) or decline.

These pages are outside any project: the person is not a member yet. Only the invited person
sees or answers an invitation; anyone else gets 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import invitations
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
    messages.success(request, f"You joined “{invitation.project}” as {membership.get_role_display()}.")
    return redirect(invitation.project)


@require_POST
def invitation_decline(request, invitation_id):
    invitation = _mine(request, invitation_id)
    try:
        invitations.invitation_decline(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You declined the invitation to “{invitation.project}”.")
    return redirect("projects:invitations")
