"""The project's "language of reports", set by the lead in the project settings."""

import pytest

from projects.models import Project
from tests.projects.test_project_forms import _data

pytestmark = pytest.mark.django_db


def test_the_lead_sets_the_language_of_reports(client, world):
    client.force_login(world.user("lead"))
    client.post("/projects/new/", _data())
    project = Project.objects.get(name="ISO 20000 for Example")
    assert project.report_language == ""  # each report in the asker's language
    page = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'name="report_language"' in page and '<option value="zh-hans">' in page
    response = client.post(
        f"/projects/{project.pk}/edit/", _data(report_language="de", version=str(project.version))
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.report_language == "de"
    assert project.history.first().report_language == "de"  # who changed it is in the history


def test_a_language_not_offered_is_refused(client, world):
    client.force_login(world.user("lead"))
    client.post("/projects/new/", _data())
    project = Project.objects.get(name="ISO 20000 for Example")
    response = client.post(
        f"/projects/{project.pk}/edit/", _data(report_language="xx", version=str(project.version))
    )
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.report_language == ""
