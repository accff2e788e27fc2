"""Assessments: the list, creating one, the overview with scores, auditors, finalising, comparing
and the Excel export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error
from kernel.history import history_entries

from .. import selectors, services
from ..charts import score_chart
from ..exports import assessment_workbook
from ..forms import AssessmentCreateForm, AuditorAssignForm
from ..models import Assessment, AssessmentKind, Result
from ..permissions import can_manage_assessments
from .common import assessment_for


@require_GET
def assessment_list(request, project_id):
    access = get_project_for_user(request, project_id)
    # Read inside the template's cached part (kernel/pagecache.py): on a hit the list's
    # queries do not run.
    page = pagecache.lazy(lambda: _assessment_page(access.project, request.GET.get("page")))
    return render(
        request,
        "gapanalysis/assessment_list.html",
        {
            "project": access.project,
            "page": page,
            "today": timezone.localdate(),
            "can_manage": can_manage_assessments(access),
        },
    )


def _assessment_page(project, number):
    page = Paginator(selectors.gap_assessment_list(project=project), 25).get_page(number)
    for assessment in page:
        counts = selectors.counts_of(assessment)
        answered = assessment.total - counts["not_assessed"]
        assessment.answered = answered
        assessment.progress = round(100 * answered / assessment.total) if assessment.total else 0
        assessment.score_percent = selectors.as_percent(selectors.score(counts))
        assessment.scored = sum(counts[result] for result in selectors.WEIGHTS)
        assessment.not_applicable = counts["not_applicable"]
        assessment.not_assessed = counts["not_assessed"]
    return page


def assessment_create(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_manage_assessments(access))
    form = AssessmentCreateForm(request.POST or None, project=access.project)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                assessment = services.assessment_create(
                    project=access.project,
                    template=data["template"],
                    kind=AssessmentKind.GAP,
                    title=data["title"],
                    clause_numbers=data["clause_numbers"],
                    auditor_ids=[u.pk for u in data["auditors"]],
                    user=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Assessment created. Assign auditors per clause if you need to."))
                return redirect(assessment)
        return render(
            request, "gapanalysis/assessment_form.html", {"project": access.project, "form": form}, status=422
        )
    return render(request, "gapanalysis/assessment_form.html", {"project": access.project, "form": form})


@require_GET
def assessment_overview(request, project_id, assessment_id):
    access, assessment = assessment_for(request, project_id, assessment_id)

    def compute():
        rows = selectors.assessment_overview(assessment)
        first_open = next((r for r in rows if r.is_leaf and not r.complete), None)
        first_leaf = next((r for r in rows if r.is_leaf), None)
        overall = selectors.summary_from_rows(rows)
        return {
            "rows": rows,
            "overall": overall,
            "chart": score_chart(rows, leaves=False),
            "leaf_chart": score_chart(rows),
            "score_rule": selectors.SCORE_RULE,
            # the query only runs when there is something to list
            "not_applicable": selectors.not_applicable_answers(assessment) if overall.not_applicable else [],
            "assignments": selectors.auditor_assignments(assessment),
            "continue_at": first_open or first_leaf,
            "others": list(
                Assessment.objects.filter(project=access.project)
                .exclude(pk=assessment.pk)
                .order_by("-created_at")
            ),
            "history": history_entries(assessment, limit=20),
        }

    # Read inside the template's cached part (kernel/pagecache.py): on a hit none of the
    # overview's queries runs.
    data = pagecache.lazy(compute)
    return render(
        request,
        "gapanalysis/assessment_overview.html",
        {
            "project": access.project,
            "assessment": assessment,
            **{name: pagecache.lazy(lambda name=name: data[name]) for name in OVERVIEW_DATA},
            "score_rule": selectors.SCORE_RULE,
            "can_manage": can_manage_assessments(access),
        },
    )


OVERVIEW_DATA = (
    "rows",
    "overall",
    "not_applicable",
    "chart",
    "leaf_chart",
    "assignments",
    "continue_at",
    "others",
    "history",
)


def assessment_auditors(request, project_id, assessment_id):
    access, assessment = assessment_for(request, project_id, assessment_id)
    access.require(can_manage_assessments(access))
    assignments = selectors.auditor_assignments(assessment)
    form = AuditorAssignForm(request.POST or None, project=access.project, assignments=assignments)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.assessment_assign_auditors(
                    assessment=assessment, assignments=form.assignments(), user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Auditors saved."))
                return redirect(assessment)
    return render(
        request,
        "gapanalysis/auditors_form.html",
        {"project": access.project, "assessment": assessment, "form": form},
        status=status,
    )


def _status_change(request, project_id, assessment_id, *, finalise: bool):
    access, assessment = assessment_for(request, project_id, assessment_id)
    access.require(can_manage_assessments(access))
    unexplained, error, status = [], "", 200
    if finalise and not assessment.is_finalised and assessment.kind == AssessmentKind.GAP:
        unexplained = [r for r in selectors.not_applicable_answers(assessment) if not r.has_reason]
    if request.method == "POST":
        if finalise:
            try:
                services.assessment_finalise(assessment=assessment, user=request.user)
            except services.UnexplainedNotApplicable as refusal:
                error, status = refusal.message, 422
            else:
                messages.success(request, _("Assessment finalised; it is read-only now."))
                return redirect(assessment)
        else:
            services.assessment_reopen(assessment=assessment, user=request.user)
            messages.success(request, _("Assessment reopened; answers can be changed again."))
            return redirect(assessment)
    if finalise:
        open_count = selectors.overall_counts(assessment).get(Result.NOT_ASSESSED, 0)
        body = (
            ngettext(
                "%(open_count)s question is not assessed yet. ",
                "%(open_count)s questions are not assessed yet. ",
                open_count,
            )
            % {"open_count": open_count}
            if open_count
            else ""
        ) + _(
            "Answers become read-only and the finalisation is recorded with your name. "
            "Finalising the latest gap analysis marks roadmap phase 3 done. You can reopen it later."
        )
    else:
        body = _("Auditors can change answers again; the reopening is recorded with your name.")
    return render(
        request,
        "gapanalysis/status_confirm.html",
        {
            "project": access.project,
            "assessment": assessment,
            "title": f"{'Finalise' if finalise else 'Reopen'} “{assessment.title}”?",
            "body": body,
            "confirm_label": "Finalise" if finalise else "Reopen",
            "cancel_url": assessment.get_absolute_url(),
            "unexplained": unexplained,
            "error": error,
        },
        status=status,
    )


def assessment_finalise(request, project_id, assessment_id):
    return _status_change(request, project_id, assessment_id, finalise=True)


def assessment_reopen(request, project_id, assessment_id):
    return _status_change(request, project_id, assessment_id, finalise=False)


@require_GET
def assessment_compare(request, project_id, assessment_id):
    access, assessment = assessment_for(request, project_id, assessment_id)
    others = list(
        Assessment.objects.filter(project=access.project).exclude(pk=assessment.pk).order_by("-created_at")
    )
    other = None
    if request.GET.get("with"):
        other = next((a for a in others if str(a.pk) == request.GET["with"]), None)
        if other is None:
            raise Http404(_("No such assessment in this project."))
    elif others:
        other = others[0]
    comparison = None
    if other is not None:
        # Older first: the change reads from the earlier assessment to the later one.
        before, after = sorted((assessment, other), key=lambda a: (a.created_at, a.pk))
        comparison = {"before": before, "after": after, **selectors.compare_assessments(before, after)}
    return render(
        request,
        "gapanalysis/compare.html",
        {
            "project": access.project,
            "assessment": assessment,
            "others": others,
            "other": other,
            "comparison": comparison,
        },
    )


@require_GET
def assessment_export(request, project_id, assessment_id):
    access, assessment = assessment_for(request, project_id, assessment_id)
    content = assessment_workbook(assessment)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = slugify(assessment.title) or "assessment"
    response["Content-Disposition"] = f'attachment; filename="{name}-results.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
