"""Gap analysis: score per clause in the management report, and the gap-analysis report of one assessment."""

from django.utils.translation import gettext as _

from gapanalysis import selectors
from gapanalysis.charts import score_chart
from gapanalysis.models import GAP_RESULTS, Assessment, AssessmentKind, Response, Result

GAPS_LISTED = 120


def gap_section(project, *, today, shared):
    """The latest gap assessment: overall score and the score of each top-level clause."""
    assessment = selectors.latest_gap_assessment(project)
    if assessment is None:
        return {"assessment": None}
    rows = selectors.assessment_overview(assessment)
    top = [row for row in rows if row.level == 0]
    return {
        "assessment": assessment,
        "overall": selectors.summary_from_rows(rows),
        "rows": top,
        "chart": score_chart(rows, leaves=False),
        "score_rule": selectors.SCORE_RULE,
    }


def gap_subjects(project) -> list[tuple[int, str]]:
    return list(
        Assessment.objects.filter(project=project, kind=AssessmentKind.GAP)
        .order_by("-created_at", "-id")
        .values_list("pk", "title")
    )


def build_gap_report(project, *, subject_id, today):
    assessment = selectors.assessment_get(project=project, assessment_id=subject_id)
    rows = selectors.assessment_overview(assessment)
    gaps = (
        Response.objects.filter(assessment=assessment, result__in=GAP_RESULTS)
        .select_related("question", "question__clause", "answered_by")
        .prefetch_related("remediation_tasks")
        .order_by("question__clause__order", "question__order")
    )
    gap_list = list(gaps[: GAPS_LISTED + 1])
    return {
        "project": project,
        "title": _("Gap-analysis report"),
        "subtitle": assessment.title,
        "assessment": assessment,
        "rows": rows,
        "overall": selectors.summary_from_rows(rows),
        "chart": score_chart(rows, leaves=False),
        "score_rule": selectors.SCORE_RULE,
        "results": [(r.value, r.label) for r in Result],
        "not_applicable": selectors.not_applicable_answers(assessment),
        "gaps": gap_list[:GAPS_LISTED],
        "more_gaps": len(gap_list) > GAPS_LISTED,
    }
