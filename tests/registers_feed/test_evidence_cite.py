"""An auditor cites a register entry (a service, an SLA month, a supplier review, a risk) as evidence
for a checklist answer, beside files and links; another project's entry is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gapanalysis import services as gap_services
from gapanalysis.models import Evidence
from tests.factories import UserFactory, make_assessment, make_project
from tests.registers.builders import make_actual, make_risk, make_service, make_supplier, make_target


@pytest.fixture
def answer(world):
    assessment = make_assessment(
        world.project, user=world.user("lead"), clause_numbers=["8.3.3"], auditors=[world.user("auditor")]
    )
    return assessment.responses.select_related("assessment", "question__clause").first()


@pytest.fixture
def sla_month(world):
    target = make_target(make_service(world.project, name="E-mail"))
    return make_actual(target, month=dt.date(2026, 3, 1), value="98.2")


def cite_url(world, answer):
    return f"/projects/{world.project.pk}/registers-feed/cite/{answer.assessment_id}/{answer.pk}/"


def test_the_auditor_cites_an_sla_month_and_the_answer_lists_it_with_a_link(
    world, client_for, answer, sla_month
):
    client = client_for("auditor")
    page = client.get(cite_url(world, answer) + "?kind=sla_actual").content.decode()
    assert "E-mail — Availability, March 2026: 98.2% against 99.5% (missed)" in page
    done = client.post(cite_url(world, answer) + "?kind=sla_actual", {"entry": f"sla_actual:{sla_month.pk}"})
    assert done.status_code == 302
    evidence = Evidence.objects.get(response=answer)
    assert (
        evidence.kind == "entry" and evidence.entry_kind == "sla_actual" and evidence.entry_id == sla_month.pk
    )
    assert evidence.entry_path == f"{sla_month.target.get_absolute_url()}#actual-{sla_month.pk}"
    clause = client.get(done["Location"]).content.decode()
    assert 'data-testid="cited-entry"' in clause
    assert f'href="{evidence.entry_path}"' in clause
    assert "SLA month: E-mail — Availability, March 2026" in clause


@pytest.mark.parametrize("kind", ["service", "supplier", "risk"])
def test_a_service_a_supplier_review_and_a_risk_can_be_cited(world, answer, kind):
    entry = {
        "service": lambda: make_service(world.project, name="Hosting"),
        "supplier": lambda: make_supplier(world.project, name="Cool Air Ltd", performance_rating="good"),
        "risk": lambda: make_risk(world.project, title="Cooling fails"),
    }[kind]()
    evidence = gap_services.evidence_add(
        response=answer, user=world.user("auditor"), entry=f"{kind}:{entry.pk}"
    )
    assert evidence.entry_path == entry.get_absolute_url()
    assert str(entry) in evidence.entry_label


def test_another_project_s_entry_is_refused_with_422_and_nothing_is_stored(world, client_for, answer):
    other = make_project(lead=UserFactory(username="elsewhere"), name="Other")
    foreign = make_actual(make_target(make_service(other, name="Foreign")))
    response = client_for("auditor").post(cite_url(world, answer), {"entry": f"sla_actual:{foreign.pk}"})
    assert response.status_code == 422
    assert f"This project has no SLA month with id {foreign.pk}." in response.content.decode()
    assert not Evidence.all_objects.exists()


@pytest.mark.parametrize("entry", ["", "nothing:1", "service:abc", "service:0", "service:" + "9" * 30])
def test_malformed_citations_are_refused(world, answer, entry):
    with pytest.raises(ValidationError):
        gap_services.evidence_add(response=answer, user=world.user("auditor"), entry=entry)
    assert not Evidence.all_objects.exists()


def test_an_entry_and_a_link_together_are_refused(world, answer, sla_month):
    with pytest.raises(ValidationError):
        gap_services.evidence_add(
            response=answer,
            user=world.user("auditor"),
            entry=f"sla_actual:{sla_month.pk}",
            url="https://x.test/",
        )


def test_a_viewer_may_not_cite_and_an_outsider_gets_404(world, client_for, answer, sla_month):
    data = {"entry": f"sla_actual:{sla_month.pk}"}
    assert client_for("viewer").post(cite_url(world, answer), data).status_code == 403
    client = client_for("outsider")
    assert client.post(cite_url(world, answer), data).status_code == 404
    assert not Evidence.all_objects.exists()


def test_the_cite_page_searches_and_says_what_to_do_when_empty(world, client_for, answer):
    page = client_for("auditor").get(cite_url(world, answer) + "?kind=risk&q=flood").content.decode()
    assert 'data-testid="cite-empty"' in page and "match “flood”" in page


def test_the_api_lists_a_cited_entry_as_evidence_of_kind_entry(world, api, answer, sla_month):
    gap_services.evidence_add(response=answer, user=world.user("auditor"), entry=f"sla_actual:{sla_month.pk}")
    body = (
        api(world.user("viewer"))
        .get(
            f"/api/v1/projects/{world.project.pk}/assessments/{answer.assessment_id}/answers/{answer.pk}/evidence/"
        )
        .json()
    )
    assert body["results"][0]["kind"] == "entry"


def test_the_api_cites_an_entry_and_refuses_another_project_s(world, api, answer, sla_month):
    path = f"/api/v1/projects/{world.project.pk}/assessments/{answer.assessment_id}/answers/{answer.pk}/evidence/"  # noqa: E501
    client = api(world.user("auditor"))
    made = client.post(path, {"entry": f"sla_actual:{sla_month.pk}"}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["entry_path"].endswith(f"#actual-{sla_month.pk}")
    other = make_project(lead=UserFactory(username="elsewhere"), name="Other")
    foreign = make_service(other, name="Foreign")
    refused = client.post(path, {"entry": f"service:{foreign.pk}"}, format="json")
    assert refused.status_code == 422 and "entry" in refused.json()["errors"]
