"""A template file may mark a leaf clause as explanatory (`informative`): the flag survives export and
import in every format, an older file without the column imports as before, and a file that makes a
heading explanatory or requires documented information on an explanatory clause is refused."""

import io
import json

import pytest
from openpyxl import load_workbook

from gapanalysis.checklist_io import ImportFailed, export_template, import_template
from tests.factories import template_json

pytestmark = pytest.mark.django_db


def _explained(data):
    """Clause 1.1 explanatory; the records its questions ask for are good practice."""
    data["clauses"][1]["informative"] = True
    for question in data["questions"]:
        if question["clause"] == "1.1" and question["documented_information"] != "none":
            question["documented_information_tier"] = "recommended"
    return data


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_the_flag_survives_export_and_import(fmt):
    first = import_template(json.dumps(_explained(template_json(slug="flag"))).encode(), filename="t.json")
    content = export_template(first, fmt)
    if fmt == "json":
        content = content.replace(b'"version": 1,', b'"version": 2,', 1)
    elif fmt == "csv":
        content = content.replace(b"Test standard,1,", b"Test standard,2,", 1)
    else:
        book = load_workbook(io.BytesIO(content))
        book["Template"]["D2"] = 2
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    second = import_template(content, filename=f"t.{fmt}")
    flags = dict(second.clauses.values_list("number", "informative"))
    assert flags == {"1": False, "1.1": True, "1.2": False}


def test_a_file_without_the_column_imports_every_clause_as_an_ordinary_one():
    data = template_json(slug="older")
    assert all("informative" not in clause for clause in data["clauses"])
    template = import_template(json.dumps(data).encode(), filename="t.json")
    assert not template.clauses.filter(informative=True).exists()


def test_a_heading_cannot_be_explanatory_nor_can_an_explanatory_clause_require_anything():
    data = _explained(template_json(slug="wrong"))
    data["clauses"][0]["informative"] = True  # clause 1, a heading
    data["clauses"][2]["informative"] = "perhaps"
    data["questions"][0].update(documented_information="record", documented_information_tier="required")
    with pytest.raises(ImportFailed) as failed:
        import_template(json.dumps(data).encode(), filename="t.json")
    text = " ".join(failed.value.errors)
    assert "only a leaf clause can be informative" in text
    assert "informative must be true or false (got “perhaps”)" in text
    assert "clause 1.1 is informative (explanatory) and requires nothing" in text
