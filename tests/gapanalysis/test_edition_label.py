"""Where the edition shows, checklist v3 says "ISO/IEC 20000-1:2018 + Amd 1:2024": the gap pages, the
template list and the PDFs. Assessments made with v1 or v2 keep the edition they were made against."""

import io

from pypdf import PdfReader

from gapanalysis.models import ChecklistTemplate
from reports.services import report_render, report_request
from tests.factories import make_assessment

EDITION = "ISO/IEC 20000-1:2018 + Amd 1:2024"


def library(version):
    return ChecklistTemplate.objects.library().get(slug="iso20000-1-2018", version=version)


def _pdf_text(world, kind, subject_id, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            project=world.project, kind=kind, subject_id=subject_id, user=world.user("lead")
        )
    report = report_render(report_id=report.pk)
    with report.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_gap_pages_show_the_amended_edition_for_v3_and_the_old_one_for_v2(client, world):
    lead = world.user("lead")
    new = make_assessment(world.project, user=lead, title="Follow-up")
    old = make_assessment(world.project, user=lead, template=library(2), title="Baseline")
    client.force_login(world.user("viewer"))
    base = f"/projects/{world.project.pk}/gap"
    assert f"{EDITION} gap analysis v3" in client.get(f"{base}/{new.pk}/").content.decode()
    older = client.get(f"{base}/{old.pk}/").content.decode()
    assert "ISO/IEC 20000-1:2018 gap analysis v2" in older and EDITION not in older
    listing = client.get(f"{base}/").content.decode()
    assert f"against {EDITION}" in listing
    templates = client.get(f"{base}/templates/").content.decode()
    assert f"<td>{EDITION}</td>" in templates


def test_the_gap_report_and_the_management_report_name_the_edition(
    world, media, django_capture_on_commit_callbacks
):
    assessment = make_assessment(world.project, user=world.user("lead"), title="Follow-up")
    gap = _pdf_text(world, "gap", assessment.pk, django_capture_on_commit_callbacks)
    assert f"Checklist version 3 · {EDITION}" in gap
    management = _pdf_text(world, "management", None, django_capture_on_commit_callbacks)
    assert f"against {EDITION}" in management
