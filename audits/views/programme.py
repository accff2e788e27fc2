from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.clauses import sort_clauses
from kernel.formtools import (
    CONFLICT_MESSAGE,
    add_validation_error,
    conflict_form,
    flag_conflict,
    versioned_edit,
)
from kernel.history import history_entries

from .. import certification, selectors, services
from ..clauses import clause_titles
from ..forms import AuditAdvanceForm, AuditForm, CertificationDecisionForm, ProgrammeForm
from ..models import Audit, AuditStatus, Grade
from ..permissions import can_manage_audit, can_plan_audits, can_record_findings
from ..services import NEXT_STATUS
from .common import form_page

FINDINGS_PER_PAGE = 25
AUDITS_PER_PAGE = 20


def programme(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project

    def compute():
        prog = selectors.programme_for(project)
        audits = list(selectors.audit_list(project))
        # The coverage counts every audit of the cycle; the table and the matrix's columns show a page.
        page = Paginator(audits, AUDITS_PER_PAGE).get_page(request.GET.get("page"))
        matrix = selectors.coverage_matrix(project, audits, prog, columns=page.object_list)
        return {
            "programme": prog,
            "cycle_end": selectors.cycle_end(prog.cycle_start),
            "audits": page.object_list,
            "page": page,
            "in_cycle": {a.pk for a in page.object_list if selectors.in_cycle(a, prog)},
            "matrix": matrix,
            "covered": sum(row.covered for row in matrix),
            "planned_only": sum(row.planned and not row.covered for row in matrix),
            "clause_total": len(matrix),
            "cycle": certification.certification_cycle(prog, audits) if prog.pk else None,
        }

    # Read inside the template's cached part (kernel/pagecache.py): on a hit none of the
    # programme's queries runs.
    data = pagecache.lazy(compute)
    return render(
        request,
        "audits/programme.html",
        {
            "project": project,
            "today": timezone.localdate(),
            **{name: pagecache.lazy(lambda name=name: data[name]) for name in PROGRAMME_DATA},
            "can_plan": can_plan_audits(access),
            "can_decide": access.is_lead,
        },
    )


PROGRAMME_DATA = (
    "programme",
    "cycle_end",
    "audits",
    "page",
    "in_cycle",
    "matrix",
    "covered",
    "planned_only",
    "clause_total",
    "cycle",
)


def certification_decision(request, project_id):
    """The lead records the certification decision; the three-year cycle starts on its date."""
    access = get_project_for_user(request, project_id)
    access.require(access.is_lead)
    prog = selectors.programme_for(access.project)
    initial = {
        "decision_date": prog.certification_decision_date,
        "certificate_number": prog.certificate_number,
        "version": prog.version,
    }
    form = CertificationDecisionForm(request.POST or None, initial=initial)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: certification.certification_decision_record(
            project=access.project,
            user=request.user,
            decision_date=data["decision_date"],
            certificate_number=data["certificate_number"],
            expected_version=version,
        ),
        on_conflict=lambda current: flag_conflict(
            CertificationDecisionForm(
                initial={
                    "decision_date": current.certification_decision_date,
                    "certificate_number": current.certificate_number,
                    "version": current.version,
                }
            ),
            CONFLICT_MESSAGE.format(noun=pgettext("record being edited", "audit programme")),
        ),
    )
    if edit.saved:
        messages.success(
            request,
            _("Certification decision recorded; the certificate's expiry and the cycle's dates follow."),
        )
        return redirect("audits:programme", access.project.pk)
    reasons = certification.decision_blockers(access.project) if request.method == "GET" else []
    return form_page(
        request,
        access,
        title=_("Record the certification decision"),
        intro=_(
            "Once the certification body has decided to certify, after its own held audit (Stage 2 "
            "for the first certificate, the recertification audit afterwards): the first certificate runs "
            "three years from the decision; surveillance 1 is due within 12 months of it and surveillance 2 "
            "in the following calendar year; a recertification continues from the old expiry date."
        )
        + (_(" Not possible yet: ") + " ".join(reasons) if reasons else ""),
        form=edit.form,
        cancel_url=reverse("audits:programme", args=[access.project.pk]),
        submit=_("Record decision"),
        status=edit.status,
    )


def programme_edit(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_plan_audits(access))
    prog = selectors.programme_for(access.project)
    initial = {"cycle_start": prog.cycle_start, "objectives": prog.objectives, "version": prog.version}
    form = ProgrammeForm(request.POST or None, initial=initial)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.programme_update(
            project=access.project,
            user=request.user,
            cycle_start=data["cycle_start"],
            objectives=data["objectives"],
            expected_version=version,
        ),
        on_conflict=lambda current: flag_conflict(
            ProgrammeForm(
                initial={
                    "cycle_start": current.cycle_start,
                    "objectives": current.objectives,
                    "version": current.version,
                }
            ),
            CONFLICT_MESSAGE.format(noun=pgettext("record being edited", "audit programme")),
        ),
    )
    if edit.saved:
        messages.success(request, _("Audit programme saved."))
        return redirect("audits:programme", access.project.pk)
    form, status = edit.form, edit.status
    return form_page(
        request,
        access,
        title=_("Audit programme"),
        form=form,
        cancel_url=reverse("audits:programme", args=[access.project.pk]),
        status=status,
    )


