"""The demo (seed_demo) shows the token page in use: lead has a token used recently and a revoked one."""

from django.core.management import call_command

from sms_tracker.api.models import AccessToken


def test_seed_demo_gives_lead_tokens_once(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    tokens = {t.name: t for t in AccessToken.objects.filter(user__username="lead")}
    assert set(tokens) == {"Nightly ITSM sync", "Old reporting script"}
    assert tokens["Nightly ITSM sync"].last_used_at and tokens["Nightly ITSM sync"].project is not None
    assert tokens["Old reporting script"].status_label == "Revoked"
