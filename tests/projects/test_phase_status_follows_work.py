"""Phase status follows the work: progress makes a phase "in progress"; a phase past its planned end
and not done is shown late, in words, on the roadmap, the phase page and the dashboard timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects import services
from projects.models import Phase, PhaseStatus
from projects.timeline import timeline_chart
from tests.factories import make_task

pytestmark = pytest.mark.django_db


def test_a_phase_with_progress_moves_to_in_progress(world, progress_refresh_inline):
    phase = world.project.phases.get(key="5")
    version = phase.version
    task = make_task(world.project, phase=phase)
    make_task(world.project, phase=phase, title="Second")
    services.task_set_done(task=task, user=world.user("lead"))
    phase.refresh_from_db()
    assert 0 < phase.progress < 100  # documents of phase 5 count too
    assert phase.status == PhaseStatus.IN_PROGRESS
    assert phase.actual_start == timezone.localdate()
    assert phase.version == version + 1  # an open phase form now reports a conflict
    assert world.project.activities.filter(summary__contains="work on it has started").exists()
    # Phases without progress stay as they were.
    assert world.project.phases.get(key="6").status == PhaseStatus.NOT_STARTED


def test_a_phase_without_progress_is_left_not_started(world, progress_refresh_inline):
    phase = world.project.phases.get(key="5")
    make_task(world.project, phase=phase)
    services.project_progress_refresh(project=world.project)
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.NOT_STARTED and phase.actual_start is None


def _make_late(world, key="4"):
    phase = world.project.phases.get(key=key)
    yesterday = timezone.localdate() - timedelta(days=1)
    Phase.objects.filter(pk=phase.pk).update(
        planned_start=yesterday - timedelta(days=20), planned_end=yesterday
    )
    phase.refresh_from_db()
    return phase


def test_a_phase_past_its_end_and_not_done_is_late_and_a_done_one_is_not(world):
    late = _make_late(world)
    assert late.is_late
    Phase.objects.filter(pk=late.pk).update(status=PhaseStatus.DONE)
    late.refresh_from_db()
    assert not late.is_late
    skipped = world.project.phases.get(key="2")
    yesterday = timezone.localdate() - timedelta(days=1)
    Phase.objects.filter(pk=skipped.pk).update(
        status=PhaseStatus.SKIPPED, planned_start=yesterday - timedelta(days=5), planned_end=yesterday
    )
    skipped.refresh_from_db()
    assert not skipped.is_late


def test_roadmap_phase_page_and_dashboard_say_late_in_words(world, client_for):
    phase = _make_late(world)
    client = client_for("viewer")
    roadmap = client.get(f"/projects/{world.project.pk}/roadmap/").content.decode()
    assert roadmap.count('data-testid="late-badge"') == 1
    assert ">late</text>" in roadmap  # the timeline row carries the word too
    page = client.get(phase.get_absolute_url()).content.decode()
    assert 'data-testid="late-badge"' in page and "Late" in page
    dashboard = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert 'data-testid="late-badge"' in dashboard


def test_timeline_rows_are_late_only_past_their_end(world):
    _make_late(world)
    phases = list(world.project.phases.order_by("order"))
    chart = timeline_chart(phases, today=timezone.localdate(), target=world.project.target_certification_date)
    assert [row.label for row in chart.rows if row.late] == ["4."]
