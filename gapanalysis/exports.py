"""The Excel workbook of an assessment's results: one row per question, and the clause scores."""

from sms_tracker.core.spreadsheets import Sheet, workbook_bytes

from . import selectors

RESULT_COLUMNS = (
    ("Clause", 10),
    ("Clause title", 36),
    ("Question id", 16),
    ("Question", 60),
    ("Documented information", 14),
    ("Result", 22),
    ("Notes", 50),
    ("Evidence", 40),
    ("Remediation tasks", 40),
    ("Answered by", 16),
    ("Answered at", 18),
)
SCORE_COLUMNS = (
    "Clause",
    "Title",
    "Answered",
    "Total",
    "Conformant",
    "Partial",
    "Nonconformant",
    "N/A",
    "Score %",
)


def assessment_workbook(assessment) -> bytes:
    results = [
        [
            response.question.clause.number,
            response.question.clause.title,
            response.question.code,
            response.question.text,
            response.question.get_documented_information_display(),
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
        ["", "Overall", overall.answered, overall.total, None, None, None, None, overall.score_percent],
        [],
        ["", selectors.SCORE_RULE],
    ]
    return workbook_bytes(
        Sheet(
            "Results",
            [name for name, _ in RESULT_COLUMNS],
            results,
            widths=[width for _, width in RESULT_COLUMNS],
            wrap=True,
        ),
        Sheet("Scores", SCORE_COLUMNS, scores, widths=[10, 60, 10, 10, 12, 10, 14, 8, 10], freeze=False),
    )
