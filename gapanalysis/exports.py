"""The Excel workbook of an assessment's results: one row per question, and the clause scores."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

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


def assessment_workbook(assessment) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append([name for name, _ in RESULT_COLUMNS])
    for index, (_, width) in enumerate(RESULT_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for response in selectors.assessment_results(assessment):
        question, clause = response.question, response.question.clause
        sheet.append(
            [
                clause.number,
                clause.title,
                question.code,
                question.text,
                question.get_documented_information_display(),
                response.get_result_display(),
                response.notes,
                "\n".join(e.url or e.filename for e in response.evidence.all()),
                "\n".join(f"{t.title} ({t.get_status_display()})" for t in response.remediation_tasks.all()),
                response.answered_by.username if response.answered_by else "",
                response.answered_at.replace(tzinfo=None) if response.answered_at else None,
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"

    scores = book.create_sheet("Scores")
    scores.append(
        ["Clause", "Title", "Answered", "Total", "Conformant", "Partial", "Nonconformant", "N/A", "Score %"]
    )
    rows = selectors.assessment_overview(assessment)
    for row in rows:
        scores.append(
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
        )
    overall = selectors.summary_from_rows(rows)
    scores.append(
        ["", "Overall", overall.answered, overall.total, None, None, None, None, overall.score_percent]
    )
    scores.append([])
    scores.append(["", selectors.SCORE_RULE])
    for cell in scores[1]:
        cell.font = Font(bold=True)
    scores.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
