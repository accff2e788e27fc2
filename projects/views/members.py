from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sms_tracker.core.access import get_project_for_user
from sms_tracker.core.formtools import add_validation_error

from .. import selectors, services
from ..forms import MemberAddForm, RoleForm
from ..models import Membership, Role


def _members_page(request, access, form, status=200):
    return render(
        request,
        "projects/members.html",
        {
            "project": access.project,
            "members": selectors.project_members(project=access.project),
            "form": form,
            "roles": Role.choices,
        },
        status=status,
    )


def member_list(request, project_id):
    if request.method == "POST":
        access = get_project_for_user(request, project_id, roles=[Role.LEAD])
        form = MemberAddForm(request.POST, find_user=services.user_find)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["invite_email"]:
                    membership = services.member_invite(
                        project=access.project,
                        email=data["invite_email"],
                        role=data["role"],
                        user=request.user,
                    )
                else:
                    membership = services.membership_add(
                        project=access.project, member=data["member"], role=data["role"], user=request.user
                    )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                invited = " and sent an invitation to choose a password" if data["invite_email"] else ""
                messages.success(
                    request, f"{membership.user.username} added as {membership.get_role_display()}{invited}."
                )
                return redirect("projects:members", project_id)
        return _members_page(request, access, form, status=422)
    access = get_project_for_user(request, project_id)
    form = MemberAddForm(find_user=services.user_find) if access.is_lead else None
    return _members_page(request, access, form)


@require_POST
def member_role(request, project_id, membership_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    membership = get_object_or_404(Membership, pk=membership_id, project=access.project)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the listed roles.")
        return _members_page(request, access, MemberAddForm(find_user=services.user_find), status=422)
    try:
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _members_page(request, access, MemberAddForm(find_user=services.user_find), status=422)
    messages.success(request, f"{membership.user.username} is now {Role(form.cleaned_data['role']).label}.")
    return redirect("projects:members", project_id)


def member_remove(request, project_id, membership_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, project=access.project
    )
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _members_page(request, access, MemberAddForm(find_user=services.user_find), status=422)
        messages.success(request, f"{membership.user.username} removed from the project.")
        return redirect("projects:members", project_id)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": f"Remove {membership.user.username} from the project?",
            "body": "They will no longer see the project. Their tasks stay, unassigned from their view.",
            "confirm_label": "Remove member",
            "cancel_url": reverse("projects:members", args=[project_id]),
        },
    )
