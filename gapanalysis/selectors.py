"""Reads for assessments: lists scoped to a project, overviews and scores with constant queries.

Score rule: conformant counts 1, partially conformant 0.5, nonconformant 0; not applicable and
not yet assessed answers are left out, and so are the answers on an explanatory clause
(TemplateClause.informative: it sets no requirement), counted as answered under NOT_SCORED.
A clause without a scored answer has no score (None).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.clauses import clause_depth, sort_clauses
from kernel.fragments import cached
from projects.models import Task, TaskStatus
from projects.roadmap import PhaseKey

from .content_translations import translations_fingerprint
from .models import (
    Assessment,
    AssessmentAuditor,
    AssessmentKind,
    ChecklistTemplate,
    Evidence,
    Response,
    Result,
    TemplateClause,
)

SCORE_RULE = _(
    "Score = (conformant × 1 + partially conformant × 0.5 + nonconformant × 0) ÷ answers scored; "
    "not applicable and not yet assessed answers are left out, and so are answers on an explanatory "
    "clause (one that sets no requirement)."
)
WEIGHTS = {Result.CONFORMANT: 1.0, Result.PARTIAL: 0.5, Result.NONCONFORMANT: 0.0}
# The count key of answers given on an explanatory clause: answered, never scored.
NOT_SCORED = "not_scored"


def _scored_key(result: str, informative: bool) -> str:
    return NOT_SCORED if informative and result in WEIGHTS else result


def score(counts: dict) -> float | None:
    """The score rule on result counts, as a fraction 0–1 (None when nothing is scored)."""
    scored = sum(counts.get(result, 0) for result in WEIGHTS)
    if not scored:
        return None
    return sum(counts.get(result, 0) * weight for result, weight in WEIGHTS.items()) / scored


def as_percent(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


@dataclass
class ClauseRow:
    """A clause of an assessment with its answer counts (leaf clauses directly, parents summed)."""

    number: str
    title: str
    is_leaf: bool
    level: int
    pk: int
    counts: dict = field(default_factory=dict)
    guidance: str = ""
    informative: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def answered(self) -> int:
        return self.total - self.counts.get(Result.NOT_ASSESSED, 0)

    @property
    def scored(self) -> int:
        """Answers that count in the score (conformant, partial, nonconformant)."""
        return sum(self.counts.get(result, 0) for result in WEIGHTS)

    @property
    def not_assessed(self) -> int:
        return self.counts.get(Result.NOT_ASSESSED, 0)

    @property
    def not_applicable(self) -> int:
        return self.counts.get(Result.NOT_APPLICABLE, 0)

    @property
    def progress(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def score(self) -> float | None:
        return score(self.counts)

    @property
    def score_percent(self) -> int | None:
        return as_percent(self.score)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered == self.total

    def count(self, result) -> int:
        return self.counts.get(result, 0)


# Lists and single assessments -------------------------------------------------------------


def gap_assessment_list(*, project):
    """Gap assessments of a project (audit checklists belong to the audits app), newest first,
    with answer counts per result (for progress and score) in the same query; answers on an
    explanatory clause count under NOT_SCORED instead of their result."""
    scored = Q(responses__question__clause__informative=False)
    result_counts = {
        f"n_{result}": Count(
            "responses", filter=Q(responses__result=result) & (scored if result in WEIGHTS else Q())
        )
        for result in Result.values
    }
    result_counts[f"n_{NOT_SCORED}"] = Count(
        "responses",
        filter=Q(responses__question__clause__informative=True, responses__result__in=list(WEIGHTS)),
    )
    return (
        Assessment.objects.filter(project=project, kind=AssessmentKind.GAP)
        .select_related("template", "created_by", "finalised_by")
        .annotate(total=Count("responses"), **result_counts)
        .order_by("-created_at", "-id")
    )


def counts_of(assessment) -> dict:
    """The per-result counts annotated by gap_assessment_list, as a {result: count} dict (answers on
    an explanatory clause are in none of them: `n_not_scored` holds those)."""
    return {result: getattr(assessment, f"n_{result}", 0) for result in Result.values}


def latest_gap_assessment(project) -> Assessment | None:
    return (
        Assessment.objects.filter(project=project, kind=AssessmentKind.GAP)
        .select_related("template")
        .order_by("-created_at", "-id")
        .first()
    )


def assessment_get(*, project, assessment_id) -> Assessment:
    return Assessment.objects.select_related("template", "finalised_by", "reopened_by", "created_by").get(
        project=project, pk=assessment_id
    )


def template_list(*, project):
    """The library and this project's own templates; "used by" counts this project's assessments."""
    return (
        ChecklistTemplate.objects.visible_in(project)
        .annotate(
            clause_count=Count("clauses", filter=Q(clauses__is_leaf=True), distinct=True),
            question_count=Count("questions", distinct=True),
            assessment_count=Count("assessments", filter=Q(assessments__project=project), distinct=True),
        )
        .order_by("project_id", "slug", "-version")
    )


def auditor_assignments(assessment) -> list[AssessmentAuditor]:
    return list(
        AssessmentAuditor.objects.filter(assessment=assessment)
        .select_related("user", "clause")
        .order_by("user__username", "clause__order")
    )


def user_assignment_clause_ids(assessment, user) -> set:
    """Clause ids the user is assigned to (None in the set = the whole assessment)."""
    return set(
        AssessmentAuditor.objects.filter(assessment=assessment, user=user).values_list("clause_id", flat=True)
    )


# Counts and scores --------------------------------------------------------------------------


def _leaf_counts(assessment) -> dict[int, dict]:
    """{clause_id: {result: count}} for the assessment's responses: one query."""
    counts: dict[int, dict] = {}
    rows = (
        Response.objects.filter(assessment=assessment)
        .values("question__clause_id", "result")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["question__clause_id"], {})[row["result"]] = row["n"]
    return counts


