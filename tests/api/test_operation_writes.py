"""Recording and deleting operating evidence through the API: the web's services (one source, upload
checks, quota), the web's roles, problem details for bad input, and nothing stored when refused."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import EvidenceEntry, OperatingProcess, VersionStatus
from documents.operation import services
from documents.operation.processes import process_by_clause
from tests.api.conftest import url
from tests.factories import add_version, make_document, make_project, pdf_upload

ENTRIES = "operation/entries/"


def _stored(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _link_entry(**fields):
    return {
        "clause": "8.6.1", "on": "2026-10-31", "summary": "October: 42 incidents handled",
        "link": "https://itsm.example.test/reports/october", **fields,
    }  # fmt: skip


def test_a_contributor_records_a_link_and_the_process_counts_it(api, world):
    response = api(world.user("contributor")).post(url(world.project, ENTRIES), _link_entry(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["clause"], body["kind"], body["on"], body["version"]) == ("8.6.1", "link", "2026-10-31", 1)
    entry = EvidenceEntry.objects.get(pk=body["id"])
    assert entry.created_by == world.user("contributor") and entry.process.clause == "8.6.1"
    processes = api(world.user("viewer")).get(url(world.project, "operation/processes/")).json()["results"]
    assert next(p for p in processes if p["clause"] == "8.6.1")["entries"] == 1
    assert world.project.activities.filter(verb="evidence added").exists()


def test_a_register_version_is_evidence_unless_withdrawn_or_of_another_project(api, world):
    lead = world.user("lead")
    version = add_version(make_document(world.project, code="REC-08X", owner=lead), lead)
    client = api(lead)
    payload = _link_entry(link="", document_version=version.pk)

    created = client.post(url(world.project, ENTRIES), payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["document_version"]["id"] == version.pk

    other = make_project(lead=lead, name="Other")
    foreign = add_version(make_document(other, code="X-1", owner=lead), lead)
    refused = client.post(
        url(world.project, ENTRIES), {**payload, "document_version": foreign.pk}, format="json"
    )
    missing = client.post(url(world.project, ENTRIES), {**payload, "document_version": 999999}, format="json")
    version.status = VersionStatus.WITHDRAWN
    version.save(update_fields=["status"])
    withdrawn = client.post(url(world.project, ENTRIES), payload, format="json")
    for response in (refused, missing, withdrawn):
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        assert "document_version" in response.json()["errors"]
    assert EvidenceEntry.objects.filter(project=world.project).count() == 1


def test_a_file_goes_through_the_web_upload_checks(api, world, media):
    response = api(world.user("lead")).post(
        url(world.project, ENTRIES),
        _link_entry(link="", file=pdf_upload("October report.pdf")),
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["original_name"], body["content_type"]) == (
        "file", "October-report.pdf", "application/pdf",
    )  # fmt: skip
    assert len(_stored(media)) == 1


def test_a_disguised_file_is_refused_and_nothing_is_stored(api, world, media):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    response = api(world.user("lead")).post(
        url(world.project, ENTRIES), _link_entry(link="", file=fake), format="multipart"
    )

    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not EvidenceEntry.objects.exists() and not OperatingProcess.objects.exists()
    assert _stored(media) == []


def test_the_project_quota_applies(api, world, media, settings):
    settings.UPLOAD_PROJECT_QUOTA_BYTES = 150
    client = api(world.user("lead"))
    first = client.post(
        url(world.project, ENTRIES), _link_entry(link="", file=pdf_upload()), format="multipart"
    )
    assert first.status_code == 201

    full = client.post(
        url(world.project, ENTRIES), _link_entry(link="", file=pdf_upload("second.pdf")), format="multipart"
    )
    assert full.status_code == 422 and "storage is full" in full.json()["errors"]["file"][0]
    assert EvidenceEntry.objects.count() == 1 and len(_stored(media)) == 1


def test_bad_input_is_a_problem_document_and_saves_nothing(api, world, media):
    client = api(world.user("lead"))
    cases = {
        "two sources": (_link_entry(file=pdf_upload()), "non_field_errors"),
        "no source": (_link_entry(link=""), "non_field_errors"),
        "unknown process": (_link_entry(clause="8.9"), "clause"),
        "no summary": (_link_entry(summary=""), "summary"),
        "bad date": (_link_entry(on="31/10/2026"), "on"),
        "bad link": (_link_entry(link="not a url"), "link"),
    }
    for name, (payload, field) in cases.items():
        response = client.post(url(world.project, ENTRIES), payload, format="multipart")
        assert response.status_code == 422, (name, response.status_code)
        body = response.json()
        assert body["status"] == 422 and field in body["errors"], (name, body)
    assert not EvidenceEntry.objects.exists()
    assert _stored(media) == []


def test_viewers_auditors_and_read_tokens_may_not_record(api, world):
    for role in ("viewer", "auditor"):
        response = api(world.user(role)).post(url(world.project, ENTRIES), _link_entry(), format="json")
        assert response.status_code == 403, role
    read_only = api(world.user("lead"), scope="read").post(
        url(world.project, ENTRIES), _link_entry(), format="json"
    )
    assert read_only.status_code == 403
    outsider = api(world.user("outsider")).post(url(world.project, ENTRIES), _link_entry(), format="json")
    assert outsider.status_code == 404
    assert not EvidenceEntry.objects.exists()


def test_an_idempotency_key_records_the_entry_once(api, world):
    client = api(world.user("contributor"))
    headers = {"HTTP_IDEMPOTENCY_KEY": "evidence-october-1"}
    first = client.post(url(world.project, ENTRIES), _link_entry(), format="json", **headers)
    again = client.post(url(world.project, ENTRIES), _link_entry(), format="json", **headers)
    other = client.post(url(world.project, ENTRIES), _link_entry(summary="Other"), format="json", **headers)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert other.status_code == 422
    assert EvidenceEntry.objects.count() == 1


def test_delete_follows_the_web_roles_and_removes_the_file(
    api, world, media, django_capture_on_commit_callbacks
):
    process = process_by_clause()["8.6.1"]
    contributor, lead = world.user("contributor"), world.user("lead")
    own = services.entry_create(
        project=world.project, process=process, user=contributor, on=date(2026, 10, 31),
        summary="October", upload=pdf_upload(),
    )  # fmt: skip
    leads = services.entry_create(
        project=world.project, process=process, user=lead, on=date(2026, 9, 30),
        summary="September", link="https://itsm.example.test/sep",
    )  # fmt: skip
    assert len(_stored(media)) == 1

    assert api(contributor).delete(url(world.project, f"{ENTRIES}{leads.pk}/")).status_code == 403
    assert api(world.user("viewer")).delete(url(world.project, f"{ENTRIES}{own.pk}/")).status_code == 403
    assert api(contributor, scope="read").delete(url(world.project, f"{ENTRIES}{own.pk}/")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        deleted = api(contributor).delete(url(world.project, f"{ENTRIES}{own.pk}/"))
    assert deleted.status_code == 204
    assert api(contributor).get(url(world.project, f"{ENTRIES}{own.pk}/")).status_code == 404
    assert _stored(media) == []
    assert api(lead).delete(url(world.project, f"{ENTRIES}{leads.pk}/")).status_code == 204
    assert not EvidenceEntry.objects.exists()
    assert world.project.activities.filter(verb="evidence deleted").count() == 2
