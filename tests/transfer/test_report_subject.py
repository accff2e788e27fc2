"""Issue 19 defect 11: the import kept a report's raw subject_id when its kind names no subject model
here; that id pointed at whatever row has it here (another project's assessment). It is emptied."""

import io

import pytest
from django.contrib.auth import get_user_model

from gapanalysis.models import Assessment
from reports.models import Report
from transfer import exporter, importer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["mystery-kind", "management"])
def test_a_report_without_a_known_subject_keeps_no_subject_id(demo, media, kind):
    other_projects_assessment = Assessment.objects.filter(project=demo).order_by("pk").first()
    Report.objects.create(project=demo, kind=kind, subject_id=other_projects_assessment.pk, title="Odd")
    buffer = io.BytesIO()
    exporter.write(demo, buffer)

    result = importer.import_archive(
        io.BytesIO(buffer.getvalue()), lead=get_user_model().objects.get(username="lead")
    )

    imported = Report.objects.get(project=result.project, title="Odd")
    assert imported.subject_id is None


def test_a_gap_report_points_at_the_imported_assessment(demo, media):
    assessment = Assessment.objects.filter(project=demo).order_by("pk").first()
    Report.objects.create(project=demo, kind="gap", subject_id=assessment.pk, title="Gap")
    buffer = io.BytesIO()
    exporter.write(demo, buffer)

    result = importer.import_archive(
        io.BytesIO(buffer.getvalue()), lead=get_user_model().objects.get(username="lead")
    )

    imported = Report.objects.get(project=result.project, title="Gap")
    assert Assessment.objects.get(pk=imported.subject_id).project == result.project
