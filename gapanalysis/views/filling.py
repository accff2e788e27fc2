"""Filling a checklist: a page per clause, answers saved one change at a time (HTMX), evidence,
remediation tasks. Used for gap analyses and, by the audits app, for audit checklists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.formtools import versioned_edit
from kernel.uploads import attachment_response
from projects.models import Phase
from projects.roadmap import PhaseKey

from .. import selectors, services
from ..forms import EvidenceForm, RemediationForm, ResponseForm
from ..models import Evidence, Result
from ..permissions import ANSWERER_ROLES, can_answer_clause
from .common import SAVE_FIELDS, assessment_for, may_answer, response_for

ANSWER_SAVED = "answerSaved"


def _clause_url(assessment, number):
    return reverse("gapanalysis:clause", args=[assessment.project_id, assessment.pk, number])


def _assignments(access, assessment):
    if access.role in ANSWERER_ROLES and not access.is_lead and not assessment.is_finalised:
        return selectors.user_assignment_clause_ids(assessment, access.user)
    return set()


# Where remediation of a gap is planned: from the support procedures to continual improvement.
REMEDIATION_PHASES = (
    PhaseKey.SUPPORT_PROCEDURES,
    PhaseKey.PROCESS_DOCUMENTATION,
    PhaseKey.PROCESS_IMPLEMENTATION,
    PhaseKey.TRAINING,
    PhaseKey.OPERATION,
    PhaseKey.IMPROVEMENT,
)


def _remediation_phases(project):
    return list(Phase.objects.filter(project=project, key__in=REMEDIATION_PHASES).order_by("order"))


@require_GET
def clause_page(request, project_id, assessment_id, number):
    access, assessment = assessment_for(request, project_id, assessment_id)
    tree = selectors.template_clauses(assessment.template_id)  # cached: no query
    title = next((c.title for c in tree if c.number == number and c.is_leaf), None)
    if title is None:
        raise Http404(_("This clause is not part of the assessment."))

    def compute():
        rows = selectors.assessment_overview(assessment)
        clause = next((r for r in rows if r.number == number and r.is_leaf), None)
        if clause is None:
            raise Http404(_("This clause is not part of the assessment."))
        leaves = [r for r in rows if r.is_leaf]
        position = leaves.index(clause)
        can_answer = can_answer_clause(access, assessment, clause.pk, _assignments(access, assessment))
        return {
            "clause": clause,
            "rows": rows,
            "overall": selectors.summary_from_rows(rows),
            "responses": selectors.clause_responses(assessment, clause.pk, with_removed=access.is_lead),
            "can_answer": can_answer,
            "phases": _remediation_phases(access.project) if can_answer else [],
            "previous": leaves[position - 1] if position else None,
            "next": leaves[position + 1] if position + 1 < len(leaves) else None,
        }

    # Read inside the template's cached part, kept per viewer (what one may answer and see differs):
    # on a hit none of the page's queries runs (kernel/pagecache.py).
    data = pagecache.lazy(compute)
    return render(
        request,
        "gapanalysis/clause.html",
        {
            "project": access.project,
            "assessment": assessment,
            "number": number,
            "clause_title": title,
            **{name: pagecache.lazy(lambda name=name: data[name]) for name in CLAUSE_DATA},
            "results": Result.choices,
        },
    )


CLAUSE_DATA = ("clause", "rows", "overall", "responses", "can_answer", "phases", "previous", "next")


@require_GET
def progress_panel(request, project_id, assessment_id):
    """The clause navigation with answered/total per clause and overall; refreshed after each save."""
    access, assessment = assessment_for(request, project_id, assessment_id)
    rows = selectors.assessment_overview(assessment)
    return render(
        request,
        "gapanalysis/partials/clause_nav.html",
        {
            "project": access.project,
            "assessment": assessment,
            "rows": rows,
            "overall": selectors.summary_from_rows(rows),
            "current": request.GET.get("clause", ""),
        },
    )


def _answer_form(request, response, *, status, conflict=None, error="", mine=None):
    """The whole answer form (for a 409 or 422): it replaces the form the user sees, so the page
    shows the saved answer and carries its current version. After a conflict `mine` holds what the
    user sent (their notes and result), shown beside the saved answer so nothing typed is lost."""
    mine = mine or {}
    reply = render(
        request,
        "gapanalysis/partials/answer_form.html",
        {
            "response": response,
            "assessment": response.assessment,
            "clause": response.question.clause,
            "results": Result.choices,
            "conflict": conflict,
            "error": error,
            "mine_notes": mine.get("notes", ""),
            # "Not assessed" is what an untouched result sends: not worth showing as the user's choice
            "mine_result_label": Result(mine["result"]).label
            if mine.get("result") in Result.values and mine["result"] != Result.NOT_ASSESSED
            else "",
            "can_answer": True,
        },
        status=status,
    )
    return reswap(retarget(reply, f"#answer-{response.pk}"), "outerHTML")


@require_POST
def response_save(request, project_id, assessment_id, response_id):
    access = get_project_for_user(request, project_id)
    response = response_for(access, assessment_id, response_id, only=SAVE_FIELDS)
    access.require(may_answer(access, response))
    form = ResponseForm(request.POST)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.response_save(
            response=response,
            user=request.user,
            expected_version=version,
            result=data["result"] or None,
            notes=data["notes"] if "notes" in request.POST else None,
        ),
    )
    if edit.status == 409:
        current = edit.current
        current.assessment = response.assessment
        current.question = response.question
        mine = {"notes": request.POST.get("notes", "")[:5000], "result": request.POST.get("result", "")}
        return _answer_form(request, current, status=409, conflict=current, mine=mine)
    if not edit.saved:
        problems = "; ".join(" ".join(errors) for errors in form.errors.values())
        # The form comes back as the user left it (nothing saved, same version), so a refused
        # "not applicable" only needs its reason typed, not the result chosen again.
        if form.cleaned_data.get("result") in Result.values:
            response.result = form.cleaned_data["result"]
        if "notes" in request.POST:
            response.notes = request.POST["notes"][:5000]
        return _answer_form(
            request,
            response,
            status=422,
            error=_("The answer could not be saved: %(problems)s") % {"problems": problems},
        )
    result = render(
        request,
        "gapanalysis/partials/save_state.html",
        {"response": edit.result, "saved": True},
    )
    trigger_client_event(result, ANSWER_SAVED)
    return result


def _form_error(request, response, error):
    """Without HTMX (no JavaScript) a refused form gets a page of its own, with a 422."""
    back_url = _clause_url(response.assessment, response.question.clause.number)
    return render(request, "gapanalysis/form_error.html", {"error": error, "back_url": back_url}, status=422)


def _evidence_list(request, access, response, *, can_answer, form=None, status=200):
    response = selectors.response_with_related(response.pk, with_removed=access.is_lead)
    return render(
        request,
        "gapanalysis/partials/evidence.html",
        {
            "project": access.project,
            "response": response,
            "assessment_id": response.assessment_id,
            "can_answer": can_answer,
            "evidence_form": form,
        },
        status=status,
    )


@require_POST
def evidence_add(request, project_id, assessment_id, response_id):
    access = get_project_for_user(request, project_id)
    response = response_for(access, assessment_id, response_id)
    access.require(may_answer(access, response))
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                response=response,
                user=request.user,
                upload=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error("file" if form.cleaned_data["file"] else None, error.messages)
        else:
            if not request.htmx:
                messages.success(request, _("Evidence added."))
                return redirect(_clause_url(response.assessment, response.question.clause.number))
            return _evidence_list(request, access, response, can_answer=True)
    if not request.htmx:
        return _form_error(request, response, " ".join(e for errors in form.errors.values() for e in errors))
    return _evidence_list(request, access, response, can_answer=True, form=form, status=422)


def _evidence_for(access, assessment_id, evidence_id, *, removed_too: bool = False) -> Evidence:
    manager = Evidence.all_objects if removed_too else Evidence.objects
    return get_object_or_404(
        manager.select_related("response__assessment", "response__question__clause"),
        pk=evidence_id,
        response__assessment_id=assessment_id,
        response__assessment__project=access.project,
    )


@require_GET
def evidence_download(request, project_id, assessment_id, evidence_id):
    access, assessment = assessment_for(request, project_id, assessment_id)
    evidence = _evidence_for(access, assessment.pk, evidence_id, removed_too=access.is_lead)
    if evidence.is_link:
        raise Http404(_("This evidence is a link, not a file."))
    return attachment_response(evidence.file, filename=evidence.filename, content_type=evidence.content_type)


@require_POST
def evidence_delete(request, project_id, assessment_id, evidence_id):
    access = get_project_for_user(request, project_id)
    evidence = _evidence_for(access, assessment_id, evidence_id)
    response = response_for(access, assessment_id, evidence.response_id)
    access.require(may_answer(access, response))
    services.evidence_delete(evidence=evidence, user=request.user)
    if not request.htmx:
        messages.success(request, _("Evidence removed."))
        return redirect(_clause_url(response.assessment, response.question.clause.number))
    return _evidence_list(request, access, response, can_answer=True)


@require_POST
def remediation_create(request, project_id, assessment_id, response_id):
    access = get_project_for_user(request, project_id)
    response = response_for(access, assessment_id, response_id)
    access.require(may_answer(access, response))
    phases = _remediation_phases(access.project)
    form = RemediationForm(request.POST, phases=phases)
    error = ""
    if form.is_valid():
        try:
            task, created = services.remediation_task_create(
                response=response, user=request.user, phase=form.cleaned_data["phase"]
            )
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            if not request.htmx:
                if created:
                    messages.success(
                        request,
                        _("Task “%(title)s” created in phase %(label)s.")
                        % {"title": task.title, "label": task.phase.label},
                    )
                else:
                    messages.info(
                        request,
                        _("This answer already has the open task “%(title)s”.") % {"title": task.title},
                    )
                return redirect(_clause_url(response.assessment, response.question.clause.number))
    else:
        error = _("Choose a phase of the roadmap.")
    if error and not request.htmx:
        return _form_error(request, response, error)
    related = selectors.response_with_related(response.pk)
    result = render(
        request,
        "gapanalysis/partials/remediation.html",
        {
            "project": access.project,
            "response": related,
            "assessment_id": response.assessment_id,
            "can_answer": True,
            "phases": phases,
            "error": error,
        },
        status=422 if error else 200,
    )
    if not error:
        trigger_client_event(result, "progressChanged")
    return result
