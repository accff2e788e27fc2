"""Operating evidence read through the API: the processes with their months of evidence against the
project's minimum, the entries filtered by process, clause and date, and an entry's download."""

from datetime import date

from documents.operation import services
from documents.operation.processes import PROCESSES, process_by_clause
from tests.api.conftest import url
from tests.factories import add_evidence, add_version, make_document, pdf_upload


def test_processes_show_their_months_of_evidence_against_the_minimum(api, world):
    world.project.min_operating_months = 3
    world.project.save(update_fields=["min_operating_months"])
    add_evidence(world.project, "8.6.1", months=3, user=world.user("lead"))
    add_evidence(world.project, "8.5.1", months=1, user=world.user("lead"), per_month=2)

    body = api(world.user("viewer")).get(url(world.project, "operation/processes/")).json()

    assert body["count"] == len(PROCESSES)
    rows = {row["clause"]: row for row in body["results"]}
    assert [row["clause"] for row in body["results"]] == [p.clause for p in PROCESSES]
    incidents, changes, audit = rows["8.6.1"], rows["8.5.1"], rows["9.2"]
    assert (incidents["months"], incidents["entries"], incidents["state"], incidents["enough"]) == (
        3, 3, "enough", True,
    )  # fmt: skip
    assert (changes["months"], changes["entries"], changes["state"], changes["credited_months"]) == (
        1, 2, "some", 1,
    )  # fmt: skip
    assert (audit["months"], audit["state"], audit["last_on"], audit["minimum"]) == (0, "none", None, 3)
    assert incidents["title"] == "Incident management"


def test_entries_filter_by_process_clause_and_date(api, world):
    lead = world.user("lead")
    for clause, on in [
        ("8.6.1", date(2026, 3, 31)),
        ("8.6.2", date(2026, 5, 31)),
        ("8.5.1", date(2026, 6, 30)),
    ]:
        services.entry_create(
            project=world.project, process=process_by_clause()[clause], user=lead, on=on,
            summary=f"{clause} in {on:%B}", link="https://itsm.example.test/r",
        )  # fmt: skip
    client = api(world.user("auditor"))

    def clauses(query):
        response = client.get(url(world.project, f"operation/entries/{query}"))
        assert response.status_code == 200, response.json()
        return [row["clause"] for row in response.json()["results"]]

    assert clauses("") == ["8.5.1", "8.6.2", "8.6.1"]  # newest first
    assert clauses("?process=8.6.1") == ["8.6.1"]
    assert clauses("?clause=8.6") == ["8.6.2", "8.6.1"]  # sub-clauses match
    assert clauses("?on_after=2026-05-01") == ["8.5.1", "8.6.2"]
    assert clauses("?on_before=2026-05-31&clause=8.6") == ["8.6.2", "8.6.1"]
    assert clauses("?clause=not-a-clause") == []
    assert clauses("?page_size=1&page=2") == ["8.6.2"]
    bad = client.get(url(world.project, "operation/entries/?on_after=yesterday"))
    assert bad.status_code == 422 and "on_after" in bad.json()["errors"]


def test_an_entry_shows_its_source_and_downloads_like_the_web(api, world, media):
    lead = world.user("lead")
    process = process_by_clause()["8.6.1"]
    document = make_document(world.project, code="REC-08X", owner=lead)
    version = add_version(document, lead)
    by_version = services.entry_create(
        project=world.project, process=process, user=lead, on=date(2026, 4, 30),
        summary="April incident report", document_version=version,
    )  # fmt: skip
    by_file = services.entry_create(
        project=world.project, process=process, user=lead, on=date(2026, 5, 31),
        summary="May incident report", upload=pdf_upload("may report.pdf"),
    )  # fmt: skip
    client = api(world.user("viewer"))

    shown = client.get(url(world.project, f"operation/entries/{by_version.pk}/")).json()
    assert shown["kind"] == "version" and shown["clause"] == "8.6.1"
    assert shown["document_version"] == {
        "id": version.pk, "document": document.pk, "code": "REC-08X", "number": 1, "status": "draft",
    }  # fmt: skip
    assert shown["created_by"]["id"] == lead.pk
    redirect = client.get(url(world.project, f"operation/entries/{by_version.pk}/download/"))
    assert redirect.status_code == 302
    assert redirect["Location"] == url(
        world.project, f"documents/{document.pk}/versions/{version.pk}/download/"
    )

    listed = client.get(url(world.project, f"operation/entries/{by_file.pk}/")).json()
    assert (listed["kind"], listed["original_name"], listed["content_type"]) == (
        "file", "may-report.pdf", "application/pdf",
    )  # fmt: skip
    download = client.get(url(world.project, f"operation/entries/{by_file.pk}/download/"))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_entry_of_another_project_is_not_found(api, world):
    from tests.factories import make_project

    other = make_project(lead=world.user("lead"), name="Other")
    entry = add_evidence(other, "8.6.1", months=1, user=world.user("lead"))[0]
    client = api(world.user("lead"))
    assert client.get(url(world.project, f"operation/entries/{entry.pk}/")).status_code == 404
    assert client.get(url(world.project, f"operation/entries/{entry.pk}/download/")).status_code == 404
    assert client.get(url(other, f"operation/entries/{entry.pk}/")).status_code == 200
