import pytest

from tests.factories import make_audit, make_review


@pytest.mark.parametrize(
    "path, field",
    [
        ("{a}/findings/new/", 'name="description"'),
        ("improvements/new/", 'name="title"'),
        ("reviews/new/", 'name="meeting_date"'),
        ("new/", 'name="scope_clauses"'),
        ("{a}/edit/", 'name="version"'),
        ("reviews/{r}/edit/", 'name="decisions"'),
    ],
)
def test_create_and_edit_forms_render_every_field(world, client, path, field):
    audit = make_audit(world.project, user=world.user("lead"))
    review = make_review(world.project, user=world.user("lead"))
    client.force_login(world.user("lead"))
    url = f"/projects/{world.project.pk}/audits/" + path.format(a=audit.pk, r=review.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert field in response.content.decode()
