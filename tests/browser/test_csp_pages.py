"""Every kind of page works under the Content-Security-Policy in a real Chromium: no inline script
or style is refused (the autouse no_csp_violations fixture fails the test on any), the static CSS
that replaced the inline styles applies, and the charts render."""

import re

import pytest
from playwright.sync_api import expect

from gapanalysis import services as gap_services
from gapanalysis.models import Response, Result
from projects.models import Role
from tests.factories import UserFactory, add_member, make_assessment, make_audit, make_project, make_task

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("progress_refresh_inline"),
]


def test_the_main_pages_render_and_work_under_the_policy(page, live_server):
    lead = UserFactory(username="lena", is_staff=True, is_superuser=True)
    project = make_project(lead=lead, name="CSP project")
    add_member(project, UserFactory(username="aino"), Role.AUDITOR)
    phase = project.phases.get(key="8")
    make_task(project, phase=phase, title="Brief the service desk")
    assessment = make_assessment(project, user=lead, title="Baseline", clause_numbers=["4"])
    for response in Response.objects.filter(assessment=assessment)[:3]:
        gap_services.response_save(response=response, user=lead, expected_version=1, result=Result.PARTIAL)
    make_audit(project, user=lead, scope=["8.1"])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/projects/"))

    base = f"{live_server.url}/projects/{project.pk}"
    # Dashboard and roadmap: the timeline chart is drawn and the legend swatches are styled.
    for url in (f"{base}/", f"{base}/roadmap/"):
        page.goto(url)
        expect(page.locator("svg.timeline-svg").first).to_be_visible()
        swatch = page.locator(".legend-swatch").first
        assert swatch.evaluate("e => getComputedStyle(e).width") == "14px"

    # Inline task completion (a data-autosubmit checkbox, no onchange=): the row and the
    # phase bar follow, and the bar's width comes from the stylesheet.
    page.goto(f"{base}/phases/{phase.pk}/")
    page.get_by_role("checkbox", name="Mark “Brief the service desk” done").check()
    expect(page.locator("#phase-progress")).to_contain_text("100%")
    bar = page.locator("#phase-progress .progress-bar")
    assert bar.evaluate("e => e.getBoundingClientRect().width") > 0.9 * bar.evaluate(
        "e => e.parentElement.getBoundingClientRect().width"
    )

    # Gap analysis: the overview's score chart, then autosave of an answer on the clause page.
    page.goto(f"{base}/gap/{assessment.pk}/")
    expect(page.locator("svg.score-chart").first).to_be_visible()
    page.goto(f"{base}/gap/{assessment.pk}/clauses/4.1/")
    card = page.locator("[data-question='GA-4.1-03']")
    card.get_by_text("Conformant", exact=True).click()
    expect(card.get_by_test_id("saved")).to_be_visible()
    page.reload()
    expect(page.locator("[data-question='GA-4.1-03']").get_by_label("Conformant", exact=True)).to_be_checked()

    # Audits, documents, reports and the admin.
    for url in (f"{base}/audits/", f"{base}/documents/", f"{base}/reports/", f"{live_server.url}/admin/"):
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