def audit_create(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_plan_audits(access))
    project = access.project
    initial = {"lead_auditor": request.user.pk, "audit_type": request.GET.get("type", "internal")}
    form = AuditForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                audit = services.audit_create(project=project, user=request.user, **data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Audit “%(audit)s” planned.") % {"audit": audit})
                return redirect(audit)
        return render(request, "audits/audit_form.html", {"project": project, "form": form}, status=422)
    return render(request, "audits/audit_form.html", {"project": project, "form": form})


def _audit(access, audit_id):
    return get_object_or_404(
        Audit.objects.select_related("lead_auditor").prefetch_related("team"),
        pk=audit_id,
        project=access.project,
    )


def audit_detail(request, project_id, audit_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    audit = _audit(access, audit_id)
    findings = selectors.finding_list(project).filter(audit=audit).order_by("number")
    next_status = NEXT_STATUS.get(audit.status)

    def grade_counts():
        by_grade = dict(findings.order_by().values_list("grade").annotate(n=Count("id")))
        return [(Grade(g).label, by_grade[g]) for g in Grade.values if by_grade.get(g)]

    def scope():
        titles = clause_titles(project)
        return [(number, titles.get(number, "")) for number in audit.scope_clauses]

    # The lazy values are computed inside the template's cached parts: on a hit their queries do
    # not run (kernel/pagecache.py).
    return render(
        request,
        "audits/audit_detail.html",
        {
            "project": project,
            "audit": audit,
            "today": timezone.localdate(),
            "scope": pagecache.lazy(scope),
            "page": pagecache.lazy(
                lambda: Paginator(findings, FINDINGS_PER_PAGE).get_page(request.GET.get("page"))
            ),
            "has_findings": pagecache.lazy(lambda: [findings.exists()]),
            "grade_counts": pagecache.lazy(grade_counts),
            "warnings": pagecache.lazy(lambda: selectors.independence_warnings(project, [audit])),
            "checklist": pagecache.lazy(lambda: selectors.checklist_summary(audit)),
            # What the held audit covered: the clauses whose checklist questions are all answered.
            "covered": pagecache.lazy(
                lambda: (
                    sort_clauses(selectors.answered_clauses([audit.pk]).get(audit.pk, ()))
                    if audit.is_held
                    else []
                )
            ),
            "next_status": next_status,
            "next_label": AuditStatus(next_status).label if next_status else "",
            "advance_form": AuditAdvanceForm(
                initial={"to_status": next_status, "report_summary": audit.report_summary}
            ),
            "can_manage": can_manage_audit(access, audit),
            "can_record": can_record_findings(access, audit) and audit.status != AuditStatus.CLOSED,
            "history": pagecache.lazy(lambda: history_entries(audit)),
        },
    )


def audit_edit(request, project_id, audit_id):
    access = get_project_for_user(request, project_id)
    audit = _audit(access, audit_id)
    access.require(can_manage_audit(access, audit))
    form = AuditForm(request.POST or None, instance=audit, project=access.project)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.audit_update(
            audit=audit, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(
            AuditForm, current, noun=pgettext("record being edited", "audit"), project=access.project
        ),
    )
    if edit.saved:
        messages.success(request, _("Audit saved."))
        return redirect(edit.result)
    return render(
        request,
        "audits/audit_form.html",
        {"project": access.project, "form": edit.form, "audit": audit},
        status=edit.status,
    )


@require_POST
def audit_advance(request, project_id, audit_id):
    access = get_project_for_user(request, project_id)
    audit = _audit(access, audit_id)
    access.require(can_manage_audit(access, audit))
    form = AuditAdvanceForm(request.POST)
    if form.is_valid():
        try:
            audit = services.audit_advance(
                audit=audit,
                user=request.user,
                to_status=form.cleaned_data["to_status"],
                report_summary=form.cleaned_data["report_summary"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Audit is now %(status)s.") % {"status": audit.get_status_display().lower()},
            )
            return redirect(audit)
    return form_page(
        request,
        access,
        title=f"Move “{audit}” on",
        form=form,
        cancel_url=audit.get_absolute_url(),
        submit=_("Confirm"),
        status=422,
    )


def audit_delete(request, project_id, audit_id):
    access = get_project_for_user(request, project_id)
    audit = _audit(access, audit_id)
    access.require(can_manage_audit(access, audit))
    if audit.status != AuditStatus.PLANNED or audit.findings.exists():
        return render(
            request,
            "audits/refused.html",
            {
                "project": access.project,
                "message": "Only a planned audit without findings can be deleted.",
                "back_url": audit.get_absolute_url(),
            },
            status=409,
        )
    if request.method == "POST":
        services.audit_delete(audit=audit, user=request.user)
        messages.success(request, _("Audit deleted."))
        return redirect("audits:programme", access.project.pk)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": _("Delete the audit “%(audit)s”?") % {"audit": audit},
            "body": "The planned audit is removed from the programme. This cannot be undone.",
            "confirm_label": "Delete audit",
            "cancel_url": audit.get_absolute_url(),
        },
    )
