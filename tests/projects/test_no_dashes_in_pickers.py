"""No picker shows Django's "---------": every empty choice says what it means, on every main
page and form of the demo project (the pages the lead reaches, forms included)."""

import os
import re

import pytest
from django.core.management import call_command

from projects.management.commands.seed_demo import DEMO_PROJECT
from projects.models import Project


@pytest.mark.django_db
def test_no_rendered_main_page_contains_dashes(client, settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    settings.DEBUG = False
    project = Project.objects.get(name=DEMO_PROJECT)
    client.force_login(project.memberships.get(user__username="lead").user)
    base = f"/projects/{project.pk}/"
    todo, seen, checked = [base, "/projects/", "/my-work/", "/account/notifications/"], set(), 0
    skip = re.compile(r"download|export|\.xlsx|\.pdf|/row/|progress/|logout")
    while todo:
        url = todo.pop()
        pattern = re.sub(r"\d+", "N", url)
        if pattern in seen:  # one page of each kind
            continue
        seen.add(pattern)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        checked += 1
        assert "---------" not in html, url
        for href in re.findall(r'href="([^"#?]+)"', html):
            if href.startswith(base) and not skip.search(href):
                todo.append(href)
    assert checked > 30  # the walk reached the forms (new/edit pages) as well as the lists
