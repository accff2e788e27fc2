"""The operating-evidence heat map starts at the project's start month (a project started in
December shows December), and the dashboard shows every process at once, compact, without a
scroll box (issue 25 §2.9)."""

import re
from datetime import date

import pytest

from documents.operation.selectors import HEAT_MAP_MAX_MONTHS, heat_map
from projects.models import Project

pytestmark = pytest.mark.django_db


def _started(project, on):
    Project.objects.filter(pk=project.pk).update(start_date=on)
    project.refresh_from_db()
    return project


def test_the_columns_run_from_the_start_month_to_this_month(world):
    project = _started(world.project, date(2025, 12, 15))

    columns, rows = heat_map(project, today=date(2026, 12, 6))

    assert columns[0] == date(2025, 12, 1) and columns[-1] == date(2026, 12, 1)
    assert len(columns) == 13 and all(len(row.cells) == 13 for row in rows)


def test_a_project_started_this_month_shows_this_month_and_a_long_one_the_last_two_years(world):
    project = _started(world.project, date(2026, 12, 1))
    assert heat_map(project, today=date(2026, 12, 6))[0] == [date(2026, 12, 1)]

    project = _started(world.project, date(2020, 3, 1))
    columns, _ = heat_map(project, today=date(2026, 12, 6))
    assert len(columns) == HEAT_MAP_MAX_MONTHS and columns[-1] == date(2026, 12, 1)


def test_the_dashboard_lists_every_process_without_a_scroll_box(client, world):
    client.force_login(world.user("viewer"))
    html = client.get(f"/projects/{world.project.pk}/").content.decode()

    pattern = r'<table class="heat-table heat-compact[^"]*" data-testid="heat-map">(.*?)</table>'
    table = re.search(pattern, html, re.S)
    assert table is not None
    rows = re.findall(r'<th scope="row"', table.group(1))
    _, all_rows = heat_map(world.project)
    assert len(rows) == len(all_rows) > 20  # every process (clause 8 and 9.1-9.3)
    assert 'class="heat-box ' not in html and "(scrolls)" not in html
