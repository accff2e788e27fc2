"""Records the app holds itself are satisfied from its data, with a link; deleting the data makes
them missing again."""

from audits.models import Audit, Finding, Improvement, ManagementReview
from documents.records import HELD, record_states
from tests.factories import finalise_review, hold_audit, make_audit, make_finding, make_review

HELD_CODES = ("REC-16", "REC-17", "REC-18", "REC-19", "REC-20")


def satisfied(project):
    states = record_states(project)
    return {code: states[code].satisfied for code in HELD_CODES}


def test_held_records_come_from_the_app_s_data_and_go_with_it(world):
    project, lead = world.project, world.user("lead")
    states = record_states(project)
    assert all(states[code].source == HELD for code in HELD_CODES)
    assert satisfied(project) == dict.fromkeys(HELD_CODES, False)

    audit = make_audit(project, user=lead, scope=["9.2"])
    assert satisfied(project)["REC-16"] and not satisfied(project)["REC-17"]
    audit = hold_audit(audit, user=lead)
    make_finding(audit, user=lead)
    Improvement.objects.create(project=project, title="Automate the monthly incident report", created_by=lead)
    review = make_review(project, user=lead, attendees=[world.user("viewer")])
    finalise_review(review, user=lead, decisions="Go for Stage 1.")  # what finalising needs, then final

    states = record_states(project)
    assert {code: states[code].satisfied for code in HELD_CODES} == dict.fromkeys(HELD_CODES, True)
    assert states["REC-18"].url == f"/projects/{project.pk}/audits/reviews/"
    assert states["REC-19"].summary == "1 nonconformity with their corrective actions"

    Improvement.objects.filter(project=project).delete()
    ManagementReview.objects.filter(project=project).delete()
    Finding.objects.filter(project=project).delete()
    Audit.objects.filter(project=project).delete()
    assert satisfied(project) == dict.fromkeys(HELD_CODES, False)


def test_held_records_show_on_the_register_and_never_as_missing_when_data_exists(world, client_for):
    project, lead = world.project, world.user("lead")
    make_audit(project, user=lead, scope=["9.2"])
    page = client_for("viewer").get(f"/projects/{project.pk}/documents/?doc_type=record").content.decode()
    assert "1 internal audit in the audit programme" in page
