"""A new project's dashboard tells the lead what to do next: invite the team, give the phases
owners, start the gap analysis, set the report schedule. Each step is ticked from the data and
links to where it is done; the card goes once all are done; other members do not see it."""

import re

import pytest

from projects.invitations import invitation_create
from projects.models import Phase
from projects.setup_checklist import setup_checklist
from reports.models import ReportSchedule
from reports.schedules import schedule_for, schedule_update
from tests.factories import UserFactory, add_member, iso_template, make_assessment, make_project

pytestmark = pytest.mark.django_db

STEPS = ["invite-members", "phase-owners", "gap-analysis", "report-schedule"]


def _card(client, project, user):
    client.force_login(user)
    response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    if 'data-testid="setup-checklist"' not in html:
        return None
    card = html.split('data-testid="setup-checklist"', 1)[1].split("</section>", 1)[0]
    return {
        key: done == "true" for key, done in re.findall(r'data-step="([^"]+)" data-done="(\w+)"', card)
    } | {"_html": card}


@pytest.fixture
def fresh():
    lead = UserFactory(username="new-lead")
    return lead, make_project(lead=lead, name="Brand new")


def test_a_new_project_lists_the_four_steps_undone_with_their_links(client, fresh):
    lead, project = fresh
    card = _card(client, project, lead)
    html = card.pop("_html")
    assert list(card) == STEPS and not any(card.values())
    assert "0 of 4 done" in html
    for url in ("members/", "roadmap/", "gap/new/", "reports/schedule/"):
        assert f'href="/projects/{project.pk}/{url}"' in html
    for url in ("members/", "roadmap/", "gap/new/", "reports/schedule/"):  # the lead may act on every link
        assert client.get(f"/projects/{project.pk}/{url}").status_code == 200


def test_each_step_is_ticked_by_what_was_done_and_the_card_goes_at_the_end(client, fresh):
    lead, project = fresh
    invitation_create(project=project, email="kim@example.test", role="contributor", user=lead)
    card = _card(client, project, lead)
    assert card["invite-members"] and not card["phase-owners"]
    assert f'href="/projects/{project.pk}/members/"' not in card["_html"]  # a done step has no link

    member = UserFactory(username="owner-to-be")
    add_member(project, member)
    Phase.objects.filter(project=project, key="6").update(owner=member)
    assert _card(client, project, lead)["phase-owners"]

    make_assessment(project, template=iso_template(), user=lead)
    assert _card(client, project, lead)["gap-analysis"]

    # A default schedule made by the monthly sweep is not the lead's choice; saving the form is.
    ReportSchedule.objects.create(project=project, day_of_month=1)  # as monthly_reports_start() does
    card = _card(client, project, lead)
    assert not card["report-schedule"] and "3 of 4 done" in card["_html"]
    schedule = schedule_for(project)
    schedule_update(
        schedule=schedule, user=lead, expected_version=schedule.version, day_of_month=5, enabled=True
    )
    assert _card(client, project, lead) is None


def test_a_member_besides_the_leads_counts_as_the_team_invited(client, fresh):
    lead, project = fresh
    add_member(project, UserFactory(username="viewer-x"), "viewer")
    assert _card(client, project, lead)["invite-members"]


@pytest.mark.parametrize("role", ["contributor", "auditor", "viewer"])
def test_other_members_do_not_see_the_card(client, fresh, role):
    lead, project = fresh
    member = UserFactory(username=f"m-{role}")
    add_member(project, member, role)
    assert _card(client, project, member) is None


def test_the_steps_are_read_in_one_query(fresh, django_assert_num_queries):
    _lead, project = fresh
    with django_assert_num_queries(1):
        checklist = setup_checklist(project=project)
    assert [item.key for item in checklist.items] == STEPS
