from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Project

pytestmark = pytest.mark.django_db


def _data(**overrides):
    today = timezone.localdate()
    data = {
        "name": "ISO 20000 for Example",
        "organisation": "Example Ltd",
        "standard_edition": "ISO/IEC 20000-1:2018",
        "start_date": today.isoformat(),
        "target_certification_date": (today + timedelta(days=300)).isoformat(),
    }
    data.update(overrides)
    return data


def test_any_signed_in_user_creates_a_project_and_lands_on_its_dashboard(client, world):
    client.force_login(world.user("outsider"))
    response = client.post("/projects/new/", _data())
    project = Project.objects.get(name="ISO 20000 for Example")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.phases.count() == 14


def test_target_date_in_the_past_is_refused(client, world):
    client.force_login(world.user("lead"))
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post("/projects/new/", _data(target_certification_date=past))
    assert response.status_code == 422
    assert "must be in the future" in response.content.decode()
    assert not Project.objects.filter(name="ISO 20000 for Example").exists()


def test_a_window_too_short_for_the_roadmap_is_refused(client, world):
    client.force_login(world.user("lead"))
    soon = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post("/projects/new/", _data(target_certification_date=soon))
    assert response.status_code == 422
    assert "earliest realistic target date is" in response.content.decode()


def test_an_empty_name_is_refused(client, world):
    client.force_login(world.user("lead"))
    response = client.post("/projects/new/", _data(name="   "))
    assert response.status_code == 422
    assert Project.objects.count() == 1


def test_editing_with_replan_moves_phases_not_started(client, world):
    client.force_login(world.user("lead"))
    project = world.project
    new_target = project.target_certification_date + timedelta(days=60)
    response = client.post(
        f"/projects/{project.pk}/edit/",
        _data(
            name=project.name,
            start_date=project.start_date.isoformat(),
            target_certification_date=new_target.isoformat(),
            version=project.version,
            replan="on",
        ),
    )
    assert response.status_code == 302
    assert project.phases.get(key="S2").planned_end == new_target


def test_the_minimum_operating_period_defaults_to_three_months_and_the_lead_can_change_it(client, world):
    client.force_login(world.user("lead"))
    client.post("/projects/new/", _data())
    project = Project.objects.get(name="ISO 20000 for Example")
    assert project.min_operating_months == 3
    response = client.post(
        f"/projects/{project.pk}/edit/", _data(min_operating_months="6", version=str(project.version))
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.min_operating_months == 6


def test_an_operating_period_outside_one_to_24_months_is_refused(client, world):
    client.force_login(world.user("lead"))
    response = client.post("/projects/new/", _data(min_operating_months="0"))
    assert response.status_code == 422
    assert not Project.objects.filter(name="ISO 20000 for Example").exists()
