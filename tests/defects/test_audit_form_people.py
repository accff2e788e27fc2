"""Issue 9 §2.4: a person with roles in two projects is listed once, only for the role held in
this project, and the audit form saves (it crashed with MultipleObjectsReturned)."""

import pytest

from audits.forms import AuditForm
from audits.models import Audit
from projects.models import Role
from tests.factories import UserFactory, add_member, iso_template, make_project

pytestmark = pytest.mark.django_db


def test_auditor_of_two_projects_is_listed_once_and_the_audit_saves(client, world):
    iso_template()
    auditor = world.user("auditor")
    other = make_project(lead=UserFactory(username="other-lead"), name="Other")
    add_member(other, auditor, Role.AUDITOR)
    contributor_here_lead_there = world.user("contributor")
    add_member(
        make_project(lead=UserFactory(username="x"), name="Third"), contributor_here_lead_there, Role.LEAD
    )
    add_member(other, contributor_here_lead_there, Role.AUDITOR)

    form = AuditForm(project=world.project)
    offered = list(form.fields["lead_auditor"].queryset)
    assert offered.count(auditor) == 1
    assert contributor_here_lead_there not in offered  # a contributor here, whatever they are elsewhere

    client.force_login(world.user("lead"))
    reply = client.post(
        f"/projects/{world.project.pk}/audits/new/",
        {
            "audit_type": "internal",
            "title": "Two-project auditor",
            "planned_start": "2030-01-10",
            "planned_end": "2030-01-12",
            "lead_auditor": auditor.pk,
            "team": [auditor.pk],
            "scope_clauses": ["9.2"],
        },
    )
    assert reply.status_code == 302
    audit = Audit.objects.get(title="Two-project auditor")
    assert audit.lead_auditor == auditor and list(audit.team.all()) == [auditor]
    page = client.get(f"/projects/{world.project.pk}/audits/new/").content.decode()
    assert page.count(f'value="{auditor.pk}"') == 2  # once in the lead list, once in the team
