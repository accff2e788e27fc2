"""Reads for the audit programme, audits, findings and readiness. Each takes a project (already
access-checked) and reads with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from kernel.clauses import clause_in_reference, is_within
from projects.models import Phase, PhaseStatus, Project, Task, TaskStatus
from projects.roadmap import PhaseKey

from .clauses import Clause, leaf_clauses
from .models import (
    HELD_STATUSES,
    OPEN_FINDING_STATUSES,
    ActionStatus,
    Audit,
    AuditProgramme,
    AuditType,
    CorrectiveAction,
    Finding,
    FindingEvent,
    Grade,
    Improvement,
    ImprovementStatus,
    ManagementReview,
    ReviewStatus,
)

CYCLE_YEARS = 3


def programme_for(project) -> AuditProgramme:
    """The saved programme, or an unsaved one whose cycle starts on the project's start date."""
    programme = AuditProgramme.objects.filter(project=project).first()
    return programme or AuditProgramme(project=project, cycle_start=project.start_date)


def cycle_end(cycle_start: date) -> date:
    if cycle_start.year + CYCLE_YEARS > date.max.year:
        return date.max  # an extreme stored start: the cycle runs to the end of the calendar
    try:
        end = cycle_start.replace(year=cycle_start.year + CYCLE_YEARS)
    except ValueError:  # 29 February
        end = cycle_start.replace(year=cycle_start.year + CYCLE_YEARS, day=28)
    return end - timedelta(days=1)


def audit_list(project):
    return (
        Audit.objects.filter(project=project)
        .select_related("lead_auditor")
        .prefetch_related("team")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_nc_count=Count(
                "findings",
                filter=Q(findings__status__in=OPEN_FINDING_STATUSES),
                distinct=True,
            ),
        )
        .order_by("planned_start", "id")
    )


def in_cycle(audit: Audit, programme: AuditProgramme) -> bool:
    return programme.cycle_start <= audit.planned_start <= cycle_end(programme.cycle_start)


def answered_clauses(audit_ids, *, project=None) -> dict[int, set[str]]:
    """{audit id: clauses its checklist covers}. A clause counts when every question of it in that
    audit's checklist has an answer (not applicable with its reason included); an audit without a
    checklist, or with nothing answered, covers nothing. One query (with `project`: one query even
    for no audit, so a page reads the same number whatever the data)."""
    from gapanalysis.models import Response, Result

    audit_ids = set(audit_ids)
    answered = ~Q(result=Result.NOT_ASSESSED) & ~(Q(result=Result.NOT_APPLICABLE) & Q(notes__regex=r"^\s*$"))
    if project is not None:
        responses = Response.objects.filter(
            assessment__audit__project=project, assessment__audit__status__in=HELD_STATUSES
        )
    elif audit_ids:
        responses = Response.objects.filter(assessment__audit__in=audit_ids)
    else:
        return {}
    rows = (
        responses.values("assessment__audit", "question__clause__number")
        .annotate(total=Count("id"), answered=Count("id", filter=answered))
        .order_by()
    )
    covered: dict[int, set[str]] = {audit_id: set() for audit_id in audit_ids}
    for row in rows:
        if row["assessment__audit"] in covered and row["total"] and row["answered"] == row["total"]:
            covered[row["assessment__audit"]].add(row["question__clause__number"])
    return covered


@dataclass
class CoverageRow:
    clause: Clause
    cells: list  # one (in_scope, held) per audit
    covered: bool  # by the answered checklist of a held internal audit in the cycle
    planned: bool  # in the scope of an internal audit in the cycle not yet held


