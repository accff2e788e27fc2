"""Template import: the whole file is validated first, every bad row is reported with its line,
and on any error nothing is imported. Export → import round-trips in every format."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from gapanalysis.checklist_io import ImportFailed, export_template, import_template
from gapanalysis.models import ChecklistTemplate, Question, TemplateClause
from tests.factories import iso_template, make_template, template_json

pytestmark = pytest.mark.django_db


def counts():
    return ChecklistTemplate.objects.count(), TemplateClause.objects.count(), Question.objects.count()


def csv_bytes(rows, header=None):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        header
        or [
            "type",
            "slug",
            "name",
            "standard",
            "version",
            "number",
            "title",
            "parent",
            "is_leaf",
            "id",
            "clause",
            "text",
            "documented_information",
            "guidance",
        ]
    )
    writer.writerows(rows)
    return out.getvalue().encode()


def good_csv_rows():
    return [
        ["template", "csv-test", "CSV test", "Std", "1", "", "", "", "", "", "", "", "", ""],
        ["clause", "", "", "", "", "1", "Top", "", "false", "", "", "", "", ""],
        ["clause", "", "", "", "", "1.1", "Leaf", "1", "true", "", "", "", "", ""],
        ["question", "", "", "", "", "", "", "", "", "Q-1", "1.1", "Is it done?", "record", "Look"],
    ]


def test_csv_with_several_bad_rows_reports_every_one_with_its_line_and_imports_nothing():
    before = counts()
    rows = good_csv_rows() + [
        ["question", "", "", "", "", "", "", "", "", "Q-1", "1.1", "Duplicate id", "none", ""],  # line 6
        ["question", "", "", "", "", "", "", "", "", "Q-2", "9.9", "Unknown clause", "none", ""],  # line 7
        ["question", "", "", "", "", "", "", "", "", "Q-3", "1", "On a heading", "none", ""],  # line 8
        ["question", "", "", "", "", "", "", "", "", "Q-4", "1.1", "Bad flag", "maybe", ""],  # line 9
        ["clause", "", "", "", "", "1.x", "", "", "perhaps", "", "", "", "", ""],  # line 10
    ]
    with pytest.raises(ImportFailed) as failed:
        import_template(csv_bytes(rows), filename="bad.csv")
    errors = failed.value.errors
    assert any(e.startswith("line 6:") and "duplicate question id Q-1 (first at line 5)" in e for e in errors)
    assert any(e.startswith("line 7:") and "unknown clause “9.9”" in e for e in errors)
    assert any(e.startswith("line 8:") and "not a leaf clause" in e for e in errors)
    assert any(e.startswith("line 9:") and "documented_information" in e for e in errors)
    assert any(
        e.startswith("line 10:") and "is not like 8.2.1" in e and "title is required" in e for e in errors
    )
    assert len(errors) == 5
    assert counts() == before


def test_a_good_csv_imports_in_one_go():
    template = import_template(csv_bytes(good_csv_rows()), filename="good.csv")
    assert (template.slug, template.version) == ("csv-test", 1)
    assert template.questions.get().clause.number == "1.1"


def test_missing_columns_are_named():
    with pytest.raises(ImportFailed) as failed:
        import_template(b"type,number,title\nclause,1,Top\n", filename="short.csv")
    assert failed.value.errors == [
        "Missing columns: parent, is_leaf, id, clause, text (line 1 must name the columns)."
    ]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("checklist.pdf", b"%PDF-1.4", "Wrong format: “checklist.pdf” is not a .json, .csv or .xlsx file."),
        ("checklist.json", b"{not json", "Wrong format: not valid JSON"),
        ("checklist.json", b"[1, 2]", "Wrong format: the JSON must be an object"),
        ("checklist.xlsx", b"PK\x03\x04 not really a zip", "Wrong format: not a readable Excel workbook."),
        ("checklist.csv", b"\xff\xfe\x00t\x00y", "Wrong format: the file is not UTF-8 CSV text."),
    ],
)
def test_wrong_format_is_refused_with_a_clear_message(filename, content, message):
    before = counts()
    with pytest.raises(ImportFailed) as failed:
        import_template(content, filename=filename)
    assert failed.value.errors[0].startswith(message)
    assert counts() == before


def test_json_duplicate_question_id_is_reported_with_its_line():
    data = template_json(slug="dup", clauses=1, questions_per_clause=2)
    data["questions"][1]["id"] = data["questions"][0]["id"]
    text = json.dumps(data, indent=1)
    lines = text.splitlines()
    start = lines.index(' "questions": [')
    first_line, duplicate_line = [n + 1 for n, line in enumerate(lines) if n > start and line == "  {"]
    before = counts()
    with pytest.raises(ImportFailed) as failed:
        import_template(text.encode(), filename="dup.json")
    assert failed.value.errors == [
        f"line {duplicate_line}: duplicate question id T-1.1-01 (first at line {first_line})."
    ]
    assert counts() == before


def test_an_existing_version_is_refused_so_running_assessments_keep_theirs():
    content = export_template(iso_template(), "json")
    with pytest.raises(ImportFailed) as failed:
        import_template(content, filename="iso.json")
    assert "already exists; raise the version" in failed.value.errors[0]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_then_import_round_trips_the_iso_checklist(fmt):
    original = iso_template()
    content = export_template(original, fmt)
    if fmt == "json":
        content = content.replace(b'"version": 3,', b'"version": 4,', 1)
    elif fmt == "csv":
        content = content.replace(
            b"ISO/IEC 20000-1:2018 + Amd 1:2024,3,",
            b"ISO/IEC 20000-1:2018 + Amd 1:2024,4,",
            1,
        )
    else:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content))
        book["Template"]["D2"] = 4
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    copy = import_template(content, filename=f"iso.{fmt}")
    assert copy.version == 4

    def tree(template):
        return list(
            template.clauses.order_by("order").values_list(
                "number", "title", "parent__number", "is_leaf", "guidance", "informative"
            )
        )

    def questions(template):
        return list(
            template.questions.order_by("order").values_list(
                "code",
                "clause__number",
                "text",
                "documented_information",
                "guidance",
                "documented_information_tier",
            )
        )

    assert tree(copy) == tree(original)
    assert questions(copy) == questions(original)
    assert [number for number, *_, informative in tree(copy) if informative] == ["8.3.1"]


def test_xlsx_missing_sheet_and_bad_rows_are_reported_by_sheet_and_row():
    book = Workbook()
    book.active.title = "Template"
    book.active.append(["slug", "name", "standard", "version"])
    book.active.append(["x", "X", "Std", "zero"])
    clauses = book.create_sheet("Clauses")
    clauses.append(["number", "title", "parent", "is_leaf", "guidance"])
    clauses.append(["1", "Top", None, True, ""])
    questions = book.create_sheet("Questions")
    questions.append(["id", "clause", "text", "documented_information", "guidance"])
    questions.append(["Q-1", "2", "Where?", "none", ""])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFailed) as failed:
        import_template(out.getvalue(), filename="x.xlsx")
    assert failed.value.errors == [
        "sheet Template, row 2: version must be a whole number from 1 to 1000000 (got “zero”).",
        "sheet Questions, row 2: unknown clause “2”.",
    ]


def test_management_commands_export_and_import(tmp_path, capsys):
    template = make_template(slug="cmd")
    target = tmp_path / "cmd.csv"
    call_command("export_template", "cmd", "--format", "csv", "-o", str(target))
    assert target.read_text().startswith("type,slug,name")
    target.write_text(target.read_text().replace("Test standard,1,", "Test standard,2,"))
    call_command("import_template", str(target))
    assert "Imported Custom cmd (v2)" in capsys.readouterr().out
    assert ChecklistTemplate.objects.filter(slug=template.slug).count() == 2


def test_import_command_lists_every_error_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            good_csv_rows() + [["question", "", "", "", "", "", "", "", "", "Q-1", "7", "", "none", ""]]
        )
    )
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_template", str(bad))
    assert (
        "line 6: duplicate question id Q-1 (first at line 5); unknown clause “7”; text is required."
        in capsys.readouterr().err
    )
    assert not ChecklistTemplate.objects.filter(slug="csv-test").exists()


def test_export_command_refuses_an_unknown_slug():
    with pytest.raises(CommandError, match="No checklist template “nope”"):
        call_command("export_template", "nope")


def test_lead_uploads_a_bad_file_and_sees_every_error_with_422(client, world):
    client.force_login(world.user("lead"))
    rows = good_csv_rows() + [["question", "", "", "", "", "", "", "", "", "Q-1", "1.1", "Again", "none", ""]]
    response = client.post(
        f"/projects/{world.project.pk}/gap/templates/import/",
        {"file": SimpleUploadedFile("bad.csv", csv_bytes(rows), "text/csv")},
    )
    assert response.status_code == 422
    assert "Nothing was imported" in response.content.decode()
    assert "line 6: duplicate question id Q-1" in response.content.decode()
    assert not ChecklistTemplate.objects.filter(slug="csv-test").exists()


def test_lead_downloads_a_template_in_each_format(client, world):
    client.force_login(world.user("lead"))
    template = iso_template()
    for fmt, marker in (("json", b'"slug": "iso20000-1-2018"'), ("csv", b"type,slug"), ("xlsx", b"PK")):
        response = client.get(
            f"/projects/{world.project.pk}/gap/templates/{template.pk}/export/?format={fmt}"
        )
        assert response.status_code == 200
        assert marker in response.content[:200]
        assert response["Content-Disposition"].endswith(f'iso20000-1-2018-v3.{fmt}"')
    assert (
        client.get(f"/projects/{world.project.pk}/gap/templates/{template.pk}/export/?format=pdf").status_code
        == 400
    )


@pytest.mark.parametrize(
    ("number", "parent", "wrong"),
    [("1.1", "1", False), ("1.1.1", "1", True), ("1.10", "1.1", True), ("1", "1", True), ("11.1", "1", True)],
)
def test_a_clause_parent_must_be_the_number_one_level_up(number, parent, wrong):
    data = template_json(slug="parents", clauses=1, questions_per_clause=1)
    data["clauses"][1].update(number=number, parent=parent)
    data["questions"][0]["clause"] = number
    content = json.dumps(data).encode()
    if not wrong:
        import_template(content, filename="parents.json")
        return
    with pytest.raises(ImportFailed) as failed:
        import_template(content, filename="parents.json")
    assert any(f"parent {parent} does not match the clause number {number}" in e for e in failed.value.errors)
