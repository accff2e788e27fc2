"""axe-core finds no serious or critical accessibility violation on any main page, for each
persona of the demo project (lead, auditor, contributor, viewer) and on the sign-in page the
outsider sees; the checklist's skip link reaches the first question in two key presses."""

import pytest
from playwright.sync_api import expect

from audits.models import Audit, Finding, ManagementReview
from documents.models import Document
from gapanalysis.models import Assessment, AssessmentStatus
from tests.browser.demo import seed_demo, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def main_pages(project) -> list[str]:
    base = f"/projects/{project.pk}"
    assessment = Assessment.objects.filter(project=project).order_by("pk").first()
    pages = [
        "/projects/",
        "/my-work/",
        "/invitations/",
        "/account/notifications/",
        f"{base}/",
        f"{base}/roadmap/",
        f"{base}/phases/{project.phases.order_by('pk').first().pk}/",
        f"{base}/tasks/",
        f"{base}/tasks/{project.tasks.order_by('pk').first().pk}/",
        f"{base}/gap/",
        f"{assessment.get_absolute_url()}",
        f"{assessment.get_absolute_url()}clauses/8.1/",
        f"{base}/documents/",
        f"{base}/documents/{Document.objects.filter(project=project).first().pk}/",
        f"{base}/audits/",
        f"{base}/audits/{Audit.objects.filter(project=project).first().pk}/",
        f"{base}/audits/findings/",
        f"{base}/audits/improvements/",
        f"{base}/audits/reviews/",
        f"{base}/audits/readiness/",
        f"{base}/reports/",
        f"{base}/members/",
        f"{base}/history/",
    ]
    # Detail pages of what the demo holds (findings and reviews come with the demo's audit story).
    finding = Finding.objects.filter(project=project).first()
    review = ManagementReview.objects.filter(project=project).first()
    pages += [f"{base}/audits/findings/{finding.pk}/"] if finding else []
    pages += [f"{base}/audits/reviews/{review.pk}/"] if review else []
    return pages


@pytest.mark.parametrize("persona", ["lead", "auditor", "contributor", "viewer"])
def test_every_main_page_passes_axe(page, live_server, persona):
    project = seed_demo()
    sign_in(page, live_server, persona)
    found = []
    for path in main_pages(project):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found += serious_violations(page)
    assert not found, "\n".join(found)


def test_sign_in_page_passes_axe_at_both_widths(page, live_server):
    seed_demo()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/")
        assert serious_violations(page) == []


def test_the_lead_pages_pass_axe_on_a_phone(page, live_server):
    project = seed_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "lead")
    found = []
    for path in main_pages(project):
        page.goto(live_server.url + path)
        found += serious_violations(page)
    assert not found, "\n".join(found)


def test_checklist_skip_link_reaches_the_first_answer(page, live_server):
    project = seed_demo()
    sign_in(page, live_server, "lead")
    assessment = Assessment.objects.filter(project=project).exclude(status=AssessmentStatus.FINALISED).get()
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}clauses/8.1/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the first question")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # Focus is in the first question (its "How to check" guidance, then its answer), not in the menus.
    first = page.locator(".question-card").first
    assert first.evaluate("card => card.contains(document.activeElement)")
    for _ in range(2):
        if page.evaluate("document.activeElement.tagName") == "INPUT":
            break
        page.keyboard.press("Tab")
    assert first.evaluate("card => card.contains(document.activeElement)")
    assert page.evaluate("document.activeElement.tagName") == "INPUT"
