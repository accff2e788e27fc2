"""Issue 21 §3: auditor competence records (7.2): typed-in training and qualifications, and the
audits each auditor did, counted from the programme."""

from audits.models import AuditorCompetence
from tests.factories import hold_audit, make_audit


def url(world, rest=""):
    return f"/projects/{world.project.pk}/audits/competence/{rest}"


def test_the_list_starts_empty_and_is_linked_from_the_programme(world, client_for):
    page = client_for("viewer").get(url(world)).content.decode()
    assert 'data-testid="competence-empty"' in page
    programme = client_for("viewer").get(f"/projects/{world.project.pk}/audits/").content.decode()
    assert f'href="{url(world)}"' in programme


def test_the_lead_records_training_and_audits_done_are_counted(world, client_for):
    auditor = world.user("auditor")
    held = make_audit(world.project, user=world.user("lead"), lead_auditor=auditor, team=[auditor])
    hold_audit(held, user=auditor)
    make_audit(world.project, user=world.user("lead"), lead_auditor=auditor, team=[auditor])  # planned only
    response = client_for("lead").post(
        url(world, "new/"),
        {
            "person": auditor.pk,
            "kind": "training",
            "title": "ISO/IEC 20000-1 internal auditor course",
            "obtained_on": "2026-03-12",
            "evidence": "HR file 2026/17",
        },
    )
    assert response.status_code == 302
    page = client_for("viewer").get(url(world)).content.decode()
    assert "ISO/IEC 20000-1 internal auditor course" in page
    assert "competence-empty" not in page
    assert "1 internal audit done in this project" in page


def test_records_are_kept_for_auditors_only_and_bad_dates_are_refused(world, client_for):
    data = {"person": world.user("contributor").pk, "kind": "qualification", "title": "Lead auditor",
            "obtained_on": "2026-03-12"}  # fmt: skip
    assert client_for("lead").post(url(world, "new/"), data).status_code == 422
    data = {**data, "person": world.user("auditor").pk, "expires_on": "2025-01-01"}
    response = client_for("lead").post(url(world, "new/"), data)
    assert response.status_code == 422
    assert "It cannot expire before it was obtained." in response.content.decode()
    assert not AuditorCompetence.objects.exists()
