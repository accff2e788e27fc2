"""Server-drawn SVG charts keep their coordinates as numbers in every language: German and French
write decimals with a comma ("521,3"), which no SVG reader accepts, so the charts render unlocalised
(templates wrap them in `{% localize off %}`; `floatformat` takes the "u" suffix)."""

import re

import pytest

from identity.models import LanguagePreference
from projects.models import Phase
from tests.factories import make_project

pytestmark = pytest.mark.django_db

LOCALISED_COORDINATE = re.compile(r'\s(?:x|y|cx|cy|width|height)="-?\d+,\d')


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_roadmap_chart_keeps_its_coordinates_as_numbers(client, language):
    project = make_project()
    lead = project.memberships.get().user
    LanguagePreference.objects.create(user=lead, language=language)
    Phase.objects.filter(project=project, key="1").update(progress=40)
    client.force_login(lead)
    for path in (f"/projects/{project.pk}/", f"/projects/{project.pk}/roadmap/"):
        page = client.get(path).content.decode()
        assert "<svg" in page and re.search(r'\s(?:x|width)="\d+\.\d', page), path
        assert not LOCALISED_COORDINATE.search(page), LOCALISED_COORDINATE.search(page).group(0)
