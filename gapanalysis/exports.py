"""The Excel workbook of an assessment's results: one row per question, and the clause scores."""

from kernel.spreadsheets import Sheet, workbook_bytes

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


def _documented_information(question) -> str:
    if question.documented_information == "none":
        return question.get_documented_information_display()
    tier = question.get_documented_information_tier_display().lower()
    return f"{question.get_documented_information_display()} ({tier})"


def _coverage(row) -> str:
    score = (
        "no score yet"
        if row.score_percent is None
        else f"score {row.score_percent}% of {row.scored} answered questions"
    )
    extra = f" · {row.not_applicable} marked not applicable" if row.not_applicable else ""
    return f"{score}, {row.not_assessed} not yet assessed{extra}"


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
            "Overall",
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
