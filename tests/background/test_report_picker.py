"""The report picker lists the most recent records of each kind, with "show all" for the rest."""

import re

import pytest
from django.test import override_settings

from audits.models import Audit
from reports.forms import PICKER_LIMIT
from reports.models import Report
from tests.factories import make_audit

pytestmark = pytest.mark.django_db


def _audits(world, count):
    for index in range(count):
        make_audit(world.project, user=world.user("lead"), title=f"Audit number {index:02d}", start_in=index)
    return list(Audit.objects.filter(project=world.project).order_by("pk"))


def _audit_options(html):
    return re.findall(r'<option value="audit:(\d+)"', html)


def test_the_picker_lists_the_most_recent_audits_and_offers_the_rest(client_for, world):
    audits = _audits(world, PICKER_LIMIT + 5)
    client = client_for("viewer")
    page = client.get(f"/projects/{world.project.pk}/reports/").content.decode()
    listed = [int(pk) for pk in _audit_options(page)]
    assert sorted(listed) == [a.pk for a in audits[-PICKER_LIMIT:]]
    assert f"show all {PICKER_LIMIT + 5}" in page

    everything = client.get(f"/projects/{world.project.pk}/reports/?all=audit").content.decode()
    assert len(_audit_options(everything)) == PICKER_LIMIT + 5
    assert "show all" not in everything


def test_a_report_on_a_record_not_listed_can_still_be_asked_for(
    client_for, world, django_capture_on_commit_callbacks
):
    oldest = _audits(world, PICKER_LIMIT + 1)[0]
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for("viewer").post(
            f"/projects/{world.project.pk}/reports/new/", {"report": f"audit:{oldest.pk}"}
        )
    assert response.status_code == 302
    assert Report.objects.get().subject_id == oldest.pk


@pytest.mark.parametrize("value", ["audit:999999", "nonsense", "audit:", ""])
def test_a_record_of_another_project_or_a_made_up_report_is_refused(client_for, world, value):
    response = client_for("viewer").post(f"/projects/{world.project.pk}/reports/new/", {"report": value})
    assert response.status_code == 422
    assert not Report.objects.exists()


@override_settings(PAGE_CACHE=False)
def test_the_picker_costs_the_same_queries_at_two_sizes(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("viewer")
    counts = []
    for size in (3, PICKER_LIMIT * 2):
        _audits(world, size - Audit.objects.filter(project=world.project).count())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/projects/{world.project.pk}/reports/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
