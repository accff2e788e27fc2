from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Membership, PhaseStatus, Role
from projects.roadmap import ROADMAP
from tests.factories import UserFactory, make_project

pytestmark = pytest.mark.django_db


def test_creating_a_project_lays_out_the_fourteen_phases_in_order():
    project = make_project()
    phases = list(project.phases.order_by("order"))
    assert [p.key for p in phases] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
        "12",
        "S1",
        "S2",
    ]
    assert [p.title for p in phases] == [d.title for d in ROADMAP]
    assert {p.key for p in phases if p.optional} == {"2", "3"}
    assert all(p.status == PhaseStatus.NOT_STARTED for p in phases)


def test_phases_are_back_scheduled_to_end_on_the_target_date():
    today = timezone.localdate()
    project = make_project(start_date=today, target_certification_date=today + timedelta(days=365))
    phases = list(project.phases.order_by("order"))
    assert phases[0].planned_start == today
    assert phases[-1].planned_end == project.target_certification_date
    for earlier, later in zip(phases, phases[1:], strict=False):
        assert later.planned_start == earlier.planned_end + timedelta(days=1)
        assert later.depends_on_id == earlier.pk
    # The longest default share goes to operating the SMS (phase 9), the shortest to Stage 2.
    durations = {p.key: (p.planned_end - p.planned_start).days for p in phases}
    assert durations["9"] > durations["6"] > durations["S2"]


def test_phase_ten_carries_its_two_milestones():
    project = make_project()
    phase = project.phases.get(key="10")
    milestones = list(phase.milestones.order_by("order"))
    assert [m.title for m in milestones] == ["Improvement approach defined", "First improvements implemented"]
    assert phase.planned_start <= milestones[0].planned_date < milestones[1].planned_date <= phase.planned_end


def test_the_creator_becomes_the_lead():
    lead = UserFactory()
    project = make_project(lead=lead)
    assert Membership.objects.get(project=project, user=lead).role == Role.LEAD


def test_phase_page_says_where_its_progress_comes_from(world, client):
    client.force_login(world.user("viewer"))
    phase = world.project.phases.get(key="4")
    body = client.get(f"/projects/{world.project.pk}/phases/{phase.pk}/").content.decode()
    assert "Progress comes from its tasks and the approval of its mandatory documents." in body
    phase = world.project.phases.get(key="8")
    body = client.get(f"/projects/{world.project.pk}/phases/{phase.pk}/").content.decode()
    assert "Progress comes from its tasks." in body
