from django import template

from .. import selectors
from ..charts import score_chart

register = template.Library()


@register.inclusion_tag("gapanalysis/partials/dashboard_card_body.html")
def gap_dashboard_card(project):
    """The latest gap assessment on the project dashboard: progress, score and the top-level chart."""
    assessment = selectors.latest_gap_assessment(project)
    if assessment is None:
        return {"project": project, "assessment": None}
    rows = selectors.assessment_overview(assessment)
    return {
        "project": project,
        "assessment": assessment,
        "overall": selectors.summary_from_rows(rows),
        "chart": score_chart(rows, leaves=False),
    }
