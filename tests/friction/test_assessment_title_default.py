"""A new gap assessment comes with a title, so the first "Create" works; in the document register the
title links to the document as the code does (issue 25 §2.6)."""

import re

import pytest
from django.urls import reverse

from gapanalysis.models import Assessment, AssessmentKind
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def _create_form(client, project):
    page = client.get(reverse("gapanalysis:create", args=[project.pk]))
    assert page.status_code == 200
    return page.context["form"], page.content.decode()


def test_the_first_assessment_is_offered_as_the_baseline_and_created_as_it_comes(client, world):
    client.force_login(world.user("lead"))
    form, html = _create_form(client, world.project)
    assert 'value="Baseline gap analysis"' in html

    data = {"title": form.initial["title"], "template": form.initial["template"], "clause_numbers": ""}
    response = client.post(reverse("gapanalysis:create", args=[world.project.pk]), data)

    assert response.status_code == 302
    assert (
        Assessment.objects.get(project=world.project, kind=AssessmentKind.GAP).title
        == "Baseline gap analysis"
    )


def test_a_later_assessment_is_a_follow_up_and_an_emptied_title_takes_the_default(client, world):
    client.force_login(world.user("lead"))
    form, _ = _create_form(client, world.project)
    url = reverse("gapanalysis:create", args=[world.project.pk])
    client.post(url, {"title": "", "template": form.initial["template"]})
    form, html = _create_form(client, world.project)
    assert form.initial["title"].startswith("Follow-up gap analysis, ")

    assert client.post(url, {"title": "  ", "template": form.initial["template"]}).status_code == 302

    titles = list(
        Assessment.objects.filter(project=world.project).order_by("pk").values_list("title", flat=True)
    )
    assert titles == ["Baseline gap analysis", form.initial["title"]]


def test_in_the_register_the_title_is_a_link_too(client, world):
    document = make_document(world.project, code="POL-42", title="Service management policy")
    client.force_login(world.user("viewer"))

    html = client.get(reverse("documents:register", args=[world.project.pk]) + "?q=POL-42").content.decode()

    detail = reverse("documents:detail", args=[world.project.pk, document.pk])
    assert re.search(rf'<a href="{re.escape(detail)}">\s*Service management policy\s*</a>', html)
    assert re.search(rf'<a href="{re.escape(detail)}">\s*POL-42\s*</a>', html)
