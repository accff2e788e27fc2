"""The gap-analysis PDF and the management PDF print the coverage beside the score, and the PDF lists
the not-applicable answers with their reason."""

import io

import pytest
from pypdf import PdfReader

from gapanalysis.models import ChecklistTemplate, Response, Result
from reports.services import report_render, report_request
from tests.factories import make_assessment


def _text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def assessment(world):
    v1 = ChecklistTemplate.objects.library().get(slug="iso20000-1-2018", version=1)
    assessment = make_assessment(world.project, user=world.user("lead"), template=v1, title="Baseline")
    ids = list(
        Response.objects.filter(assessment=assessment)
        .order_by("question__order")
        .values_list("pk", flat=True)
    )
    Response.objects.filter(pk__in=ids[:48]).update(result=Result.CONFORMANT)
    Response.objects.filter(pk__in=ids[48:49]).update(result=Result.PARTIAL)
    Response.objects.filter(pk__in=ids[49:54]).update(result=Result.NONCONFORMANT)
    Response.objects.filter(pk__in=ids[54:56]).update(
        result=Result.NOT_APPLICABLE, notes="No service transferred in the period."
    )
    return assessment


def _render(world, kind, subject_id, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            project=world.project, kind=kind, subject_id=subject_id, user=world.user("lead")
        )
    report = report_render(report_id=report.pk)
    with report.file.open("rb") as handle:
        return _text(handle.read())


def test_gap_report_pdf_prints_the_coverage_and_the_not_applicable_reasons(
    world, media, assessment, django_capture_on_commit_callbacks
):
    text = _render(world, "gap", assessment.pk, django_capture_on_commit_callbacks)
    assert "score 90% of 54 answered questions, 108 not yet assessed · 2 marked not applicable" in text
    assert "No service transferred in the period." in text
    assert "Marked not applicable (2)" in text


def test_management_report_pdf_prints_the_coverage(
    world, media, assessment, django_capture_on_commit_callbacks
):
    text = _render(world, "management", None, django_capture_on_commit_callbacks)
    assert "score 90% of 54 answered questions, 108 not yet assessed · 2 marked not applicable" in text
