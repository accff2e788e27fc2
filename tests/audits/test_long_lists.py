"""Lists on the audit pages that grow with the data are paginated or capped, with the same number
of queries at two sizes; counts and coverage still span everything."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Finding, FindingStatus, Grade
from audits.views.programme import FINDINGS_PER_PAGE
from projects.models import Task
from tests.factories import hold_audit, make_audit, written_directly


def _findings(audit, count, start=1):
    Finding.objects.bulk_create(
        Finding(
            project=audit.project,
            audit=audit,
            number=start + i,
            grade=Grade.OBSERVATION if i % 2 else Grade.MINOR_NC,
            clause="9.2",
            description=f"Finding {start + i}",
            status=FindingStatus.NOTED if i % 2 else FindingStatus.OPEN,
        )
        for i in range(count)
    )
    written_directly(audit.project)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_audit_page_shows_findings_a_page_at_a_time(world, client):
    lead = world.user("lead")
    audit = make_audit(world.project, user=lead, lead_auditor=world.user("auditor"))
    client.force_login(world.user("viewer"))
    url = f"/projects/{world.project.pk}/audits/{audit.pk}/"
    _findings(audit, 3)
    _, small = _get(client, url)
    _findings(audit, 52, start=4)  # 55 in all: three pages
    first, large = _get(client, url)
    assert large == small
    assert len(re.findall(r">F-\d+</a>", first)) == FINDINGS_PER_PAGE
    assert "Page 1 of 3" in first
    assert "Minor nonconformity: 28" in first and "Observation: 27" in first  # counts span both pages
    last, _ = _get(client, url + "?page=3")
    assert re.findall(r">(F-\d+)</a>", last) == ["F-51", "F-52", "F-53", "F-54", "F-55"]
    assert "Delete</a>" not in first  # a planned audit with findings cannot be deleted, on any page


def test_programme_pages_its_audits_but_counts_coverage_over_all(world, client):
    lead, auditor = world.user("lead"), world.user("auditor")
    client.force_login(world.user("viewer"))
    url = f"/projects/{world.project.pk}/audits/"
    for _ in range(2):
        make_audit(world.project, user=lead, lead_auditor=auditor, scope=("8.1",))
    _, small = _get(client, url)
    for _ in range(20):
        make_audit(world.project, user=lead, lead_auditor=auditor, scope=("8.1",))
    last = make_audit(world.project, user=lead, lead_auditor=auditor, scope=("9.2",))
    hold_audit(last, user=lead)  # the 23rd audit, on page 2, covers 9.2
    first, large = _get(client, url)
    assert large == small
    assert "Page 1 of 2" in first
    header = re.search(r"<thead><tr><th>Clause</th>(.*?)</tr></thead>", first, re.S).group(1)
    assert re.findall(r">(A\d+)</th>", header) == [f"A{n}" for n in range(1, 21)]
    row = re.search(r"<strong>9\.2</strong>.*?</tr>", first, re.S).group(0)
    assert "Covered" in row
    second, _ = _get(client, url + "?page=2")
    assert re.findall(r"<td>(A\d+)</td>", second) == ["A21", "A22", "A23"]


def test_readiness_caps_each_category_with_a_show_all_link(world, client):
    project = world.project
    phase = project.phases.get(key="5")
    client.force_login(world.user("viewer"))
    url = f"/projects/{project.pk}/audits/readiness/"
    _, small = _get(client, url)
    Task.objects.bulk_create(
        Task(project=project, phase=phase, title=f"Overdue {i}", due_date="2020-01-01") for i in range(30)
    )
    written_directly(project)
    capped, large = _get(client, url)
    assert large == small
    assert 'data-testid="more-blockers"' in capped
    everything, _ = _get(client, url + "?show=all")
    shown = [len(re.findall("<li>", ul)) for ul in re.findall(r'blocker-list">(.*?)</ul>', capped, re.S)]
    listed = [len(re.findall("<li>", ul)) for ul in re.findall(r'blocker-list">(.*?)</ul>', everything, re.S)]
    assert max(shown) == 10 and max(listed) > 10
    assert 'data-testid="more-blockers"' not in everything
    for page in (capped, everything):
        assert re.search(r"Not ready for Stage 1:</strong> (\d+) blockers", page).group(1) == re.search(
            r"Not ready for Stage 1:</strong> (\d+) blockers", capped
        ).group(1)
