from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.formtools import (
    CONFLICT_MESSAGE,
    add_validation_error,
    conflict_form,
    flag_conflict,
    versioned_edit,
)
from kernel.history import history_entries

from .. import selectors, services
from ..forms import (
    ActionForm,
    ActionImplementForm,
    ActionVerifyForm,
    FindingForm,
    FindingResponseForm,
    ImprovementForm,
)
from ..grading import grade_rules, needs_certification_body_verification, rule_due_date, rule_for
from ..models import (
    IMPROVEMENT_GRADES,
    OPEN_FINDING_STATUSES,
    Audit,
    CorrectiveAction,
    Grade,
    Improvement,
    ImprovementStatus,
)
from ..permissions import (
    can_edit_finding,
    can_edit_improvement,
    can_propose_improvement,
    can_record_findings,
    can_respond_to_finding,
    can_verify_action,
    can_work_on_action,
)
from .common import form_page, int_or_zero

PAGE_SIZE = 25  # rows of a list page: what one screen shows, and a cheap page to serve


def finding_list(request, project_id):
    access = get_project_for_user(request, project_id)
    findings = selectors.finding_list(access.project).order_by("-number")
    grade = request.GET.get("grade", "")
    show = request.GET.get("show", "open")
    if grade in Grade.values:
        findings = findings.filter(grade=grade)
    if show == "open":
        findings = findings.filter(status__in=OPEN_FINDING_STATUSES)
    # Read inside the template's cached part (kernel/pagecache.py): on a hit the list's
    # queries do not run.
    page = pagecache.lazy(lambda: Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page")))
    return render(
        request,
        "audits/finding_list.html",
        {
            "project": access.project,
            "today": timezone.localdate(),
            "page": page,
            "grade": grade,
            "show": show,
            "grades": Grade.choices,
        },
    )


def finding_create(request, project_id, audit_id):
    access = get_project_for_user(request, project_id)
    audit = get_object_or_404(Audit.objects.prefetch_related("team"), pk=audit_id, project=access.project)
    access.require(can_record_findings(access, audit))
    form = FindingForm(request.POST or None, project=access.project, audit=audit)
    if request.method == "POST":
        if form.is_valid():
            try:
                finding = services.finding_create(audit=audit, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("Finding %(reference)s recorded.") % {"reference": finding.reference}
                )
                return redirect(finding)
        return render(
            request,
            "audits/finding_form.html",
            {"project": access.project, "form": form, "audit": audit, "rules": grade_rules().values()},
            status=422,
        )
    return render(
        request,
        "audits/finding_form.html",
        {"project": access.project, "form": form, "audit": audit, "rules": grade_rules().values()},
    )


def _finding(access, finding_id):
    finding = selectors.finding_detail(access.project, finding_id)
    if finding is None:
        raise Http404(_("No such finding."))
    return finding


def _closed(request, access, finding):
    return render(
        request,
        "audits/refused.html",
        {
            "project": access.project,
            "message": f"{finding.reference} is closed: its corrective actions were verified effective, "
            "so it can no longer be edited.",
            "back_url": finding.get_absolute_url(),
        },
        status=409,
    )


def finding_detail(request, project_id, finding_id):
    access = get_project_for_user(request, project_id)
    finding = _finding(access, finding_id)
    actions = list(finding.actions.all())
    user_id = request.user.pk
    return render(
        request,
        "audits/finding_detail.html",
        {
            "project": access.project,
            "finding": finding,
            "actions": [
                {
                    "action": action,
                    "can_work": can_work_on_action(access, action) and action.status == "open",
                    "can_verify": can_verify_action(access, action) and action.status == "implemented",
                    "implement_form": ActionImplementForm(initial={"version": action.version}),
                    "verify_form": ActionVerifyForm(initial={"version": action.version}),
                }
                for action in actions
            ],
            "events": list(finding.events.all()),
            "rule": rule_for(finding.grade),
            "rule_due": rule_due_date(finding.grade, timezone.localdate(finding.raised_at)),
            "needs_cb": finding.audit is not None
            and needs_certification_body_verification(finding.grade, finding.audit.audit_type),
            "can_edit": can_edit_finding(access, finding) and not finding.is_closed,
            "can_respond": can_respond_to_finding(access, finding) and not finding.is_closed,
            "can_register": finding.grade in IMPROVEMENT_GRADES
            and can_record_findings(access, finding.audit)
            and not hasattr_improvement(finding),
            "response_form": FindingResponseForm(initial=_response_initial(finding)),
            "action_form": ActionForm(project=access.project, initial={"owner": finding.owner_id or user_id}),
            "history": history_entries(finding),
        },
    )


def _response_initial(finding) -> dict:
    return {
        "correction": finding.correction,
        "root_cause": finding.root_cause,
        "similar_nonconformities": finding.similar_nonconformities,
        "actions_appropriate": finding.actions_appropriate,
        "version": finding.version,
    }


def hasattr_improvement(finding) -> bool:
    try:
        return finding.improvement is not None
    except Improvement.DoesNotExist:
        return False


def finding_edit(request, project_id, finding_id):
    access = get_project_for_user(request, project_id)
    finding = _finding(access, finding_id)
    access.require(can_edit_finding(access, finding))
    if finding.is_closed:
        return _closed(request, access, finding)
    form = FindingForm(request.POST or None, instance=finding, project=access.project, audit=finding.audit)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.finding_update(
            finding=finding, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(
            FindingForm,
            current,
            noun=pgettext("record being edited", "finding"),
            project=access.project,
            audit=finding.audit,
        ),
    )
    if edit.saved:
        messages.success(request, _("Finding saved."))
        return redirect(edit.result)
    return render(
        request,
        "audits/finding_form.html",
        {
            "project": access.project,
            "form": edit.form,
            "audit": finding.audit,
            "finding": finding,
            "rules": grade_rules().values(),
        },
        status=edit.status,
    )


def finding_respond(request, project_id, finding_id):
    access = get_project_for_user(request, project_id)
    finding = _finding(access, finding_id)
    access.require(can_respond_to_finding(access, finding))
    if finding.is_closed:
        return _closed(request, access, finding)
    form = FindingResponseForm(request.POST or None, initial=_response_initial(finding))
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.finding_respond(
            finding=finding, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: flag_conflict(
            FindingResponseForm(initial=_response_initial(current)),
            CONFLICT_MESSAGE.format(noun=pgettext("record being edited", "finding")),
        ),
    )
    if edit.saved:
        messages.success(request, _("Correction and root cause saved."))
        return redirect(finding)
    return form_page(
        request,
        access,
        title=_("Respond to %(reference)s") % {"reference": finding.reference},
        form=edit.form,
        cancel_url=finding.get_absolute_url(),
        status=edit.status,
        extra={"finding": finding},
    )


def action_create(request, project_id, finding_id):
    access = get_project_for_user(request, project_id)
    finding = _finding(access, finding_id)
    access.require(can_respond_to_finding(access, finding))
    if finding.is_closed:
        return _closed(request, access, finding)
    form = ActionForm(request.POST or None, project=access.project, initial={"owner": finding.owner_id})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.action_create(finding=finding, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Corrective action added."))
                return redirect(finding)
    return form_page(
        request,
        access,
        title=_("Corrective action for %(reference)s") % {"reference": finding.reference},
        form=form,
        cancel_url=finding.get_absolute_url(),
        submit=_("Add action"),
        status=status,
        extra={"finding": finding},
    )


def _action(access, action_id):
    return get_object_or_404(
        CorrectiveAction.objects.select_related("finding", "owner"), pk=action_id, project=access.project
    )


def _action_changed(form_class, current):
    return flag_conflict(
        form_class(initial={"version": current.version}),
        _("The action changed meanwhile; it is now “%(status)s”.") % {"status": current.get_status_display()},
    )


def action_implement(request, project_id, action_id):
    access = get_project_for_user(request, project_id)
    action = _action(access, action_id)
    access.require(can_work_on_action(access, action))
    form = ActionImplementForm(request.POST or None, initial={"version": action.version})
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.action_implement(
            action=action, user=request.user, expected_version=version, notes=data["notes"]
        ),
        on_conflict=lambda current: _action_changed(ActionImplementForm, current),
    )
    if edit.saved:
        messages.success(request, _("Action reported implemented; it now awaits verification."))
        return redirect(action.finding)
    return form_page(
        request,
        access,
        title=_("Report the action implemented"),
        intro=action.description,
        form=edit.form,
        cancel_url=action.finding.get_absolute_url(),
        submit=_("Report implemented"),
        status=edit.status,
    )


def action_verify(request, project_id, action_id):
    access = get_project_for_user(request, project_id)
    action = _action(access, action_id)
    access.require(can_verify_action(access, action))
    form = ActionVerifyForm(request.POST or None, initial={"version": action.version})
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.action_verify(
            action=action,
            user=request.user,
            expected_version=version,
            effective=data["effective"],
            notes=data["notes"],
            by_certification_body=data.get("by_certification_body", False),
        ),
        on_conflict=lambda current: _action_changed(ActionVerifyForm, current),
    )
    if edit.saved:
        effective = form.cleaned_data["effective"]
        messages.success(
            request,
            _("Verified effective.") if effective else _("Not effective: the finding is reopened."),
        )
        return redirect(action.finding)
    form, status = edit.form, edit.status
    return form_page(
        request,
        access,
        title=_("Verify the action's effectiveness"),
        intro=f"{action.description} — implemented: {action.implementation_notes or '—'}",
        form=form,
        cancel_url=action.finding.get_absolute_url(),
        submit=_("Record verification"),
        status=status,
    )


