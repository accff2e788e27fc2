"""Cached fragments (the roadmap timeline, the score charts, the checklist tree) are never stale:
after a save the page shows exactly what it shows when rendered with an empty cache."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gapanalysis import selectors as gap_selectors
from gapanalysis import services as gap_services
from gapanalysis.models import Response, Result
from projects import services
from projects.models import PhaseStatus
from tests.conftest import clear_cache
from tests.factories import UserFactory, make_assessment, make_project

# Run with per-process memory and with the Redis cache production uses (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


def _svgs(response, css_class):
    assert response.status_code == 200
    return re.findall(rf'<svg class="{css_class}".*?</svg>', response.content.decode(), re.S)


def _fresh(client, url, css_class):
    clear_cache()
    return _svgs(client.get(url), css_class)


@pytest.mark.parametrize("suffix", ["", "roadmap/"])
def test_timeline_shows_a_phase_saved_after_it_was_cached(client, suffix):
    lead = UserFactory(username="timeline-lead")
    project = make_project(lead=lead)
    client.force_login(lead)
    url = f"/projects/{project.pk}/{suffix}"
    before = _svgs(client.get(url), "timeline-svg")  # now cached
    phase = project.phases.get(key="1")
    services.phase_update(
        phase=phase, user=lead, expected_version=phase.version, status=PhaseStatus.IN_PROGRESS
    )
    after = _svgs(client.get(url), "timeline-svg")
    assert after != before, "the save changes the picture: an actual bar appears"
    assert after == _fresh(client, url, "timeline-svg")


def test_score_charts_show_an_answer_saved_after_they_were_cached(client):
    lead = UserFactory(username="chart-lead")
    project = make_project(lead=lead)
    assessment = make_assessment(project, user=lead)
    client.force_login(lead)
    overview = f"/projects/{project.pk}/gap/{assessment.pk}/"
    dashboard = f"/projects/{project.pk}/"
    before = _svgs(client.get(overview), "score-chart") + _svgs(client.get(dashboard), "score-chart")
    response = Response.objects.select_related("assessment").filter(assessment=assessment).first()
    gap_services.response_save(
        response=response, user=lead, expected_version=response.version, result=Result.NONCONFORMANT
    )
    after = _svgs(client.get(overview), "score-chart") + _svgs(client.get(dashboard), "score-chart")
    assert after != before
    assert after == _fresh(client, overview, "score-chart") + _svgs(client.get(dashboard), "score-chart")


def test_the_checklist_tree_is_read_once_per_template():
    lead = UserFactory(username="tree-lead")
    assessment = make_assessment(make_project(lead=lead), user=lead)
    with CaptureQueriesContext(connection) as first:
        rows = gap_selectors.assessment_overview(assessment)
    with CaptureQueriesContext(connection) as second:
        again = gap_selectors.assessment_overview(assessment)
    assert again == rows
    assert len(second) == len(first) - 1
    assert not any("gapanalysis_templateclause" in q["sql"] for q in second.captured_queries)


def _between(response, start, end):
    html = response.content.decode()
    assert response.status_code == 200 and start in html
    return html[html.index(start) : html.index(end, html.index(start))]


def test_overview_table_and_clause_navigation_show_an_answer_saved_after_they_were_cached(client):
    lead = UserFactory(username="rows-lead")
    project = make_project(lead=lead)
    assessment = make_assessment(project, user=lead)
    responses = Response.objects.select_related("assessment", "question__clause")
    response = responses.filter(assessment=assessment).first()
    client.force_login(lead)
    overview = f"/projects/{project.pk}/gap/{assessment.pk}/"
    clause = f"/projects/{project.pk}/gap/{assessment.pk}/clauses/{response.question.clause.number}/"
    pieces = [
        (overview, '<table class="table table-sm align-middle mb-0">', "</table>"),
        (clause, '<div class="list-group small clause-list">', "</nav>"),
    ]
    before = [_between(client.get(url), start, end) for url, start, end in pieces]
    gap_services.response_save(
        response=response, user=lead, expected_version=response.version, result=Result.CONFORMANT
    )
    after = [_between(client.get(url), start, end) for url, start, end in pieces]
    clear_cache()
    fresh = [_between(client.get(url), start, end) for url, start, end in pieces]
    assert after[0] != before[0] and after[1] != before[1]
    assert after == fresh