def coverage_matrix(
    project, audits: list[Audit], programme: AuditProgramme, columns=None
) -> list[CoverageRow]:
    """Clauses × audits of the cycle: which audit looks at which clause, and what is still uncovered.

    Coverage counts all `audits` (a clause by its answered checklist questions: answered_clauses);
    the cells are drawn for `columns` (a page of them; default all)."""
    rows = []
    internal = [a for a in audits if a.audit_type == AuditType.INTERNAL and in_cycle(a, programme)]
    covered_by = answered_clauses((a.pk for a in internal if a.is_held), project=project)
    covered_numbers = set().union(*covered_by.values()) if covered_by else set()
    scopes = [(a, set(a.scope_clauses)) for a in (audits if columns is None else columns)]
    for clause in leaf_clauses(project):
        cells = [(clause.number in scope, audit.is_held) for audit, scope in scopes]
        covered = clause.number in covered_numbers
        planned = any(clause.number in a.scope_clauses and not a.is_held for a in internal)
        rows.append(CoverageRow(clause=clause, cells=cells, covered=covered, planned=planned))
    return rows


def uncovered_clauses(project) -> list[Clause]:
    """Leaf clauses no internal audit held in the cycle covers by answered checklist questions."""
    programme = programme_for(project)
    end = cycle_end(programme.cycle_start)
    held = Audit.objects.filter(
        project=project,
        audit_type=AuditType.INTERNAL,
        status__in=HELD_STATUSES,
        planned_start__gte=programme.cycle_start,
        planned_start__lte=end,
    ).values_list("pk", flat=True)
    covered = set().union(*answered_clauses(held).values())
    return [c for c in leaf_clauses(project) if c.number not in covered]


# Auditor independence ---------------------------------------------------------------------


@dataclass
class IndependenceWarning:
    audit: Audit
    auditor: object
    what: str  # "phase 5 Put the support procedures in place"
    clauses: list[str]
    url: str

    @property
    def message(self) -> str:
        return ngettext(
            "%(username)s audits “%(audit)s” but owns %(what)s, which covers audited clause %(clauses)s.",
            "%(username)s audits “%(audit)s” but owns %(what)s, which covers audited clauses %(clauses)s.",
            len(self.clauses),
        ) % {
            "username": self.auditor.username,
            "audit": self.audit,
            "what": self.what,
            "clauses": ", ".join(self.clauses),
        }


def _phase_clause_reference(phase: Phase) -> str:
    definition = phase.definition
    # The certification stages ("all") and the gap analysis (assessing, not building) are not
    # work on the audited processes themselves.
    if definition is None or definition.clauses == "all" or phase.key == PhaseKey.GAP_ANALYSIS:
        return ""
    return definition.clauses


def independence_warnings(project, audits: list[Audit]) -> list[IndependenceWarning]:
    """Internal auditors who own a phase, an open task, a document or an operating process in the
    scope of their audit: their own work (audits.independence refuses such an audit).

    Four queries whatever the number of audits: phases, open tasks, documents, processes.
    """
    auditors_of = {}
    for audit in audits:
        people = {u.pk: u for u in audit.team.all()}
        if audit.lead_auditor_id:
            people[audit.lead_auditor_id] = audit.lead_auditor
        # Certification-body auditors are independent by definition; members only transcribe.
        if people and audit.status != "closed" and audit.audit_type == AuditType.INTERNAL:
            auditors_of[audit.pk] = people
    if not auditors_of:
        return []
    all_ids = {uid for people in auditors_of.values() for uid in people}
    phases = list(Phase.objects.filter(project=project, owner_id__in=all_ids).order_by("order"))
    task_counts = defaultdict(int)
    for row in (
        Task.objects.filter(project=project, assignee_id__in=all_ids)
        .exclude(status=TaskStatus.DONE)
        .values("assignee_id", "phase__key")
        .annotate(n=Count("id"))
    ):
        task_counts[(row["assignee_id"], row["phase__key"])] += row["n"]
    phase_by_key = {p.key: p for p in Phase.objects.filter(project=project)} if task_counts else {}
    documents = document_ownership(project, all_ids) + process_ownership(project, all_ids)

    warnings = []
    for audit in audits:
        people = auditors_of.get(audit.pk)
        if not people:
            continue
        scope = audit.scope_clauses
        for phase in phases:
            reference = _phase_clause_reference(phase)
            overlap = [c for c in scope if reference and clause_in_reference(c, reference)]
            if phase.owner_id in people and overlap and phase.status != PhaseStatus.SKIPPED:
                warnings.append(
                    IndependenceWarning(
                        audit,
                        people[phase.owner_id],
                        f"phase {phase.key} “{phase.display_title}”",
                        overlap,
                        phase.get_absolute_url(),
                    )
                )
        for (user_id, key), count in sorted(task_counts.items()):
            phase = phase_by_key.get(key)
            if user_id not in people or phase is None:
                continue
            reference = _phase_clause_reference(phase)
            overlap = [c for c in scope if reference and clause_in_reference(c, reference)]
            if overlap:
                warnings.append(
                    IndependenceWarning(
                        audit,
                        people[user_id],
                        ngettext(
                            "%(count)s open task in phase %(key)s “%(title)s”",
                            "%(count)s open tasks in phase %(key)s “%(title)s”",
                            count,
                        )
                        % {"count": count, "key": phase.key, "title": phase.display_title},
                        overlap,
                        phase.get_absolute_url(),
                    )
                )
        for owner_id, title, clauses, url in documents:
            if owner_id not in people:
                continue
            overlap = [c for c in scope if any(is_within(c, d) for d in clauses)]
            if overlap:
                warnings.append(IndependenceWarning(audit, people[owner_id], title, overlap, url))
    return warnings


