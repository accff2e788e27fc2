"""The auditor marks each sampled ticket; a failure becomes a finding whose source is the sample,
the results become evidence on a checklist answer."""

from datetime import date

import pytest

from audits.models import Finding, FindingSource
from connectors.evidence import services
from connectors.evidence.models import SampleItem, Verdict
from gapanalysis.models import AssessmentKind, Evidence, Response
from gapanalysis.services import assessment_create
from tests.factories import iso_template
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when


@pytest.fixture
def sample(world):
    lead = world.user("lead")
    standard_rules(world.project, lead)
    conn = connector(world.project)
    for day in range(1, 4):
        ticket(conn, opened=when(2026, 11, day), ticket_type="Change", hours=2, title=f"<b>Change {day}</b>")
    population = services.population_freeze(
        project=world.project, clause="8.5.1", month=date(2026, 11, 1), user=lead, today=date(2026, 12, 6)
    )
    return services.sample_draw(population=population, user=world.user("auditor"))


def mark_url(world, item):
    return f"/projects/{world.project.pk}/ticket-evidence/samples/{item.sample_id}/items/{item.pk}/mark/"


def test_marking_not_conforming_needs_a_note_and_a_stale_mark_is_refused(world, sample, client_for):
    client = client_for("auditor")
    item = sample.items.first()
    prefix = f"i{item.pk}-"
    response = client.post(
        mark_url(world, item),
        {prefix + "verdict": "nonconforming", prefix + "note": "", prefix + "version": 1},
    )
    assert response.status_code == 422 and b"Say what does not conform" in response.content
    response = client.post(
        mark_url(world, item),
        {prefix + "verdict": "nonconforming", prefix + "note": "No approval recorded", prefix + "version": 1},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.verdict, item.note, item.marked_by) == (
        Verdict.NONCONFORMING,
        "No approval recorded",
        world.user("auditor"),
    )
    stale = client.post(
        mark_url(world, item), {prefix + "verdict": "conforming", prefix + "note": "", prefix + "version": 1}
    )
    assert stale.status_code == 409
    item.refresh_from_db()
    assert item.verdict == Verdict.NONCONFORMING


def test_a_failed_ticket_becomes_a_finding_from_the_sample(world, sample, client_for):
    item = sample.items.first()
    services.item_mark(
        item=item,
        user=world.user("auditor"),
        expected_version=1,
        verdict="nonconforming",
        note="No CAB approval",
    )
    client = client_for("auditor")
    url = f"/projects/{world.project.pk}/ticket-evidence/samples/{sample.pk}/items/{item.pk}/finding/"
    page = client.get(url)
    assert page.status_code == 200 and b'value="8.5.1.1" selected' in page.content
    response = client.post(url, {"grade": "minor_nc", "clause": "8.5.1.3"})
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == finding.get_absolute_url()
    assert finding.source == FindingSource.SAMPLE and finding.audit is None
    assert item.ticket.external_id in finding.source_reference and "No CAB approval" in finding.description
    assert finding.clause == "8.5.1.3" and sample.population.checksum in finding.evidence
    assert SampleItem.objects.get(pk=item.pk).finding == finding
    client.post(url, {"grade": "minor_nc", "clause": "8.5.1.3"})  # again: the same finding, not a second
    assert Finding.objects.count() == 1


def test_the_results_become_evidence_on_a_checklist_answer_once_every_ticket_is_marked(world, sample):
    lead, auditor = world.user("lead"), world.user("auditor")
    assessment = assessment_create(
        project=world.project,
        template=iso_template(),
        kind=AssessmentKind.AUDIT,
        title="Internal audit",
        user=lead,
        auditor_ids=[auditor.pk],
    )
    answer = Response.objects.filter(
        assessment=assessment, question__clause__number__startswith="8.5.1."
    ).first()
    first, *rest = sample.items.order_by("order")
    with pytest.raises(Exception, match="Mark every sampled ticket"):
        services.sample_record_evidence(sample=sample, user=auditor, response=answer)
    services.item_mark(item=first, user=auditor, expected_version=1, verdict="nonconforming", note="Late")
    for item in rest:
        services.item_mark(item=item, user=auditor, expected_version=1, verdict="conforming", note="")
    evidence = services.sample_record_evidence(sample=sample, user=auditor, response=answer)
    assert Evidence.objects.get() == evidence and evidence.url.endswith(sample.get_absolute_url())
    assert f"{len(rest)} conforming, 1 not" in evidence.description
