"""The lead finds the project's settings (target date, MFA, webhooks, export) under a Settings tab on
every project page, not only behind "Edit project" on the History tab (issue 25 §2.1)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
TAB = re.compile(r'<a class="nav-link ([^"]*)" href="([^"]+)" data-testid="project-settings">Settings</a>')


def _html(client, name, project):
    return client.get(reverse(name, args=[project.pk])).content.decode()


@pytest.mark.parametrize("url_name", ["projects:dashboard", "projects:task_list", "documents:register"])
def test_the_lead_sees_a_settings_tab_on_project_pages(client, world, url_name):
    client.force_login(world.user("lead"))
    tab = TAB.search(_html(client, url_name, world.project))
    assert tab is not None
    assert tab.group(2) == reverse("projects:edit", args=[world.project.pk])
    assert "active" not in tab.group(1)


@pytest.mark.parametrize("role", ["contributor", "auditor", "viewer"])
def test_other_roles_have_no_settings_tab(client, world, role):
    client.force_login(world.user(role))
    assert 'data-testid="project-settings"' not in _html(client, "projects:dashboard", world.project)


def test_the_settings_page_holds_target_date_mfa_webhooks_and_export(client, world):
    client.force_login(world.user("lead"))
    html = _html(client, "projects:edit", world.project)

    assert '<h1 class="h4">Project settings</h1>' in html
    assert 'name="target_certification_date"' in html and 'name="require_mfa"' in html
    assert f'href="{reverse("webhooks:list", args=[world.project.pk])}"' in html
    assert f'href="{reverse("transfer:export", args=[world.project.pk])}"' in html
    assert "active" in TAB.search(html).group(1)
    assert "active" in TAB.search(_html(client, "webhooks:list", world.project)).group(1)
