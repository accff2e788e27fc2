"""Issue 9 §3: history of answers and evidence, soft delete for the lead, storage quota, zip bombs."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentVersion
from gapanalysis import services
from gapanalysis.models import Evidence, Response, Result
from tests.factories import make_assessment, mandatory, pdf_upload
from tests.storage.s3server import stored_names

# Runs on local disk and on the S3 server (issue 22 §1).
pytestmark = pytest.mark.storages

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def gap(world):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )
    response = Response.objects.select_related("assessment").get(
        assessment=assessment, question__code="GA-4.1-01"
    )
    return assessment, response, f"/projects/{world.project.pk}/gap/{assessment.pk}/"


def stored_files(media):
    return stored_names()


def office_file(name="notes.docx", *, padding=0):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>" + " " * padding)
    return SimpleUploadedFile(name, buffer.getvalue())


# History -----------------------------------------------------------------------------------


def test_each_answer_is_kept_in_the_history_with_who_set_it(client, world, gap):
    assessment, response, base = gap
    client.force_login(world.user("auditor"))
    url = base + f"responses/{response.pk}/"
    assert client.post(url, {"result": "nonconformant", "version": 1}, **HTMX).status_code == 200
    client.force_login(world.user("lead"))
    assert client.post(url, {"result": "partial", "version": 2}, **HTMX).status_code == 200
    rows = list(response.history.order_by("history_date", "history_id"))
    assert [(r.result, r.history_user.username) for r in rows] == [
        (Result.NONCONFORMANT, "auditor"),
        (Result.PARTIAL, "lead"),
    ]
    client.force_login(world.user("viewer"))
    page = client.get(base + "clauses/4.1/").content.decode()
    history = page[page.index('data-testid="answer-history"') :]
    history = history[: history.index("</details>")]
    assert "Answer history (2)" in history
    assert history.index("lead · Partially conformant") < history.index("auditor · Nonconformant")


def test_the_uploader_removing_their_evidence_deletes_it_and_the_history_says_who(
    client, world, gap, media, django_capture_on_commit_callbacks
):
    assessment, response, base = gap
    evidence = services.evidence_add(
        response=response, user=world.user("auditor"), upload=pdf_upload("evidence.pdf")
    )
    client.force_login(world.user("auditor"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(base + f"evidence/{evidence.pk}/delete/", **HTMX).status_code == 200
    assert not Evidence.all_objects.exists() and stored_files(media) == []
    deleted = Evidence.history.get(id=evidence.pk, history_type="-")
    assert deleted.history_user == world.user("auditor") and deleted.filename == "evidence.pdf"


def test_evidence_removed_by_someone_else_is_kept_for_the_lead(client, world, gap, media):
    assessment, response, base = gap
    world.project.memberships.filter(user=world.user("auditor")).update(role="auditor")
    evidence = services.evidence_add(
        response=response, user=world.user("lead"), upload=pdf_upload("plan.pdf")
    )
    client.force_login(world.user("auditor"))
    assert client.post(base + f"evidence/{evidence.pk}/delete/", **HTMX).status_code == 200

    kept = Evidence.all_objects.get(pk=evidence.pk)
    assert kept.deleted_by == world.user("auditor") and kept.deleted_at is not None
    assert not Evidence.objects.filter(pk=evidence.pk).exists() and len(stored_files(media)) == 1
    assert Evidence.history.filter(id=evidence.pk, history_user=world.user("auditor")).exists()

    clause_url = base + "clauses/4.1/"
    auditor_page = client.get(clause_url).content.decode()
    assert "plan.pdf" not in auditor_page
    assert client.get(base + f"evidence/{evidence.pk}/").status_code == 404

    client.force_login(world.user("lead"))
    lead_page = client.get(clause_url).content.decode()
    assert "plan.pdf" in lead_page and "removed by auditor" in lead_page
    assert client.get(base + f"evidence/{evidence.pk}/").status_code == 200


# Storage quota and zip bombs ------------------------------------------------------------------


def test_an_upload_over_the_project_quota_is_refused_and_nothing_is_stored(
    client, world, gap, media, settings
):
    assessment, response, base = gap
    first = pdf_upload()
    settings.UPLOAD_PROJECT_QUOTA_BYTES = first.size + 10
    services.evidence_add(response=response, user=world.user("lead"), upload=first)
    client.force_login(world.user("auditor"))
    reply = client.post(base + f"responses/{response.pk}/evidence/", {"file": pdf_upload("more.pdf")}, **HTMX)
    assert reply.status_code == 422
    assert "storage is full" in reply.content.decode()
    assert Evidence.objects.count() == 1 and len(stored_files(media)) == 1


def test_the_quota_counts_document_versions_too(client_for, world, media, settings):
    doc = mandatory(world.project, "DOC-02")
    doc.owner = world.user("contributor")
    doc.save()
    settings.UPLOAD_PROJECT_QUOTA_BYTES = 10  # smaller than any file
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/versions/new/"
    reply = client_for("contributor").post(url, {"file": pdf_upload(), "change_summary": "First"})
    assert reply.status_code == 422 and "storage is full" in reply.content.decode()
    assert not DocumentVersion.objects.exists() and stored_files(media) == []


def test_a_zip_bomb_disguised_as_docx_is_refused_as_evidence(client, world, gap, media, settings):
    assessment, response, base = gap
    settings.UPLOAD_ZIP_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = office_file("innocent.docx", padding=4 * 1024 * 1024)  # 4 MB of spaces packs to a few KB
    assert bomb.size < 64 * 1024
    client.force_login(world.user("auditor"))
    reply = client.post(base + f"responses/{response.pk}/evidence/", {"file": bomb}, **HTMX)
    assert reply.status_code == 422
    assert "unpacks to" in reply.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_an_archive_inflating_far_beyond_its_size_is_refused_for_documents(
    client_for, world, media, settings
):
    doc = mandatory(world.project, "DOC-02")
    doc.owner = world.user("contributor")
    doc.save()
    settings.UPLOAD_ZIP_MAX_RATIO = 20
    bomb = office_file("policy.docx", padding=2 * 1024 * 1024)
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/versions/new/"
    reply = client_for("contributor").post(url, {"file": bomb, "change_summary": "First"})
    assert reply.status_code == 422 and "unpacks to" in reply.content.decode()
    assert not DocumentVersion.objects.exists() and stored_files(media) == []


def test_a_normal_office_file_still_passes(client, world, gap, media):
    assessment, response, base = gap
    client.force_login(world.user("auditor"))
    reply = client.post(
        base + f"responses/{response.pk}/evidence/", {"file": office_file(padding=2000)}, **HTMX
    )
    assert reply.status_code == 200 and Evidence.objects.get().filename == "notes.docx"


def test_a_broken_archive_is_refused(client, world, gap, media):
    assessment, response, base = gap
    good = office_file().read()
    broken = SimpleUploadedFile("notes.docx", good[: len(good) // 2])
    client.force_login(world.user("auditor"))
    reply = client.post(base + f"responses/{response.pk}/evidence/", {"file": broken}, **HTMX)
    assert reply.status_code == 422 and "not a real .docx" in reply.content.decode()
    assert not Evidence.objects.exists()
