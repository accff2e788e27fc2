"""Issue 9 §2.9: hostile template files get row-numbered errors, quickly, and never a 500:
over-long fields, a huge version, NUL characters, deep nesting, too many rows, a million-row xlsx."""

import io
import json
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gapanalysis.checklist_io import ImportFailed, import_template
from gapanalysis.models import ChecklistTemplate
from tests.factories import template_json

pytestmark = pytest.mark.django_db


def errors_of(content: bytes, filename: str) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_template(content, filename=filename)
    assert not ChecklistTemplate.objects.filter(slug__startswith="custom").exists()
    return failed.value.errors


def as_json(data) -> bytes:
    return json.dumps(data, indent=1).encode()


def test_over_long_fields_are_row_numbered_errors():
    data = template_json()
    data["clauses"][1]["number"] = "1." + "1" * 30
    data["clauses"][2]["title"] = "T" * 500
    data["questions"][0]["text"] = "Q" * 10_000
    errors = errors_of(as_json(data), "long.json")
    assert any(e.startswith("line ") and "number is longer than 20 characters" in e for e in errors), errors
    assert any("title is longer than 200 characters (500)" in e for e in errors)
    assert any("text is longer than 4000 characters" in e for e in errors)
    long_slug = template_json(slug="s" * 100)
    assert any("slug is longer than 80 characters" in e for e in errors_of(as_json(long_slug), "slug.json"))


@pytest.mark.parametrize("version", [99999999999, -1, "1e400", 2**70])
def test_an_out_of_range_version_is_an_error(version):
    data = template_json()
    data["version"] = version
    errors = errors_of(as_json(data), "v.json")
    assert any("version must be a whole number from 1 to 1000000" in e for e in errors), errors


def test_nul_in_json_is_an_error_not_a_database_failure():
    data = template_json()
    data["clauses"][1]["title"] = "Bad\u0000title"
    data["questions"][2]["guidance"] = "\u0000"
    errors = errors_of(as_json(data), "nul.json")
    assert sum("control character (such as NUL)" in e for e in errors) == 2
    assert all(e.startswith("line ") for e in errors)


def test_deep_nesting_is_refused_before_parsing():
    deep = b'{"slug": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert errors_of(deep, "deep.json") == ["Wrong format: the JSON nests deeper than 10 levels."]


def test_too_many_rows_in_csv_and_json_are_refused():
    rows = "type,slug,name,standard,version,number,title,parent,is_leaf,id,clause,text\n"
    rows += "template,custom,C,S,1,,,,,,,\n" + "clause,,,,,1,T,,true,,,\n" * 6000
    errors = errors_of(rows.encode(), "many.csv")
    assert errors[0].startswith("line 5002: the file has more than 5000 rows")
    data = template_json()
    data["questions"] = data["questions"] * 2000
    assert any("“questions” has more than 5000 rows" in e for e in errors_of(as_json(data), "many.json"))


def _xlsx_with_clause_rows(rows: int) -> bytes:
    book = Workbook(write_only=True)
    for name, header, line in (
        ("Template", ["slug", "name", "standard", "version"], ["custom", "C", "S", 1]),
        ("Clauses", ["number", "title", "parent", "is_leaf"], None),
        ("Questions", ["id", "clause", "text"], ["Q-1", "1", "Q?"]),
    ):
        sheet = book.create_sheet(name)
        sheet.append(header)
        if line:
            sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))

    def cell(ref, text):
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    names = ("number", "title", "parent", "is_leaf")
    header = "".join(cell(f"{col}1", name) for col, name in zip("ABCD", names, strict=True))
    body = "".join(f'<row r="{n}">{cell(f"A{n}", 1)}</row>' for n in range(2, rows + 2))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>'
    )
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = sheet.encode() if item.filename == "xl/worksheets/sheet2.xml" else source.read(item)
            target.writestr(item.filename, content)
    return result.getvalue()


def test_a_million_row_workbook_is_refused_in_seconds():
    content = _xlsx_with_clause_rows(1_000_000)
    assert len(content) < 5 * 1024 * 1024  # it passes the upload size limit
    started = time.monotonic()
    errors = errors_of(content, "million.xlsx")
    assert time.monotonic() - started < 5
    assert errors == ["The workbook unpacks to more than 10 MB; it cannot be a template."]


def test_a_workbook_with_too_many_rows_names_the_row():
    errors = errors_of(_xlsx_with_clause_rows(6000), "many.xlsx")
    assert errors == [
        "Sheet Clauses, row 5002: the sheet has more than 5000 rows; "
        "a template holds at most 5000 clauses and questions."
    ]


def test_the_import_page_answers_422_with_the_errors(client, world):
    data = template_json()
    data["version"] = 99999999999
    data["clauses"][1]["title"] = "x\u0000"
    client.force_login(world.user("lead"))
    reply = client.post(
        f"/projects/{world.project.pk}/gap/templates/import/",
        {"file": SimpleUploadedFile("bad.json", as_json(data), "application/json")},
    )
    assert reply.status_code == 422
    page = reply.content.decode()
    assert "version must be a whole number from 1 to 1000000" in page and "control character" in page


def test_a_slow_file_stops_at_the_deadline(monkeypatch):
    from gapanalysis import checklist_limits

    monkeypatch.setattr(checklist_limits, "IMPORT_SECONDS", 0.0)
    errors = errors_of(as_json(template_json()), "slow.json")
    assert errors[0].startswith("The file took too long to read (stopped at clauses[0])")
