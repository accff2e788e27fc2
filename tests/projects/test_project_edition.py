"""A new project is offered the current edition, ISO/IEC 20000-1:2018 + Amd 1:2024, the label of the
default checklist; an existing project keeps the edition it has."""

import pytest

from gapanalysis.models import ChecklistTemplate
from projects.forms import CURRENT_EDITION

pytestmark = pytest.mark.django_db


def test_the_new_project_form_offers_the_amended_edition(client, world):
    client.force_login(world.user("outsider"))
    form = client.get("/projects/new/").content.decode()
    assert 'value="ISO/IEC 20000-1:2018 + Amd 1:2024"' in form
    newest = ChecklistTemplate.objects.library().filter(slug="iso20000-1-2018").order_by("-version").first()
    assert CURRENT_EDITION == newest.standard


def test_an_existing_project_keeps_its_edition_on_the_edit_form(client, world):
    client.force_login(world.user("lead"))
    form = client.get(f"/projects/{world.project.pk}/edit/").content.decode()
    assert f'value="{world.project.standard_edition}"' in form
    assert world.project.standard_edition == "ISO/IEC 20000-1:2018"
