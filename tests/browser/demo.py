"""Shared by the phone-width and accessibility journeys: the demo project, signed-in personas, and
axe-core (tests/vendor, installed by `make install-test` from the npm registry)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from projects.management.commands.seed_demo import DEMO_PROJECT
from projects.models import Project
from tests.factories import iso_template

# seed_demo makes two projects: the one preparing Stage 1 and the certified one in surveillance.
DEMO_PROJECTS = 2

AXE = Path(__file__).resolve().parent.parent / "vendor" / "node_modules" / "axe-core" / "axe.min.js"


def seed_demo() -> Project:
    iso_template()  # the migration-loaded checklist, which an earlier transactional test's flush removed
    debug, settings.DEBUG = settings.DEBUG, True  # seed_demo refuses to run outside DEBUG
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    finally:
        settings.DEBUG = debug
    return Project.objects.get(name=DEMO_PROJECT)


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/projects/**")


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now. Injected through the
    DevTools protocol (page.evaluate), which the page's Content-Security-Policy does not apply to."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
