"""Signing in writes `last_login` once a day (sms_tracker/identity/last_login.py), and a progress
refresh that moves nothing writes neither the project nor its phases: no write when nothing changed."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects import services
from tests.factories import UserFactory, make_project, make_task

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"


def _updates(queries, table):
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]


def _sign_in(user):
    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, "signed in"
    return queries


def test_the_first_sign_in_of_a_day_writes_last_login_and_the_next_ones_do_not():
    user = UserFactory()
    assert user.last_login is None
    first = _sign_in(user)
    assert len(_updates(first, "auth_user")) == 1
    user.refresh_from_db()
    stamped = user.last_login
    assert stamped is not None, "an account that signed in says so (invitations read it)"

    again = _sign_in(user)
    assert _updates(again, "auth_user") == [], "nothing changed: no write"
    user.refresh_from_db()
    assert user.last_login == stamped


def test_a_sign_in_on_a_later_day_writes_it_again():
    user = UserFactory()
    _sign_in(user)
    user.refresh_from_db()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        later = _sign_in(user)
    assert len(_updates(later, "auth_user")) == 1
    user.refresh_from_db()
    assert timezone.localdate(user.last_login) > timezone.localdate()


def test_a_progress_refresh_that_moves_nothing_writes_neither_the_project_nor_its_phases():
    lead = UserFactory()
    project = make_project(lead=lead)
    make_task(project, title="Open")
    services.project_progress_refresh(project=project)  # the figures as they stand
    with CaptureQueriesContext(connection) as queries:
        services.project_progress_refresh(project=project)
    assert _updates(queries, "projects_project") == []
    assert _updates(queries, "projects_phase") == []


def test_a_progress_refresh_that_moves_the_figure_writes_the_project():
    lead = UserFactory()
    project = make_project(lead=lead)
    phase = project.phases.get(key="5")
    task = make_task(project, phase=phase, title="Open")
    services.project_progress_refresh(project=project)
    task.refresh_from_db()
    services.task_update(task=task, user=lead, expected_version=task.version, status="done")
    with CaptureQueriesContext(connection) as queries:
        services.project_progress_refresh(project=project)
    assert len(_updates(queries, "projects_project")) == 1
    project.refresh_from_db()
    assert project.progress > 0
