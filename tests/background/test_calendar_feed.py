"""The private calendar feed: the user's due dates behind a token they can replace or revoke."""

from notifications.calendar import _fold
from notifications.models import NotificationPreference
from tests.factories import make_task


def _token(client):
    client.post("/account/notifications/", {"action": "token_create"})
    return NotificationPreference.objects.get(user__username="contributor").calendar_token


def test_feed_lists_the_users_own_due_dates(world, client_for):
    mine = make_task(world.project, title="Mine, due soon", assignee=world.user("contributor"), due_in=12)
    make_task(world.project, title="Someone else's", assignee=world.user("auditor"), due_in=3)
    client = client_for("contributor")
    token = _token(client)
    client.logout()

    response = client.get(f"/calendar/{token}.ics")

    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:[Task] Mine\\, due soon" in body
    assert f"DTSTART;VALUE=DATE:{mine.due_date:%Y%m%d}" in body
    assert "Someone else" not in body


def test_revoked_or_replaced_token_no_longer_works(world, client_for):
    client = client_for("contributor")
    old = _token(client)
    new = _token(client)
    assert old != new
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    client.post("/account/notifications/", {"action": "token_revoke"})
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_digest_switch_is_saved(world, client_for):
    client = client_for("viewer")
    client.post("/account/notifications/", {"action": "digest"})
    assert NotificationPreference.objects.get(user=world.user("viewer")).digest_enabled is False
    client.post("/account/notifications/", {"action": "digest", "digest_enabled": "on"})
    assert NotificationPreference.objects.get(user=world.user("viewer")).digest_enabled is True


def test_long_lines_are_folded_at_75_octets():
    folded = _fold("SUMMARY:" + "é" * 60)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 60


def test_a_token_that_cannot_exist_is_not_found(client, db):
    for token in ("%00", "abc%00def", "a" * 65, "%E2%80%AE", "..%2F.."):
        assert client.get(f"/calendar/{token}.ics").status_code == 404, token
