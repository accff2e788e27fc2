"""Issue 23: a checklist answer's evidence may cite a register entry (a service, an SLA month, a supplier,
a risk). The import kept the cited entry's id and page as they were, so an imported citation pointed at
the source project's row (or at whatever row has that id here). It now points at the imported copy; a
citation of an entry the archive does not hold is left out, and the job says so."""

import io

import pytest
from django.contrib.auth import get_user_model

from gapanalysis.models import Evidence, Response
from kernel.extensions import evidence_sources
from registers.models import Risk, Service, SlaActual, Supplier
from transfer import exporter, importer, services
from transfer.models import ImportStatus

pytestmark = pytest.mark.django_db

ENTRIES = {"service": Service, "sla_actual": SlaActual, "supplier": Supplier, "risk": Risk}


def entry_values(kind, entry):
    """What makes an entry the same entry in another project (its ids differ)."""
    if kind == "sla_actual":
        return (entry.target.service.name, entry.target.measure, entry.month, entry.value, entry.met)
    if kind == "risk":
        return (entry.title, entry.likelihood, entry.impact, entry.status)
    return (entry.name, str(entry))


def entry_of(kind, project):
    rows = ENTRIES[kind].objects
    if kind == "sla_actual":
        return rows.filter(target__service__project=project).order_by("pk").first()
    return rows.filter(project=project).order_by("pk").first()


def cite(response, kind, entry) -> Evidence:
    """What gapanalysis.services.evidence_add stores for a cited entry (the demo's assessments may
    be finalised, which the service refuses; the row is the same)."""
    cited = evidence_sources()[kind].resolve(response.assessment.project, entry.pk)
    return Evidence.objects.create(
        response=response, entry_kind=kind, entry_id=entry.pk, entry_label=cited.label, entry_path=cited.path
    )


def export_import(project, lead):
    buffer = io.BytesIO()
    exporter.write(project, buffer)
    return importer.import_archive(io.BytesIO(buffer.getvalue()), lead=lead)


def test_every_cited_entry_points_at_its_imported_copy_and_opens(demo, media, client):
    lead = get_user_model().objects.get(username="lead")
    response = Response.objects.filter(assessment__project=demo).order_by("pk").first()
    sources = {}
    for kind in ENTRIES:
        entry = entry_of(kind, demo)
        assert entry is not None, f"the demo has no {kind}"
        cite(response, kind, entry)
        sources[kind] = entry

    result = export_import(demo, lead)

    new = result.project
    imported = Evidence.objects.filter(response__assessment__project=new).exclude(entry_kind="")
    by_kind = {
        e.entry_kind: e
        for e in imported
        if e.entry_label in {evidence_sources()[k].resolve(demo, sources[k].pk).label for k in ENTRIES}
    }
    assert set(by_kind) == set(ENTRIES)
    client.force_login(lead)
    for kind, evidence in by_kind.items():
        copy = evidence_sources()[kind].resolve(new, evidence.entry_id)
        assert copy is not None, f"{kind}: the citation names no entry of the imported project"
        assert evidence.entry_id != sources[kind].pk
        assert entry_values(kind, ENTRIES[kind].objects.get(pk=evidence.entry_id)) == entry_values(
            kind, sources[kind]
        )
        assert evidence.entry_path == copy.path
        assert (
            f"/projects/{new.pk}/" in evidence.entry_path
            and f"/projects/{demo.pk}/" not in evidence.entry_path
        )
        page, _, fragment = evidence.entry_path.partition("#")
        assert client.get(page).status_code == 200, kind
        if kind == "sla_actual":
            assert fragment == f"actual-{evidence.entry_id}"
    # nothing of the imported project points at the source project's entries, history included
    history = Evidence.history.filter(response__assessment__project=new).exclude(entry_kind="")
    assert history.count() >= len(ENTRIES)
    for row in history:
        assert evidence_sources()[row.entry_kind].resolve(new, row.entry_id) is not None
        assert f"/projects/{demo.pk}/" not in row.entry_path


def test_every_entry_of_every_kind_cited_is_mapped(demo, media):
    """Many citations (every entry of the project, more than one batch of history rows is not
    needed: each is mapped by its own id); nothing left out, nothing noted."""
    response = Response.objects.filter(assessment__project=demo).order_by("pk").last()
    for kind, model in ENTRIES.items():
        rows = (
            model.objects.filter(target__service__project=demo)
            if kind == "sla_actual"
            else model.objects.filter(project=demo)
        )
        for entry in rows:
            cite(response, kind, entry)
    cited_here = Evidence.objects.filter(response__assessment__project=demo).exclude(entry_kind="")
    assert cited_here.count() > 10

    result = export_import(demo, get_user_model().objects.get(username="lead"))

    cited = Evidence.objects.filter(response__assessment__project=result.project).exclude(entry_kind="")
    assert cited.count() == cited_here.count()
    assert {(e.entry_kind, e.entry_label) for e in cited} == {
        (e.entry_kind, e.entry_label) for e in cited_here
    }
    for evidence in cited:
        copy = evidence_sources()[evidence.entry_kind].resolve(result.project, evidence.entry_id)
        assert copy is not None and copy.path == evidence.entry_path
    assert result.notes == []


def test_a_citation_of_an_entry_deleted_before_the_export_is_left_out_and_the_job_says_so(
    demo, media, client, tmp_path
):
    lead = get_user_model().objects.get(username="lead")
    response = Response.objects.filter(assessment__project=demo).order_by("pk").first()
    risk = Risk.objects.create(project=demo, title="Flooded server room", likelihood=2, impact=5)
    gone = cite(response, "risk", risk)
    kept = cite(response, "service", entry_of("service", demo))
    risk.delete()  # the citation stays in the source, naming a risk that no longer exists
    path = tmp_path / "project.zip"
    with path.open("wb") as out:
        exporter.write(demo, out)

    with path.open("rb") as source:
        job = services.import_file_now(source=source, name="project.zip", user=lead)

    assert job.status == ImportStatus.DONE, job.error
    new = job.project
    imported = Evidence.all_objects.filter(response__assessment__project=new)
    assert not imported.filter(entry_label=gone.entry_label).exists()
    kept_copy = imported.get(entry_label=kept.entry_label)
    assert evidence_sources()["service"].resolve(new, kept_copy.entry_id) is not None
    assert len(job.note_lines) == 1
    assert "Flooded server room" in job.note_lines[0] and response.question.code in job.note_lines[0]
    # no row of the imported project, history included, keeps the dangling id or the source's page
    history = Evidence.history.filter(entry_label=gone.entry_label).exclude(
        response__assessment__project=demo
    )
    assert history.exists() and all(h.entry_id is None and h.entry_path == "" for h in history)
    client.force_login(lead)
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert (
        "Flooded server room" in page.content.decode()
        and 'data-testid="import-notes"' in page.content.decode()
    )


def test_a_citation_of_a_kind_unknown_here_is_left_out(demo, media):
    response = Response.objects.filter(assessment__project=demo).order_by("pk").first()
    Evidence.objects.create(
        response=response, entry_kind="mystery", entry_id=1, entry_label="Mystery entry", entry_path="/x/"
    )
    result = export_import(demo, get_user_model().objects.get(username="lead"))
    assert not Evidence.all_objects.filter(
        response__assessment__project=result.project, entry_label="Mystery entry"
    ).exists()
    assert any("Mystery entry" in note for note in result.notes)
