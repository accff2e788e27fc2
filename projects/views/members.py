from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error

from .. import invitations, selectors, services
from ..forms import MemberAddForm, MemberRemoveForm, RoleForm
from ..models import Invitation, Membership, Role
from ..responsibilities import held_by


def _members_page(request, access, form, status=200):
    project = access.project
    # Read inside the template's cached part (kernel/pagecache.py): on a hit the members
    # and the invitations are not read. A form with errors (a POST) is never served from the cache.
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "members": selectors.project_members(project=project),
            "invitations": pagecache.lazy(lambda: invitations.pending_for_project(project))
            if access.is_lead
            else [],
            "form": form,
            "roles": Role.choices,
        },
        status=status,
    )


def member_list(request, project_id):
    if request.method == "POST":
        access = get_project_for_user(request, project_id, roles=[Role.LEAD])
        form = MemberAddForm(request.POST)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = invitations.invitation_create(
                    project=access.project, email=data["identifier"], role=data["role"], user=request.user
                )
            except invitations.InvitationLimited as error:
                add_validation_error(form, error)
                status = 429
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Invitation to %(email)s as %(role)s recorded. "
                        "They join the project when they accept it."
                    )
                    % {"email": invitation.email, "role": invitation.get_role_display()},
                )
                return redirect("projects:members", project_id)
        return _members_page(request, access, form, status=status)
    access = get_project_for_user(request, project_id)
    form = MemberAddForm() if access.is_lead else None
    return _members_page(request, access, form)


@require_POST
def invitation_withdraw(request, project_id, invitation_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    invitation = get_object_or_404(Invitation, pk=invitation_id, project=access.project)
    try:
        invitations.invitation_withdraw(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _members_page(request, access, MemberAddForm(), status=409)
    messages.success(request, _("The invitation of %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("projects:members", project_id)


@require_POST
def member_role(request, project_id, membership_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    membership = get_object_or_404(Membership, pk=membership_id, project=access.project)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
        return _members_page(request, access, MemberAddForm(), status=422)
    try:
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _members_page(request, access, MemberAddForm(), status=422)
    messages.success(
        request,
        _("%(username)s is now %(role)s.")
        % {"username": membership.user.username, "role": Role(form.cleaned_data["role"]).label},
    )
    return redirect("projects:members", project_id)


def member_remove(request, project_id, membership_id):
    """Show what the member holds, then remove them and hand it over to the chosen lead."""
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, project=access.project
    )
    member = membership.user
    initial = {"successor": request.user.pk} if request.user.pk != member.pk else {}
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = MemberRemoveForm(data, project=access.project, member=member, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                moved = services.membership_remove(
                    membership=membership, user=request.user, successor=form.cleaned_data["successor"]
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):  # e.g. the last lead: not a form problem
                    messages.error(request, " ".join(error.messages))
                    return _members_page(request, access, MemberAddForm(), status=422)
                add_validation_error(form, error)
            else:
                handed = ", ".join(f"{label.lower()} ({count})" for label, count in moved)
                successor = form.cleaned_data["successor"]
                removed = _("%(username)s removed from the project.") % {"username": member.username}
                if moved:
                    took_over = _("%(username)s took over: %(handed)s.")
                    removed += " " + took_over % {"username": successor.username, "handed": handed}
                messages.success(request, removed)
                return redirect("projects:members", project_id)
        status = 422
    return render(
        request,
        "projects/member_remove.html",
        {
            "project": access.project,
            "member": member,
            "held": held_by(access.project, member),
            "form": form,
        },
        status=status,
    )
