"""The score chart is plain SVG computed on the server: bar length follows the score."""

from django.template.loader import render_to_string

from gapanalysis.charts import BAR_WIDTH, score_chart
from gapanalysis.models import Result
from gapanalysis.selectors import ClauseRow


def rows():
    return [
        ClauseRow("4", "Context", False, 0, 1, {Result.CONFORMANT: 1, Result.PARTIAL: 1}),
        ClauseRow("4.1", "Issues", True, 1, 2, {Result.CONFORMANT: 1, Result.PARTIAL: 1}),
        ClauseRow("5", "Leadership", False, 0, 3, {Result.NOT_ASSESSED: 2}),
        ClauseRow("5.1", "Commitment", True, 1, 4, {Result.NOT_ASSESSED: 2}),
    ]


def test_bars_follow_the_scores_and_unscored_clauses_say_so():
    chart = score_chart(rows())
    assert [(b.label, b.value, b.width) for b in chart["bars"]] == [
        ("4 Context", 75, BAR_WIDTH * 0.75),
        ("4.1 Issues", 75, BAR_WIDTH * 0.75),
        ("5 Leadership", None, 0),
        ("5.1 Commitment", None, 0),
    ]
    assert [b.y for b in score_chart(rows(), leaves=False)["bars"]] == [22, 44]


def test_the_partial_is_self_contained_svg_without_script():
    svg = render_to_string("gapanalysis/partials/score_chart.html", {"chart": score_chart(rows())})
    assert "<svg" in svg and 'font-size="11"' in svg and "<script" not in svg
    assert "not scored" in svg and "75%" in svg