@dataclass(frozen=True)
class TreeClause:
    pk: int
    number: str
    title: str
    is_leaf: bool
    parent_id: int | None
    guidance: str
    informative: bool = False


def template_clauses(template_id) -> list[TreeClause]:
    """A checklist template's clauses in order, cached: an import adds a template, it never edits
    one, so the tree under a template id never changes."""

    def load():
        return [
            TreeClause(*row)
            for row in TemplateClause.objects.filter(template_id=template_id)
            .order_by("order")
            .values_list("pk", "number", "title", "is_leaf", "parent_id", "guidance", "informative")
        ]

    # Titles and guidance are read in the active language; the shipped translations change only with
    # their files, whose fingerprint is in the key.
    language = translation.get_language() or settings.LANGUAGE_CODE
    return cached(f"gap:template-clauses:v3:{template_id}:{language}:{translations_fingerprint()}", load)


def assessment_overview(assessment) -> list[ClauseRow]:
    """Every clause of the template that has questions in the assessment, in clause order, with
    answered/total and score; parents sum their leaves. Two queries whatever the size."""
    counts = _leaf_counts(assessment)
    clauses = template_clauses(assessment.template_id)
    for clause in clauses:
        if clause.informative and clause.pk in counts:
            leaf = {}
            for result, n in counts[clause.pk].items():
                key = _scored_key(result, True)
                leaf[key] = leaf.get(key, 0) + n
            counts[clause.pk] = leaf
    rows = {
        c.pk: ClauseRow(
            c.number,
            c.title,
            c.is_leaf,
            clause_depth(c.number),
            c.pk,
            dict(counts.get(c.pk, {})),
            c.guidance,
            c.informative,
        )
        for c in clauses
    }
    parent_of = {c.pk: c.parent_id for c in clauses}
    for clause in clauses:
        if not clause.is_leaf:
            continue
        parent = parent_of[clause.pk]
        while parent is not None:
            for result, n in counts.get(clause.pk, {}).items():
                rows[parent].counts[result] = rows[parent].counts.get(result, 0) + n
            parent = parent_of[parent]
    return [rows[c.pk] for c in clauses if rows[c.pk].total]


def clause_scores(assessment) -> dict[str, float | None]:
    """{clause number: score 0–1 or None} for every clause of the assessment (leaves and parents)."""
    return {row.number: row.score for row in assessment_overview(assessment)}


