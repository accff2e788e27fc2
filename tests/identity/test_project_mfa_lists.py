"""Issue 19 §2.4: lists across projects leave out a project that requires MFA for exactly those who
would be refused it one by one, and show it to those who meet the requirement."""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.socialaccount.models import SocialAccount

from notifications.models import NotificationPreference
from projects.models import Project
from tests.factories import make_project, make_task
from tests.identity.helpers import activate_totp

pytestmark = pytest.mark.django_db
NAME = "Wombat Secret Project"
TASK = "Wombat payroll controls"


@pytest.fixture
def secret(world):
    Project.objects.filter(pk=world.project.pk).update(require_mfa=True, name=NAME)
    make_task(world.project, title=TASK, assignee=world.user("contributor"), due_in=2)
    other = make_project(lead=world.user("contributor"), name="Open project")
    make_task(other, title="Open task", assignee=world.user("contributor"), due_in=2)
    return world


def _pages(client):
    return {path: client.get(path).content.decode() for path in ("/projects/", "/my-work/")}


def test_a_member_without_mfa_sees_the_other_projects_only(secret, client):
    client.force_login(secret.user("contributor"))
    pages = _pages(client)
    assert NAME not in pages["/projects/"] and "Open project" in pages["/projects/"]
    assert "One of your projects requires two-factor authentication" in pages["/projects/"]
    assert TASK not in pages["/my-work/"] and "Open task" in pages["/my-work/"]
    names = [p["name"] for p in client.get("/api/v1/projects/").json()["results"]]
    assert names == ["Open project"]


def test_a_member_with_totp_sees_it_everywhere(secret, client):
    activate_totp(secret.user("contributor"))
    client.force_login(secret.user("contributor"))
    pages = _pages(client)
    assert NAME in pages["/projects/"] and TASK in pages["/my-work/"]
    names = {p["name"] for p in client.get("/api/v1/projects/").json()["results"]}
    assert names == {NAME, "Open project"}


def test_a_session_signed_in_through_the_provider_sees_it(secret, client):
    client.force_login(secret.user("contributor"))
    session = client.session
    # What allauth records for a sign-in through the provider (account/internal/flows/login.py).
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "socialaccount", "at": time.time(), "provider": "acme", "uid": "c"}
    ]
    session["account_authentication_methods_user"] = str(secret.user("contributor").pk)
    session.save()
    assert NAME in client.get("/projects/").content.decode()


def test_the_cached_list_of_a_provider_session_is_not_served_to_a_password_session(secret, client, settings):
    """The same user, two sessions: the part cached for the provider's session names the project."""
    test_a_session_signed_in_through_the_provider_sees_it(secret, client)
    client.logout()
    client.force_login(secret.user("contributor"))
    assert NAME not in client.get("/projects/").content.decode()


def test_the_calendar_feed_follows_the_token_rules(secret, client):
    contributor = secret.user("contributor")
    NotificationPreference.objects.create(user=contributor, calendar_token="wombat-token-1")
    assert TASK not in client.get("/calendar/wombat-token-1.ics").content.decode()
    SocialAccount.objects.create(user=contributor, provider="acme", uid="contributor-at-idp")
    assert TASK in client.get("/calendar/wombat-token-1.ics").content.decode()


def test_an_api_token_without_mfa_lists_the_other_projects_only(secret, api):
    names = [p["name"] for p in api(secret.user("contributor")).get("/api/v1/projects/").json()["results"]]
    assert names == ["Open project"]


def test_the_reminder_digest_leaves_out_the_project_until_the_member_meets_the_requirement(secret):
    """E-mail has no session: as with the calendar feed, a second factor or a provider account counts."""
    from django.utils import timezone

    from notifications.reminders import plan_digests

    contributor = secret.user("contributor")
    today = timezone.localdate()

    def titles():
        digests = [d for d in plan_digests(today=today) if d.user.pk == contributor.pk]
        return {item.title for digest in digests for item in digest.own}

    assert titles() == {"Open task"}
    activate_totp(contributor)
    assert titles() == {TASK, "Open task"}


def test_the_monthly_report_is_not_mailed_to_a_viewer_without_mfa(secret, media):
    from notifications.models import OutboxMessage
    from reports.models import Report, ReportTrigger
    from reports.schedules import monthly_report_mail
    from reports.services import report_render

    viewer = secret.user("viewer")
    report = Report.objects.create(project=secret.project, kind="management", trigger=ReportTrigger.SCHEDULED)
    report = report_render(report_id=report.pk)

    def recipients():
        return set(OutboxMessage.objects.filter(report=report).values_list("recipient__username", flat=True))

    monthly_report_mail(report=report)
    assert viewer.username not in recipients() and secret.user("lead").username not in recipients()
    activate_totp(viewer)
    monthly_report_mail(report=report)
    assert viewer.username in recipients()


def test_a_second_factor_set_up_later_shows_the_project_in_the_cached_lists(secret, client):
    """The lists are cached per user: allauth's signal for a new factor clears them."""
    from allauth.mfa.signals import authenticator_added

    contributor = secret.user("contributor")
    client.force_login(contributor)
    assert NAME not in client.get("/projects/").content.decode()  # cached without it
    activate_totp(contributor)
    authenticator_added.send(sender=None, request=None, user=contributor, authenticator=None)
    assert NAME in client.get("/projects/").content.decode()