def document_ownership(project, user_ids) -> list[tuple[int, str, list[str], str]]:
    """(owner id, document label, clause numbers, url) of live documents these users own (one query)."""
    from documents.models import Document, DocumentStatus

    rows = (
        Document.objects.filter(project=project, owner_id__in=user_ids)
        .exclude(clauses=[])
        .exclude(status__in=(DocumentStatus.MISSING, DocumentStatus.OBSOLETE))
        .values_list("owner_id", "code", "title", "clauses", "pk")
        .order_by("code")
    )
    return [
        (
            owner_id,
            f"document {code} “{title}”",
            clauses,
            reverse("documents:detail", args=[project.pk, pk]),
        )
        for owner_id, code, title, clauses, pk in rows
    ]


def process_ownership(project, user_ids) -> list[tuple[int, str, list[str], str]]:
    """(owner id, process label, [its clause], url) of the operating processes these users own (one query)."""
    from documents.models import OperatingProcess
    from documents.operation.processes import process_by_clause

    result = []
    for owner_id, clause in (
        OperatingProcess.objects.filter(project=project, owner_id__in=user_ids)
        .values_list("owner_id", "clause")
        .order_by("clause")
    ):
        process = process_by_clause().get(clause)
        if process:
            url = reverse("documents:operation_process", args=[project.pk, process.slug])
            result.append((owner_id, f"process {process.label}", [clause], url))
    return result


# Findings ---------------------------------------------------------------------------------


def finding_list(project):
    return Finding.objects.filter(project=project).select_related("audit", "owner", "raised_by")


def finding_detail(project, finding_id):
    return (
        Finding.objects.filter(project=project, pk=finding_id)
        .select_related("audit", "owner", "raised_by", "closed_by", "improvement")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=CorrectiveAction.objects.select_related("owner", "verified_by").order_by("id"),
            ),
            Prefetch("events", queryset=FindingEvent.objects.select_related("actor", "action")),
            "audit__team",
        )
        .first()
    )


# Readiness --------------------------------------------------------------------------------


def open_major_ncs(project):
    return Finding.objects.filter(project=project, grade=Grade.MAJOR_NC, status__in=OPEN_FINDING_STATUSES)


def overdue_minor_ncs(project, today=None):
    today = today or timezone.localdate()
    return Finding.objects.filter(
        project=project, grade=Grade.MINOR_NC, status__in=OPEN_FINDING_STATUSES, due_date__lt=today
    )


# Progress ---------------------------------------------------------------------------------


def _count_of(queryset):
    """A correlated COUNT(*) subquery over a queryset filtered with OuterRef."""
    return Subquery(
        queryset.order_by().values("project").annotate(n=Count("id")).values("n")[:1],
        output_field=IntegerField(),
    )