# Improvement register ---------------------------------------------------------------------


def improvement_list(request, project_id):
    access = get_project_for_user(request, project_id)
    items = (
        Improvement.objects.filter(project=access.project)
        .select_related("owner", "finding")
        .order_by("-created_at", "-id")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/improvement_list.html",
        {
            "project": access.project,
            "page": page,
            "can_propose": can_propose_improvement(access),
            "editable": {i.pk for i in page if can_edit_improvement(access, i)},
            "statuses": ImprovementStatus,
        },
    )


def improvement_create(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_propose_improvement(access))
    form = ImprovementForm(request.POST or None, project=access.project)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.improvement_create(project=access.project, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Improvement registered."))
                return redirect("audits:improvement_list", access.project.pk)
    return form_page(
        request,
        access,
        title=_("Register an improvement"),
        form=form,
        cancel_url=reverse("audits:improvement_list", args=[access.project.pk]),
        status=status,
    )


@require_POST
def improvement_from_finding(request, project_id, finding_id):
    access = get_project_for_user(request, project_id)
    finding = _finding(access, finding_id)
    access.require(can_record_findings(access, finding.audit))
    try:
        services.improvement_create(
            project=access.project,
            user=request.user,
            finding=finding,
            title=f"{finding.reference}: {finding.description[:150]}",
            description=finding.description,
            owner=finding.owner,
        )
    except ValidationError as error:
        return render(
            request,
            "audits/refused.html",
            {
                "project": access.project,
                "message": " ".join(error.messages),
                "back_url": finding.get_absolute_url(),
            },
            status=409,
        )
    messages.success(
        request, _("%(reference)s added to the improvement register.") % {"reference": finding.reference}
    )
    return redirect(finding)


def improvement_edit(request, project_id, improvement_id):
    access = get_project_for_user(request, project_id)
    improvement = get_object_or_404(Improvement, pk=int_or_zero(improvement_id), project=access.project)
    access.require(can_edit_improvement(access, improvement))
    form = ImprovementForm(request.POST or None, instance=improvement, project=access.project)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.improvement_update(
            improvement=improvement, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(
            ImprovementForm,
            current,
            noun=pgettext("record being edited", "improvement"),
            project=access.project,
        ),
    )
    if edit.saved:
        messages.success(request, _("Improvement saved."))
        return redirect("audits:improvement_list", access.project.pk)
    return form_page(
        request,
        access,
        title=f"Improvement: {improvement.title}",
        form=edit.form,
        cancel_url=reverse("audits:improvement_list", args=[access.project.pk]),
        status=edit.status,
    )
