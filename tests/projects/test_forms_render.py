"""New records render without the version field; edits carry it (optimistic locking)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/projects/new/", "/projects/{p}/tasks/new/", "/projects/{p}/edit/"])
def test_version_field_only_on_edit_forms(world, client, path):
    client.force_login(world.user("lead"))
    response = client.get(path.format(p=world.project.pk))
    assert response.status_code == 200
    has_version = 'name="version"' in response.content.decode()
    assert has_version == path.endswith("edit/")
