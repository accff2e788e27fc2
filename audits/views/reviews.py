from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error, conflict_form, flag_conflict, versioned_edit

from .. import reviews
from ..forms import ReviewActionForm, ReviewForm, ReviewOutputForm, ReviewSectionForm
from ..models import ManagementReview, OutputKind, ReviewOutput, ReviewSection
from ..permissions import can_run_review
from .common import form_page


def _refused(request, access, review, message):
    return render(
        request,
        "audits/refused.html",
        {"project": access.project, "message": message, "back_url": review.get_absolute_url()},
        status=409,
    )


FINAL_MESSAGE = gettext_lazy("These minutes are final and read-only.")


def review_list(request, project_id):
    access = get_project_for_user(request, project_id)
    items = (
        ManagementReview.objects.filter(project=access.project)
        .select_related("finalised_by")
        .order_by("-meeting_date", "-id")
    )
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/review_list.html",
        {"project": access.project, "page": page, "can_run": can_run_review(access)},
    )


def review_create(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_run_review(access))
    form = ReviewForm(request.POST or None, project=access.project)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                review = reviews.review_create(project=access.project, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Review prepared and pre-filled from the project's data."))
                return redirect(review)
    return form_page(
        request,
        access,
        title=gettext("Prepare a management review"),
        intro=gettext("Each input of clause 9.3 gets a section, pre-filled from the project's live data."),
        form=form,
        cancel_url=reverse("audits:review_list", args=[access.project.pk]),
        submit=gettext("Prepare review"),
        status=status,
    )


def _review(access, review_id):
    return get_object_or_404(
        ManagementReview.objects.select_related("finalised_by", "created_by").prefetch_related(
            # by name, so the minutes list people in the same order every time
            Prefetch(
                "attendees", queryset=get_user_model().objects.order_by("first_name", "last_name", "pk")
            ),
            "top_management",
        ),
        pk=review_id,
        project=access.project,
    )


def review_detail(request, project_id, review_id):
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    sections = list(review.sections.all())
    editable = can_run_review(access) and not review.is_final
    return render(
        request,
        "audits/review_detail.html",
        {
            "project": access.project,
            "review": review,
            "sections": [
                (s, ReviewSectionForm(initial={"notes": s.notes, "version": s.version}, prefix=f"s{s.pk}"))
                for s in sections
            ],
            "actions": list(review.actions.select_related("task__assignee", "task__phase").order_by("id")),
            "outputs": _outputs_by_kind(review),
            "editable": editable,
            "action_form": ReviewActionForm(project=access.project) if editable else None,
            "top_ids": {u.pk for u in review.top_management.all()},
        },
    )


def _outputs_by_kind(review):
    outputs = list(review.outputs.select_related("action__task__assignee", "action__review").order_by("id"))
    return [
        {
            "kind": kind,
            "label": label,
            "items": [o for o in outputs if o.kind == kind],
        }
        for kind, label in OutputKind.choices
    ]


def review_edit(request, project_id, review_id):
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    access.require(can_run_review(access))
    if review.is_final:
        return _refused(request, access, review, FINAL_MESSAGE)
    form = ReviewForm(request.POST or None, instance=review, project=access.project)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: reviews.review_update(
            review=review, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(
            ReviewForm, current, noun=pgettext("record being edited", "review"), project=access.project
        ),
    )
    if edit.saved:
        messages.success(request, _("Review saved."))
        return redirect(review)
    return form_page(
        request,
        access,
        title=f"Edit “{review}”",
        form=edit.form,
        cancel_url=review.get_absolute_url(),
        status=edit.status,
    )


def review_section_edit(request, project_id, review_id, section_id):
    """Save the notes of one input; htmx posts it from the review page and gets the section back."""
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    section = get_object_or_404(ReviewSection, pk=section_id, review=review)
    access.require(can_run_review(access))
    if review.is_final:
        return _refused(request, access, review, FINAL_MESSAGE)
    prefix = f"s{section.pk}"
    form = ReviewSectionForm(
        request.POST or None, initial={"notes": section.notes, "version": section.version}, prefix=prefix
    )
    edit = versioned_edit(
        request,
        form,
        lambda data, version: reviews.review_section_update(
            section=section, user=request.user, expected_version=version, notes=data["notes"]
        ),
        on_conflict=lambda current: flag_conflict(
            ReviewSectionForm(initial={"notes": current.notes, "version": current.version}, prefix=prefix),
            gettext(
                "Someone else saved this section meanwhile; it now shows their text. Add your change again."
            ),
        ),
    )
    form, status, saved = edit.form, edit.status, edit.saved
    section = edit.result or edit.current or section
    if saved:
        if not request.htmx:
            messages.success(request, _("“%(title)s” saved.") % {"title": section.title})
            return redirect(review)
        form = ReviewSectionForm(initial={"notes": section.notes, "version": section.version}, prefix=prefix)
    return render(
        request,
        "audits/partials/review_section.html" if request.htmx else "audits/review_section_page.html",
        {
            "project": access.project,
            "review": review,
            "section": section,
            "form": form,
            "editable": True,
            "saved": saved,
        },
        status=status,
    )


@require_POST
def review_prefill(request, project_id, review_id):
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    access.require(can_run_review(access))
    if review.is_final:
        return _refused(request, access, review, FINAL_MESSAGE)
    reviews.review_prefill_refresh(review=review, user=request.user)
    messages.success(request, _("Pre-filled data refreshed from the project."))
    return redirect(review)


def review_action_create(request, project_id, review_id):
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    access.require(can_run_review(access))
    if review.is_final:
        return _refused(request, access, review, FINAL_MESSAGE)
    form = ReviewActionForm(request.POST or None, project=access.project)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                action = reviews.review_action_create(review=review, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Action “%(title)s” added to the roadmap (phase 12).") % {"title": action.task.title},
                )
                return redirect(review)
    return form_page(
        request,
        access,
        title=gettext("Add an action"),
        intro=gettext("The action becomes a task in roadmap phase 12, tracked like any other task."),
        form=form,
        cancel_url=review.get_absolute_url(),
        submit=gettext("Add action"),
        status=status,
    )


def review_finalise(request, project_id, review_id):
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    access.require(can_run_review(access))
    if review.is_final:
        return _refused(request, access, review, FINAL_MESSAGE)
    status = 200
    refusals = []
    if request.method == "POST":
        try:
            reviews.review_finalise(review=review, user=request.user)
        except ValidationError as error:
            refusals = error.messages
            status = 422
        else:
            messages.success(request, _("Minutes finalised; they are now read-only."))
            return redirect(review)
    else:
        refusals = reviews.finalise_refusals(review)  # said up front, before the click
    return render(
        request,
        "audits/review_finalise.html",
        {
            "project": access.project,
            "review": review,
            "refusals": refusals,
            "posted": request.method == "POST",
        },
        status=status,
    )


def review_output_create(request, project_id, review_id):
    """Record one decision of the review (an output of clause 9.3)."""
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    access.require(can_run_review(access))
    if review.is_final:
        return _refused(request, access, review, FINAL_MESSAGE)
    kind = request.GET.get("kind") if request.GET.get("kind") in OutputKind.values else None
    form = ReviewOutputForm(request.POST or None, initial={"kind": kind or OutputKind.IMPROVEMENT})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                reviews.review_output_create(review=review, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(review)
    return form_page(
        request,
        access,
        title=gettext("Record a decision"),
        intro=gettext(
            "Clause 9.3 expects decisions on opportunities for improvement, on changes to the SMS and "
            "the services, and on resource needs. Each can become a roadmap task."
        ),
        form=form,
        cancel_url=review.get_absolute_url(),
        submit=gettext("Record decision"),
        status=status,
    )


@require_POST
def review_output_task(request, project_id, review_id, output_id):
    """One click: the decision becomes a phase-12 task; a second click finds the same task."""
    access = get_project_for_user(request, project_id)
    review = _review(access, review_id)
    output = get_object_or_404(ReviewOutput, pk=output_id, review=review)
    access.require(can_run_review(access))
    if output.action_id is None and review.is_final:
        return _refused(request, access, review, FINAL_MESSAGE)
    action = reviews.review_output_to_task(output=output, user=request.user)
    messages.success(request, _("Task “%(title)s” is on the roadmap (phase 12).") % {"title": action.title})
    return redirect(review)
