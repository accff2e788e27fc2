"""Asking for a report through the page; the row polls until done; Redis down is said clearly."""

import pytest

from reports.models import Report, ReportStatus
from tests.factories import make_report


def test_report_list_shows_earlier_reports_and_polls_active_ones(world, client_for, media):
    make_report(world.project, user=world.user("lead"))
    queued = make_report(world.project, status=ReportStatus.QUEUED, user=world.user("viewer"))
    response = client_for("viewer").get(f"/projects/{world.project.pk}/reports/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Download PDF" in html
    assert f'hx-get="/projects/{world.project.pk}/reports/{queued.pk}/status/"' in html


def test_failed_report_shows_its_error_and_a_retry_button(world, client_for, media):
    failed = make_report(world.project, status=ReportStatus.FAILED, error="Layout exploded")
    html = (
        client_for("contributor")
        .get(f"/projects/{world.project.pk}/reports/{failed.pk}/status/")
        .content.decode()
    )
    assert "Layout exploded" in html and "Try again" in html and "hx-get" not in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits, as in production
def test_redis_unreachable_says_the_report_could_not_be_queued(world, client_for, media, broker_down):
    client = client_for("viewer")
    response = client.post(f"/projects/{world.project.pk}/reports/new/", {"report": "management"})

    assert response.status_code == 503
    assert "could not be queued" in response.content.decode()
    report = Report.objects.get(project=world.project)
    assert report.status == ReportStatus.FAILED and "unreachable" in report.error
    assert client.get(f"/projects/{world.project.pk}/reports/").status_code == 200
    assert client.get(f"/projects/{world.project.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_unreachable_on_retry_is_also_a_clear_503(world, client_for, media, broker_down):
    failed = make_report(world.project, status=ReportStatus.FAILED, error="Boom")
    response = client_for("lead").post(
        f"/projects/{world.project.pk}/reports/{failed.pk}/retry/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 503
    assert "could not be queued" in response.content.decode()


def test_report_list_queries_do_not_grow_with_reports(
    world, client_for, media, django_assert_max_num_queries
):
    client = client_for("lead")
    url = f"/projects/{world.project.pk}/reports/"
    for count in (10, 200):
        Report.objects.bulk_create(
            [
                Report(
                    project=world.project, kind="management", status="done", requested_by=world.user("lead")
                )
                for _ in range(count - Report.objects.count())
            ]
        )
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