def overall_counts(assessment) -> dict:
    """{result: count} over the assessment; answers on an explanatory clause count as NOT_SCORED."""
    rows = (
        Response.objects.filter(assessment=assessment)
        .values("result", "question__clause__informative")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict = {}
    for row in rows:
        key = _scored_key(row["result"], row["question__clause__informative"])
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def overall_score(assessment) -> float | None:
    return score(overall_counts(assessment))


def summary_from_rows(rows: list[ClauseRow]) -> ClauseRow:
    """The whole assessment as one row, summed from the top-level clauses."""
    total = ClauseRow("", gettext("Overall"), False, -1, 0)
    for row in rows:
        if row.level == 0:
            for result, n in row.counts.items():
                total.counts[result] = total.counts.get(result, 0) + n
    return total


@dataclass
class ComparisonRow:
    number: str
    title: str
    level: int
    before: float | None
    after: float | None

    @property
    def before_percent(self):
        return as_percent(self.before)

    @property
    def after_percent(self):
        return as_percent(self.after)

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return as_percent(self.after) - as_percent(self.before)


def compare_assessments(a: Assessment, b: Assessment) -> dict:
    """Scores of two assessments side by side per clause number, with the change from a to b."""
    rows_a, rows_b = assessment_overview(a), assessment_overview(b)
    by_a = {r.number: r for r in rows_a}
    by_b = {r.number: r for r in rows_b}
    numbers = [r.number for r in rows_a] + [r.number for r in rows_b if r.number not in by_a]
    rows = []
    for number in sort_clauses(numbers):
        row_a, row_b = by_a.get(number), by_b.get(number)
        reference = row_b or row_a
        rows.append(
            ComparisonRow(
                number,
                reference.title,
                reference.level,
                row_a.score if row_a else None,
                row_b.score if row_b else None,
            )
        )
    overall_a, overall_b = summary_from_rows(rows_a), summary_from_rows(rows_b)
    return {
        "rows": rows,
        "overall": ComparisonRow("", gettext("Overall"), -1, overall_a.score, overall_b.score),
    }


@dataclass(frozen=True)
class NotApplicableAnswer:
    pk: int
    code: str
    text: str
    clause_number: str
    reason: str

    @property
    def has_reason(self) -> bool:
        return bool(self.reason.strip())


def not_applicable_answers(assessment) -> list[NotApplicableAnswer]:
    """The answers marked not applicable, with their reason (the notes), in checklist order: one
    query. The standard allows no exclusions, so the score page lists them and why."""
    rows = (
        Response.objects.filter(assessment=assessment, result=Result.NOT_APPLICABLE)
        .order_by("question__order")
        .values_list("pk", "question__code", "question__text", "question__clause__number", "notes")
    )
    return [NotApplicableAnswer(*row) for row in rows]


# The filling page ---------------------------------------------------------------------------


def _removed_evidence():
    """Evidence removed by someone other than its uploader, kept for the lead to see."""
    return Prefetch(
        "evidence",
        queryset=Evidence.all_objects.filter(deleted_at__isnull=False).select_related("deleted_by"),
        to_attr="removed_evidence",
    )


def clause_responses(assessment, clause, *, with_removed: bool = False):
    """The responses of one clause with question, evidence and open remediation tasks: 3 queries
    (a fourth for the removed evidence, which only the lead sees)."""
    open_tasks = (
        Task.objects.exclude(status=TaskStatus.DONE).select_related("phase", "assignee").order_by("id")
    )
    prefetches = ["evidence", Prefetch("remediation_tasks", queryset=open_tasks, to_attr="open_tasks")]
    if with_removed:
        prefetches.append(_removed_evidence())
    responses = list(
        Response.objects.filter(assessment=assessment, question__clause=clause)
        .select_related("question", "answered_by")
        .prefetch_related(*prefetches)
        .order_by("question__order")
    )
    _attach_answer_history(responses)
    return responses


def _attach_answer_history(responses) -> None:
    """Each response's earlier answers, newest first, as `answer_history` (one query for all)."""
    by_response = defaultdict(list)
    history = Response.history.filter(id__in=[r.pk for r in responses]).select_related("history_user")
    for row in history.order_by("-history_date", "-history_id"):
        by_response[row.id].append(row)
    for response in responses:
        response.answer_history = by_response[response.pk]


def response_with_related(response_id, *, with_removed: bool = False):
    return (
        Response.objects.select_related("question", "answered_by")
        .prefetch_related(
            *([_removed_evidence()] if with_removed else []),
            "evidence",
            Prefetch(
                "remediation_tasks",
                queryset=Task.objects.exclude(status=TaskStatus.DONE).select_related("phase", "assignee"),
                to_attr="open_tasks",
            ),
        )
        .get(pk=response_id)
    )


def assessment_results(assessment):
    """Every response with its question, clause, evidence and tasks, for the Excel export."""
    return (
        Response.objects.filter(assessment=assessment)
        .select_related("question__clause", "answered_by")
        .prefetch_related("evidence", "remediation_tasks")
        .order_by("question__order")
    )


# Roadmap ----------------------------------------------------------------------


def gap_phase_progress(project) -> dict[str, tuple[float, float]]:
    """Phase 3 = answered / total of the latest gap assessment (one query)."""
    latest = (
        Assessment.objects.filter(project=project, kind=AssessmentKind.GAP)
        .annotate(
            total=Count("responses"),
            answered=Count("responses", filter=~Q(responses__result=Result.NOT_ASSESSED)),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        return {}
    return {PhaseKey.GAP_ANALYSIS: (latest.answered, latest.total)}


def evidence_bytes(project) -> int:
    """Bytes of evidence files in the project, removed ones kept for the lead included (storage quota)."""
    from django.db.models import Sum

    return (
        Evidence.all_objects.filter(response__assessment__project=project).aggregate(total=Sum("size"))[
            "total"
        ]
        or 0
    )
