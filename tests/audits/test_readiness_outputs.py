"""Both readiness gates reach every output: the API (with its stage parameter) and the management
report PDF (read back by text extraction). readiness.gate computes them for all."""

import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from api.tokens import token_create
from reports.services import report_render, report_request

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    token = token_create(user=user, name="Script", scope="read", expires_in_days=30, project=None).plaintext
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_the_api_gives_each_stage_and_refuses_another(world):
    client = _api(world.user("viewer"))
    base = f"/api/v1/projects/{world.project.pk}/readiness/"
    first = client.get(base).json()
    assert first["stage"] == 1 and first["ready"] is False
    assert not any(b["category"] == "Certification Stage 1" for b in first["blockers"])
    second = client.get(base + "?stage=2").json()
    assert second["stage"] == 2 and second["ready"] is False
    stage1 = [b for b in second["blockers"] if b["category"] == "Certification Stage 1"]
    assert stage1 and stage1[0]["url"] == f"/projects/{world.project.pk}/audits/"
    assert "warnings" in second
    bad = client.get(base + "?stage=3")
    assert bad.status_code == 422 and "1 or 2" in bad.content.decode()  # the API's validation answer


def test_the_management_report_lists_both_gates_with_their_blockers(
    world, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            project=world.project, kind="management", subject_id=None, user=world.user("lead")
        )
    report = report_render(report_id=report.pk)
    with report.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Readiness for Stage 1" in text and "Readiness for Stage 2" in text
    assert "No Stage 1 audit is held yet" in text
    assert (
        text.index("Readiness for Stage 1")
        < text.index("Readiness for Stage 2")
        < text.index("No Stage 1 audit is held yet")
    )
