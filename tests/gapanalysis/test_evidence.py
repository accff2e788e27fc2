"""Evidence: several files or links per answer; uploads checked; downloads through a permission check."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gapanalysis.models import Evidence, Response
from tests.factories import make_assessment, pdf_upload

HTMX = {"HTTP_HX_REQUEST": "true"}


def setup(world):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["4"], auditors=[world.user("auditor")]
    )
    response = Response.objects.get(assessment=assessment, question__code="GA-4.1-01")
    return assessment, response, f"/projects/{world.project.pk}/gap/{assessment.pk}/"


def test_auditor_attaches_a_file_and_a_link_and_members_download_the_file(client, world):
    assessment, response, base = setup(world)
    client.force_login(world.user("auditor"))
    assert (
        client.post(
            base + f"responses/{response.pk}/evidence/", {"file": pdf_upload("Context analysis.pdf")}, **HTMX
        ).status_code
        == 200
    )
    reply = client.post(
        base + f"responses/{response.pk}/evidence/", {"url": "https://wiki.example.test/context"}, **HTMX
    )
    assert reply.status_code == 200
    assert (
        "Context-analysis.pdf" in reply.content.decode()
        and "https://wiki.example.test/context" in reply.content.decode()
    )
    stored = Evidence.objects.get(response=response, url="")
    client.force_login(world.user("viewer"))
    download = client.get(base + f"evidence/{stored.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_file_whose_content_lies_is_refused_with_422(client, world):
    assessment, response, base = setup(world)
    client.force_login(world.user("auditor"))
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    reply = client.post(base + f"responses/{response.pk}/evidence/", {"file": fake}, **HTMX)
    assert reply.status_code == 422
    assert "not a real .pdf file" in reply.content.decode()
    assert not Evidence.objects.exists()


def test_neither_file_nor_link_is_refused(client, world):
    assessment, response, base = setup(world)
    client.force_login(world.user("auditor"))
    reply = client.post(base + f"responses/{response.pk}/evidence/", {"description": "nothing"}, **HTMX)
    assert reply.status_code == 422
    assert "Attach a file or give a link" in reply.content.decode()


def test_evidence_of_another_assessment_is_not_found(client, world):
    assessment, response, base = setup(world)
    other = make_assessment(world.project, user=world.user("lead"), title="Other", clause_numbers=["5"])
    client.force_login(world.user("lead"))
    client.post(base + f"responses/{response.pk}/evidence/", {"file": pdf_upload()}, **HTMX)
    evidence = Evidence.objects.get()
    assert (
        client.get(f"/projects/{world.project.pk}/gap/{other.pk}/evidence/{evidence.pk}/").status_code == 404
    )


def test_removing_evidence_deletes_the_row(client, world, django_capture_on_commit_callbacks):
    assessment, response, base = setup(world)
    client.force_login(world.user("auditor"))
    client.post(base + f"responses/{response.pk}/evidence/", {"file": pdf_upload()}, **HTMX)
    evidence = Evidence.objects.get()
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(base + f"evidence/{evidence.pk}/delete/", **HTMX)
    assert reply.status_code == 200
    assert not Evidence.objects.exists()
    import os

    assert not os.path.exists(path)


def test_without_htmx_a_refused_upload_gets_a_422_page(client, world):
    assessment, response, base = setup(world)
    client.force_login(world.user("auditor"))
    reply = client.post(base + f"responses/{response.pk}/evidence/", {"description": "nothing"})
    assert reply.status_code == 422
    assert "Attach a file or give a link" in reply.content.decode()
    reply = client.post(base + f"responses/{response.pk}/evidence/", {"url": "https://example.test/a"})
    assert reply.status_code == 302 and reply["Location"].endswith("/clauses/4.1/")
