"""The Excel workbook of an assessment's results: one row per question, and the clause scores."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.spreadsheets import Sheet, workbook_bytes

from . import selectors

RESULT_COLUMNS = (
    (_("Clause"), 10),
    (_("Clause title"), 36),
    (_("Question id"), 16),
    (_("Question"), 60),
    (_("Documented information"), 14),
    (_("Result"), 22),
    (_("Notes"), 50),
    (_("Evidence"), 40),
    (_("Remediation tasks"), 40),
    (_("Answered by"), 16),
    (_("Answered at"), 18),
)
SCORE_COLUMNS = (
    _("Clause"),
    _("Title"),
    _("Answered"),
    _("Total"),
    _("Conformant"),
    _("Partial"),
    _("Nonconformant"),
    "N/A",
    "Score %",
)


def _documented_information(question) -> str:
    if question.documented_information == "none":
        return question.get_documented_information_display()
    tier = question.get_documented_information_tier_display().lower()
    return f"{question.get_documented_information_display()} ({tier})"


def _coverage(row) -> str:
    score = (
        gettext("no score yet")
        if row.score_percent is None
        else gettext("score %(score_percent)s%% of %(scored)s answered questions")
        % {"score_percent": row.score_percent, "scored": row.scored}
    )
    extra = (
        gettext(" · %(not_applicable)s marked not applicable") % {"not_applicable": row.not_applicable}
        if row.not_applicable
        else ""
    )
    return gettext("%(score)s, %(not_assessed)s not yet assessed%(extra)s") % {
        "score": score,
        "not_assessed": row.not_assessed,
        "extra": extra,
    }


def assessment_workbook(assessment) -> bytes:
    results = [
        [
            response.question.clause.number,
            response.question.clause.title,
            response.question.code,
            response.question.text,
            _documented_information(response.question),
            response.get_result_display(),
            response.notes,
            "\n".join(e.url or e.filename for e in response.evidence.all()),
            "\n".join(f"{t.title} ({t.get_status_display()})" for t in response.remediation_tasks.all()),
            response.answered_by.username if response.answered_by else "",
            response.answered_at,
        ]
        for response in selectors.assessment_results(assessment)
    ]
    rows = selectors.assessment_overview(assessment)
    overall = selectors.summary_from_rows(rows)
    scores = [
        [
            row.number,
            ("    " * row.level) + row.title,
            row.answered,
            row.total,
            row.count("conformant"),
            row.count("partial"),
            row.count("nonconformant"),
            row.count("not_applicable"),
            row.score_percent,
        ]
        for row in rows
    ]
    scores += [
        [
            "",
            gettext("Overall"),
            overall.answered,
            overall.total,
            overall.count("conformant"),
            overall.count("partial"),
            overall.count("nonconformant"),
            overall.count("not_applicable"),
            overall.score_percent,
        ],
        ["", _coverage(overall)],
        [],
        ["", str(selectors.SCORE_RULE)],
    ]
    return workbook_bytes(
        Sheet(
            gettext("Results"),
            [str(name) for name, _ in RESULT_COLUMNS],
            results,
            widths=[width for _, width in RESULT_COLUMNS],
            wrap=True,
        ),
        Sheet(
            gettext("Scores"),
            [str(c) for c in SCORE_COLUMNS],
            scores,
            widths=[10, 60, 10, 10, 12, 10, 14, 8, 10],
            freeze=False,
        ),
    )
