"""Issue 9 §2.1: a template a lead imports belongs to their project. It never replaces the ISO
template other projects' audits and gap analyses use, and other projects do not see it."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from audits.clauses import audit_template, leaf_clauses
from gapanalysis.checklist_io import export_template
from gapanalysis.forms import AssessmentCreateForm
from gapanalysis.models import ChecklistTemplate
from tests.factories import ISO_FILE, UserFactory, iso_template, make_assessment, make_project

pytestmark = pytest.mark.django_db
NEXT = 4  # the shipped library holds versions 1 to 3 of the ISO checklist


def hostile_iso_upload():
    """The ISO slug as a new version with one clause: what a lead of any project could upload."""
    data = json.loads(export_template(iso_template(), "json"))
    data["version"] = NEXT
    data["clauses"] = [{"number": "1", "title": "Only this", "parent": None, "is_leaf": True, "guidance": ""}]
    data["questions"] = [{"id": "X-1", "clause": "1", "text": "Anything?", "documented_information": "none"}]
    return SimpleUploadedFile("iso.json", json.dumps(data).encode(), "application/json")


def test_a_leads_import_of_the_iso_slug_stays_in_their_project(client, world):
    library = iso_template()
    victim = make_project(lead=UserFactory(username="victim-lead"), name="Victim")
    attacker_project = make_project(lead=UserFactory(username="attacker"), name="Mine")
    client.force_login(attacker_project.memberships.get().user)
    reply = client.post(
        f"/projects/{attacker_project.pk}/gap/templates/import/", {"file": hostile_iso_upload()}
    )
    assert reply.status_code == 302
    imported = ChecklistTemplate.objects.get(slug=library.slug, version=NEXT)
    assert imported.project == attacker_project

    # the audits and the default gap template of every project still use the library
    assert audit_template() == library
    assert len(leaf_clauses(victim)) == library.clauses.filter(is_leaf=True).count() > 1
    form = AssessmentCreateForm(project=victim)
    assert form.initial["template"] == library.pk
    assert imported not in form.fields["template"].queryset

    # the victim's lead sees neither the template nor can export it or use it
    client.force_login(victim.memberships.get().user)
    listing = client.get(f"/projects/{victim.pk}/gap/templates/").content.decode()
    assert "Only this" not in listing and "this project&#x27;s own" not in listing
    assert client.get(f"/projects/{victim.pk}/gap/templates/{imported.pk}/export/").status_code == 404
    with pytest.raises(Exception, match="library or of this project"):
        make_assessment(victim, user=victim.memberships.get().user, template=imported)

    # in its own project the template is listed as its own and usable
    assert imported in AssessmentCreateForm(project=attacker_project).fields["template"].queryset
    assessment = make_assessment(
        attacker_project, user=attacker_project.memberships.get().user, template=imported
    )
    assert assessment.responses.count() == 1


def test_two_projects_may_each_import_the_same_slug_and_version(client, world):
    other = make_project(lead=UserFactory(username="other-lead"), name="Other")
    for project in (world.project, other):
        client.force_login(project.memberships.filter(role="lead").first().user)
        assert (
            client.post(
                f"/projects/{project.pk}/gap/templates/import/", {"file": hostile_iso_upload()}
            ).status_code
            == 302
        )
    assert ChecklistTemplate.objects.filter(slug="iso20000-1-2018", version=NEXT).count() == 2
    assert ChecklistTemplate.objects.library().filter(slug="iso20000-1-2018", version=NEXT).count() == 0


def test_the_library_changes_through_the_management_command(tmp_path):
    iso_template()
    data = json.loads(ISO_FILE.read_text())
    data["version"] = NEXT
    path = tmp_path / f"iso-v{NEXT}.json"
    path.write_text(json.dumps(data))
    call_command("import_template", str(path))
    new = ChecklistTemplate.objects.get(slug="iso20000-1-2018", version=NEXT)
    assert new.is_library and audit_template() == new


def test_a_project_with_its_own_template_in_use_can_still_be_deleted(client, world):
    lead = world.user("lead")
    client.force_login(lead)
    client.post(f"/projects/{world.project.pk}/gap/templates/import/", {"file": hostile_iso_upload()})
    own = ChecklistTemplate.objects.get(project=world.project)
    make_assessment(world.project, user=lead, template=own)
    library = iso_template()
    make_assessment(world.project, user=lead, template=library, title="On the library")
    world.project.delete()
    assert not ChecklistTemplate.objects.filter(pk=own.pk).exists()
    assert ChecklistTemplate.objects.filter(pk=library.pk).exists()
