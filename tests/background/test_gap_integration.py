"""Gap analysis in the background work: clause scores in the management report, the gap-analysis report."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from gapanalysis import selectors
from reports.management_report import build_management_report
from reports.models import ReportStatus
from reports.services import report_render, report_request
from tests.factories import make_answered_assessment, make_assessment


def _text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def test_management_report_has_the_score_of_each_clause(world):
    assessment = make_answered_assessment(world.project, user=world.user("lead"))
    context = build_management_report(world.project, today=timezone.localdate())
    section = next(s for s in context["sections"] if s.key == "gap")
    expected = {
        row.number: row.score_percent for row in selectors.assessment_overview(assessment) if row.level == 0
    }
    assert {row.number: row.score_percent for row in section.data["rows"]} == expected
    assert set(expected) == {"4", "5", "6", "7", "8", "9", "10"}


def test_management_report_without_an_assessment_says_what_to_do(world):
    context = build_management_report(world.project, today=timezone.localdate())
    section = next(s for s in context["sections"] if s.key == "gap")
    assert section.data == {"assessment": None}


def test_gap_report_of_an_assessment_is_rendered_with_its_gaps(
    world, media, django_capture_on_commit_callbacks
):
    assessment = make_answered_assessment(world.project, user=world.user("lead"), title="Baseline March")
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            project=world.project, kind="gap", subject_id=assessment.pk, user=world.user("auditor")
        )
    assert report.title == "Gap-analysis report: Baseline March"

    report = report_render(report_id=report.pk)

    assert report.status == ReportStatus.DONE
    with report.file.open("rb") as handle:
        text = _text(handle.read())
    for heading in ("Gap-analysis report", "Baseline March", "Score per clause", "Gaps", "World project"):
        assert heading in text
    overall = selectors.overall_score(assessment)
    assert f"{round(100 * overall)}%" in text


def test_a_gap_report_needs_an_assessment_of_this_project(world):
    from tests.factories import make_project

    other = make_project(lead=world.user("lead"), name="Other")
    foreign = make_assessment(other, user=world.user("lead"))
    with pytest.raises(ValidationError):
        report_request(project=world.project, kind="gap", subject_id=foreign.pk, user=world.user("lead"))
    with pytest.raises(ValidationError):
        report_request(project=world.project, kind="gap", subject_id=None, user=world.user("lead"))