def audit_progress(project) -> dict[str, tuple[float, float]]:
    """Phase 11 from the internal audits of the cycle, 12 from the management review, S1/S2 from the
    certification audits and their major NCs, 10 from the improvement register. Two queries."""
    mine = {"project": OuterRef("project")}
    audits = list(
        Audit.objects.filter(project=project)
        .values("audit_type", "status", "planned_start")
        .annotate(
            cycle_start=Subquery(AuditProgramme.objects.filter(**mine).values("cycle_start")[:1]),
            majors=Count("findings", filter=Q(findings__grade=Grade.MAJOR_NC)),
            open_majors=Count(
                "findings",
                filter=Q(findings__grade=Grade.MAJOR_NC, findings__status__in=OPEN_FINDING_STATUSES),
            ),
        )
    )
    mine = {"project": OuterRef("pk")}
    other = (
        Project.objects.filter(pk=project.pk)
        .annotate(
            final_review=Exists(ManagementReview.objects.filter(**mine, status=ReviewStatus.FINAL)),
            n_improvements=_count_of(
                Improvement.objects.filter(**mine).exclude(status=ImprovementStatus.REJECTED)
            ),
            n_improved=_count_of(Improvement.objects.filter(**mine, status=ImprovementStatus.IMPLEMENTED)),
        )
        .values("final_review", "n_improvements", "n_improved")
        .get()
    )
    result: dict[str, tuple[float, float]] = {
        PhaseKey.MANAGEMENT_REVIEW: (1 if other["final_review"] else 0, 1)
    }
    if other["n_improvements"]:
        result[PhaseKey.IMPROVEMENT] = (other["n_improved"] or 0, other["n_improvements"])
    start = (audits[0]["cycle_start"] if audits else None) or project.start_date
    end = cycle_end(start)
    internal = [
        a for a in audits if a["audit_type"] == AuditType.INTERNAL and start <= a["planned_start"] <= end
    ]
    if internal:
        result[PhaseKey.INTERNAL_AUDIT] = (sum(a["status"] in HELD_STATUSES for a in internal), len(internal))
    for key, audit_type in ((PhaseKey.STAGE_1, AuditType.STAGE1), (PhaseKey.STAGE_2, AuditType.STAGE2)):
        stage = [a for a in audits if a["audit_type"] == audit_type]
        if stage:
            held = 1 if any(a["status"] in HELD_STATUSES for a in stage) else 0
            total = sum(a["majors"] for a in stage)
            closed = total - sum(a["open_majors"] for a in stage)
            result[key] = (held + closed, 1 + total)
    return result


def action_counts(project) -> dict:
    today = timezone.localdate()
    return CorrectiveAction.objects.filter(project=project).aggregate(
        open=Count("id", filter=~Q(status=ActionStatus.EFFECTIVE)),
        overdue=Count("id", filter=Q(status=ActionStatus.OPEN, due_date__lt=today)),
        awaiting=Count("id", filter=Q(status=ActionStatus.IMPLEMENTED)),
    )


def finding_counts(project) -> dict:
    counts = {g: {"open": 0, "total": 0} for g in Grade.values}
    for row in (
        Finding.objects.filter(project=project)
        .values("grade")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_FINDING_STATUSES)))
    ):
        counts[row["grade"]] = {"open": row["open"], "total": row["total"]}
    return counts


@dataclass
class ChecklistSummary:
    answered: int
    total: int
    url: str
    finalised: bool

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def checklist_summary(audit: Audit) -> ChecklistSummary | None:
    """The audit checklist's progress, read from the gap-analysis assessment it owns (one query)."""
    if not audit.checklist_id:
        return None
    from gapanalysis.models import Assessment, AssessmentStatus, Result

    row = (
        Assessment.objects.filter(pk=audit.checklist_id)
        .annotate(
            total=Count("responses"),
            answered=Count("responses", filter=~Q(responses__result=Result.NOT_ASSESSED)),
        )
        .values("total", "answered", "status")
        .first()
    )
    return ChecklistSummary(
        answered=row["answered"],
        total=row["total"],
        url=reverse("gapanalysis:overview", args=[audit.project_id, audit.checklist_id]),
        finalised=row["status"] == AssessmentStatus.FINALISED,
    )
