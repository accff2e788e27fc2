"""Issue 19 defect 11: an import refused by the database showed PostgreSQL's own message, with the
failing row in it. The refusal names the records and the rule they break, in words; the database's
detail goes to the server's log only."""

import json
import logging

import pytest

from tests.transfer.test_refusals import members, rebuild, refused

pytestmark = pytest.mark.django_db


def test_a_database_refusal_names_the_rule_and_not_the_row(demo_archive, media, caplog):
    contents = members(demo_archive)
    data = json.loads(contents["data.json"])
    documents = next(t for t in data["models"] if t["model"] == "documents.document")
    code, title = documents["fields"].index("code"), documents["fields"].index("title")
    duplicated = documents["rows"][0][code]
    documents["rows"][1][code] = duplicated
    contents["data.json"] = json.dumps(data).encode()

    with caplog.at_level(logging.WARNING, logger="transfer"):
        message = refused(rebuild(contents), media, "cannot be imported")

    assert "documents.document" in message and "document_unique_code" in message
    assert "would be the same" in message and "Nothing was imported" in message
    for raw in ("DETAIL", "Key (", "duplicate key value", duplicated, documents["rows"][1][title]):
        assert raw not in message, f"the refusal shows the database's message or the row: {raw!r}"
    assert "Key (" in caplog.text  # the detail, for the administrators


def test_a_value_of_the_wrong_form_names_the_field_and_not_the_value(demo_archive, media):
    contents = members(demo_archive)
    data = json.loads(contents["data.json"])
    tasks = next(t for t in data["models"] if t["model"] == "projects.task")
    due = tasks["fields"].index("due_date")
    tasks["rows"][0][due] = "the thirty-first of Smarch"
    contents["data.json"] = json.dumps(data).encode()

    message = refused(rebuild(contents), media, "wrong form")
    assert "projects.task" in message and "due_date" in message and "Smarch" not in message
