"""Ticket evidence in a project archive: the frozen populations, samples and worksheets travel (the
connectors, their credentials and the synced tickets do not), and the links their evidence stores
with the installation's address (a sample's results as checklist evidence, a population's
operating-evidence entry) point at the imported copy, never at the source project. A link whose page
the archive does not hold keeps its evidence and opens the project's ticket evidence; the job says so."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors.evidence import services
from connectors.evidence.models import Population, Sample
from connectors.evidence.services import population_url
from documents.models import EvidenceEntry
from gapanalysis.models import AssessmentKind, Evidence, Response
from gapanalysis.services import assessment_create
from projects.models import Activity
from tests.factories import iso_template
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when
from transfer import exporter
from transfer import services as transfer_services
from transfer.links import SiteLinks
from transfer.models import ImportStatus

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)
SECRET = "gAAAAB-the-tool-credentials-never-leave"


def build(world, *, clause="8.5.1", ticket_type="Change", record=True):
    """A frozen month of `clause` with a drawn sample, every ticket marked; its results recorded as
    evidence on a checklist answer of the clause. Answers (population, sample, evidence)."""
    lead, auditor = world.user("lead"), world.user("auditor")
    if not Population.objects.filter(project=world.project).exists():
        standard_rules(world.project, lead)
    conn = connector(world.project, name=f"Desk {clause}")
    conn.credentials_encrypted = SECRET
    conn.save()
    for day in range(1, 4):
        ticket(conn, opened=when(2026, 11, day), ticket_type=ticket_type, hours=2)
    population = services.population_freeze(
        project=world.project, clause=clause, month=NOVEMBER, user=lead, today=date(2026, 12, 6)
    )
    sample = services.sample_draw(population=population, user=auditor)
    for item in sample.items.all():
        services.item_mark(item=item, user=auditor, expected_version=1, verdict="conforming", note="")
    evidence = None
    if record:
        assessment = assessment_create(
            project=world.project,
            template=iso_template(),
            kind=AssessmentKind.AUDIT,
            title=f"Internal audit {clause}",
            user=lead,
            auditor_ids=[auditor.pk],
        )
        answer = Response.objects.filter(
            assessment=assessment, question__clause__number__startswith=clause
        ).first()
        evidence = services.sample_record_evidence(sample=sample, user=auditor, response=answer)
    return population, sample, evidence


def export(project) -> bytes:
    buffer = io.BytesIO()
    exporter.write(project, buffer)
    return buffer.getvalue()


def import_(data: bytes, user):
    job = transfer_services.import_file_now(source=io.BytesIO(data), name="project.zip", user=user)
    assert job.status == ImportStatus.DONE, job.error
    return job


def links_of(project) -> list[str]:
    """Every evidence link of the project, history rows included."""
    evidence = Evidence.all_objects.filter(response__assessment__project=project)
    entries = EvidenceEntry.objects.filter(project=project)
    return [
        *evidence.values_list("url", flat=True),
        *Evidence.history.filter(response__assessment__project=project).values_list("url", flat=True),
        *entries.values_list("link", flat=True),
        *EvidenceEntry.history.filter(project=project).values_list("link", flat=True),
    ]


def test_ticket_evidence_travels_without_the_connectors_or_their_credentials(world, media):
    build(world)
    data = export(world.project)

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        content = zf.read("data.json")
    counts = manifest["counts"]
    assert counts["ticket_evidence.population"] == 1 and counts["ticket_evidence.sample"] == 1
    assert counts["ticket_evidence.frozenticket"] == 3 and counts["ticket_evidence.sampleitem"] >= 1
    assert counts["ticket_evidence.mappingrule"] == 4
    assert not {"connectors.connector", "connectors.ticket", "connectors.syncrun"} & set(counts)
    assert SECRET.encode() not in content and SECRET.encode() not in data


def test_the_sample_and_population_links_point_at_the_imported_copy_and_open(world, media, client):
    lead = world.user("lead")
    population, sample, evidence = build(world)
    source = world.project

    job = import_(export(source), lead)

    new = job.project
    copy_population = Population.objects.get(project=new)
    copy_sample = Sample.objects.get(population=copy_population)
    copy_evidence = Evidence.objects.get(response__assessment__project=new, description=evidence.description)
    assert copy_sample.checklist_evidence == copy_evidence
    assert copy_evidence.url == settings.SITE_URL + reverse(
        "ticket_evidence:sample", args=[new.pk, copy_sample.pk]
    )
    entry = copy_population.entry
    assert entry.project == new and entry.summary == population.entry.summary
    assert entry.link == settings.SITE_URL + population_url(new.pk, "8.5.1", NOVEMBER)
    assert job.note_lines == []

    client.force_login(lead)  # the importer leads the imported project
    worksheet = client.get(copy_evidence.url.removeprefix(settings.SITE_URL))
    assert worksheet.status_code == 200 and str(copy_sample.seed).encode() in worksheet.content
    month = client.get(entry.link.removeprefix(settings.SITE_URL))
    assert month.status_code == 302 and month["Location"] == copy_population.get_absolute_url()
    assert client.get(month["Location"]).status_code == 200

    # nothing of the imported project names the source project: links, history, activity lines
    links = links_of(new)
    assert len(links) >= 4 and all(f"/projects/{source.pk}/" not in link for link in links)
    assert all(link.startswith(f"{settings.SITE_URL}/projects/{new.pk}/ticket-evidence/") for link in links)
    activity = Activity.objects.filter(project=new, verb__in=["population frozen", "sample drawn"])
    assert {a.url for a in activity} == {copy_population.get_absolute_url(), copy_sample.get_absolute_url()}
    # the source keeps its own links
    evidence.refresh_from_db()
    assert f"/projects/{source.pk}/ticket-evidence/samples/{sample.pk}/" in evidence.url


def test_a_link_whose_page_the_archive_does_not_hold_keeps_its_evidence_and_the_job_says_so(
    world, media, client
):
    lead = world.user("lead")
    gone_population, gone_sample, gone = build(world)
    kept_population, kept_sample, kept = build(world, clause="8.6.1", ticket_type="Incident")
    elsewhere = Evidence.objects.create(
        response=kept.response, url="https://tickets.example.com/reports/5", description="Tool report"
    )
    other = f"{settings.SITE_URL}/projects/{world.project.pk + 1000}/ticket-evidence/samples/1/"
    other_project = Evidence.objects.create(response=kept.response, url=other, description="Elsewhere")
    # the sample and the population are gone from the source; the evidence that linked them stays
    Sample.objects.filter(pk=gone_sample.pk).delete()
    Population.objects.filter(pk=gone_population.pk).update(entry=None)
    Population.objects.filter(pk=gone_population.pk).delete()
    source = world.project

    job = import_(export(source), lead)

    new = job.project
    section = settings.SITE_URL + reverse("ticket_evidence:overview", args=[new.pk])
    copy = Evidence.objects.get(response__assessment__project=new, description=gone.description)
    assert copy.url == section  # kept with its text, the link never emptied
    entry = EvidenceEntry.objects.get(project=new, summary=gone_population.entry.summary)
    assert entry.link == section and not hasattr(entry, "population")
    copy_kept = Evidence.objects.get(response__assessment__project=new, description=kept.description)
    copy_sample = Sample.objects.get(population__project=new)
    assert copy_kept.url == settings.SITE_URL + copy_sample.get_absolute_url()
    assert Evidence.objects.get(response__assessment__project=new, description="Tool report").url == (
        elsewhere.url
    )
    assert Evidence.objects.get(response__assessment__project=new, description="Elsewhere").url == (
        other_project.url
    )

    assert len(job.note_lines) == 2
    question = gone.response.question.code
    assert any(question in line and gone.description in line for line in job.note_lines)
    assert any(gone_population.entry.summary in line for line in job.note_lines)
    client.force_login(lead)
    assert client.get(section.removeprefix(settings.SITE_URL)).status_code == 200
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-notes"' in page and question in page
    links = [link for link in links_of(new) if link not in (elsewhere.url, other)]
    assert links and all(f"/projects/{source.pk}/" not in link for link in links)


def test_links_of_the_installation_the_archive_comes_from_are_rewritten(world, media, settings):
    """An archive from another installation: its links start with that installation's address
    (the manifest's site_url); they open the imported copy here."""
    settings.SITE_URL = "https://sms.source.example"
    build(world)
    data = export(world.project)
    settings.SITE_URL = "https://sms.here.example"

    job = import_(data, world.user("lead"))

    links = links_of(job.project)
    here = f"https://sms.here.example/projects/{job.project.pk}/"
    assert links and all(link.startswith(here) for link in links)


def test_the_rewrite_costs_no_query_per_link(world, media, monkeypatch):
    """The links are rewritten a batch at a time: three sampled months (each with its population's
    entry, its sample's evidence and their history rows) cost the rewrite as many queries as one."""
    counts = []
    rewrite = SiteLinks.run

    def counted(self):
        with CaptureQueriesContext(connection) as queries:
            notes = rewrite(self)
        counts.append(len(queries))
        return notes

    monkeypatch.setattr(SiteLinks, "run", counted)
    lead = world.user("lead")
    build(world)
    first = import_(export(world.project), lead).project
    build(world, clause="8.6.1", ticket_type="Incident")
    build(world, clause="8.6.3", ticket_type="Problem")
    second = import_(export(world.project), lead).project

    assert len(links_of(first)) >= 4 and len(links_of(second)) >= 12
    assert all(f"/projects/{world.project.pk}/" not in link for link in links_of(second))
    assert counts[0] == counts[1], counts
