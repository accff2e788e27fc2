"""Issue 9 §2.7 / issue 10 item 6: one spreadsheet writer; text that starts like a formula is quoted
in every export (gap analysis, template export), and the template export still round-trips."""

import ast
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gapanalysis.checklist_io import export_template, import_template
from gapanalysis.models import Result
from tests.factories import answer, make_assessment, template_json

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://evil.test","click")'


def test_gap_analysis_export_quotes_formula_like_notes(client, world):
    lead = world.user("lead")
    assessment = make_assessment(world.project, user=lead, clause_numbers=["4"])
    answer(assessment, "GA-4.1-01", Result.NONCONFORMANT, user=lead, notes=EVIL)
    answer(assessment, "GA-4.1-02", Result.PARTIAL, user=lead, notes="@SUM(1+1)")
    client.force_login(world.user("viewer"))
    reply = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/export.xlsx")
    assert reply.status_code == 200
    sheet = load_workbook(io.BytesIO(reply.content))["Results"]
    notes = {row[2].value: row[6] for row in sheet.iter_rows(min_row=2)}
    assert notes["GA-4.1-01"].value == "'" + EVIL and notes["GA-4.1-01"].data_type == "s"
    assert notes["GA-4.1-02"].value == "'@SUM(1+1)"


def evil_template():
    data = template_json(slug="evil")
    data["clauses"][1]["title"] = "=1+2"
    data["questions"][0]["text"] = EVIL
    data["questions"][1]["guidance"] = "-2+3"
    data["questions"][2]["text"] = "\tTabbed"
    return data, import_template(json.dumps(data).encode(), filename="evil.json")


def test_template_xlsx_export_quotes_formulas_and_imports_back_unchanged():
    data, template = evil_template()
    book = load_workbook(io.BytesIO(export_template(template, "xlsx")))
    clause_titles = [r[1] for r in book["Clauses"].iter_rows(min_row=2, values_only=True)]
    question_texts = [r[2] for r in book["Questions"].iter_rows(min_row=2, values_only=True)]
    assert "'=1+2" in clause_titles and "'" + EVIL in question_texts
    assert not any(c.data_type == "f" for row in book["Questions"].iter_rows() for c in row)
    book["Template"]["D2"] = 2
    out = io.BytesIO()
    book.save(out)
    copy = import_template(out.getvalue(), filename="evil.xlsx")
    assert copy.clauses.get(number="1.1").title == "=1+2"
    assert copy.questions.get(code="T-1.1-01").text == EVIL
    assert copy.questions.get(code="T-1.1-02").guidance == "-2+3"


def test_template_csv_export_quotes_formulas_and_imports_back_unchanged():
    data, template = evil_template()
    content = export_template(template, "csv")
    assert b"\n=" not in content and b",=" not in content and b',"=' not in content
    assert b"'=1+2" in content
    copy = import_template(content.replace(b"Test standard,1,", b"Test standard,2,", 1), filename="evil.csv")
    assert copy.version == 2 and copy.clauses.get(number="1.1").title == "=1+2"
    assert copy.questions.get(code="T-1.1-01").text == EVIL


def test_no_code_outside_the_one_writer_builds_a_workbook():
    """Every xlsx the app writes goes through kernel.spreadsheets (issue 10 item 6)."""
    writers = []
    # The product's own packages only: virtualenvs (.venv, .venv-3.11, …) hold openpyxl itself.
    product = ("sms_tracker", "projects", "gapanalysis", "documents", "audits")
    for path in (path for package in product for path in (ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.as_posix() == "kernel/spreadsheets.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("openpyxl"):
                if any(alias.name in {"Workbook", "Font", "Alignment"} for alias in node.names):
                    writers.append(str(relative))
    assert writers == []
