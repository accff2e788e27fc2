from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from projects.scheduling import ScheduleTooShort, back_schedule, forecast_finish


@dataclass
class FakePhase:
    planned_start: date
    planned_end: date
    status: str = "not_started"
    progress: int = 0
    actual_start: date | None = None
    actual_end: date | None = None


def test_back_schedule_refuses_a_window_shorter_than_the_roadmap():
    with pytest.raises(ScheduleTooShort):
        back_schedule(date(2027, 1, 1), date(2027, 1, 5))


def test_forecast_on_plan_when_nothing_has_slipped():
    today = date(2027, 1, 1)
    phases = [FakePhase(date(2027, 2, 1), date(2027, 2, 28)), FakePhase(date(2027, 3, 1), date(2027, 3, 31))]
    forecast = forecast_finish(phases, target=date(2027, 3, 31), today=today)
    assert forecast.projected_finish == date(2027, 3, 31)
    assert forecast.on_track and forecast.slip_days == 0


def test_forecast_extrapolates_a_slow_running_phase_and_pushes_the_rest():
    today = date(2027, 3, 1)
    running = FakePhase(
        date(2027, 2, 1), date(2027, 2, 28), "in_progress", progress=50, actual_start=date(2027, 2, 1)
    )
    later = FakePhase(date(2027, 3, 1), date(2027, 3, 31))
    forecast = forecast_finish([running, later], target=date(2027, 3, 31), today=today)
    # 28 days for half the work: 28 more days, then the later phase's 31 days.
    assert forecast.projected_finish == today + timedelta(days=28) + timedelta(days=31)
    assert forecast.slip_days == (forecast.projected_finish - date(2027, 3, 31)).days > 0


def test_done_phases_keep_their_real_end_and_skipped_phases_take_no_time():
    done = FakePhase(date(2027, 1, 1), date(2027, 1, 31), "done", 100, date(2027, 1, 1), date(2027, 1, 20))
    skipped = FakePhase(date(2027, 2, 1), date(2027, 2, 28), "skipped")
    last = FakePhase(date(2027, 3, 1), date(2027, 3, 10))
    forecast = forecast_finish([done, skipped, last], target=date(2027, 3, 20), today=date(2027, 1, 25))
    assert forecast.projected_finish == date(2027, 3, 10)
    assert forecast.spare_days == 10


def test_a_running_phase_with_little_progress_is_forecast_from_its_plan():
    today = date(2027, 2, 10)
    running = FakePhase(
        date(2027, 2, 1), date(2027, 2, 28), "in_progress", progress=5, actual_start=date(2027, 1, 1)
    )
    forecast = forecast_finish([running], target=date(2027, 2, 28), today=today)
    # 5% after 40 days would extrapolate to two years; the plan's remaining 95% of 28 days is used.
    assert forecast.projected_finish == today + timedelta(days=round(28 * 0.95))


def test_pace_extrapolation_is_capped_at_three_planned_durations():
    today = date(2027, 6, 1)
    crawling = FakePhase(
        date(2027, 1, 1), date(2027, 1, 10), "in_progress", progress=20, actual_start=date(2027, 1, 1)
    )
    forecast = forecast_finish([crawling], target=date(2027, 1, 10), today=today)
    assert forecast.projected_finish == today + timedelta(days=30)
