"""Phones and small laptops: the main work pages fit a 390 px screen with no sideways page scroll
(tables stack into cards, charts scroll in their own box) and at 1366 px; the project tabs fold
into one menu that opens from the keyboard."""

import pytest
from playwright.sync_api import expect

from gapanalysis.models import Assessment
from tests.browser.demo import seed_demo, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages(project):
    base = f"/projects/{project.pk}"
    assessment = Assessment.objects.filter(project=project).order_by("pk").first()
    return {
        "dashboard": f"{base}/",
        "roadmap": f"{base}/roadmap/",
        "task list": f"{base}/tasks/",
        "checklist": f"{assessment.get_absolute_url()}clauses/8.1/",
        "register": f"{base}/documents/",
    }


@pytest.mark.parametrize("width", [390, 1366])
def test_pages_are_no_wider_than_the_screen(page, live_server, width):
    project = seed_demo()
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, live_server, "lead")
    too_wide = {}
    for name, path in pages(project).items():
        page.goto(live_server.url + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[name] = scroll_width
    assert too_wide == {}


def test_on_a_phone_tables_stack_and_charts_scroll_in_their_box(page, live_server):
    project = seed_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/projects/{project.pk}/tasks/")
    cell = page.locator("main table.table tbody tr td[data-label='Due']").first
    expect(cell).to_be_visible()
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Due"'
    page.goto(f"{live_server.url}/projects/{project.pk}/roadmap/")
    chart = page.locator(".chart-scroll").first
    # The chart keeps a readable width and scrolls inside its box, which the keyboard can reach.
    assert chart.evaluate("box => box.scrollWidth > box.clientWidth")
    assert chart.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_project_tabs_fold_into_one_keyboard_menu(page, live_server):
    project = seed_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/projects/{project.pk}/roadmap/")
    toggle = page.locator(".project-menu-toggle")
    expect(toggle).to_contain_text("Roadmap")
    expect(page.get_by_role("link", name="Documents", exact=True)).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    documents = page.get_by_role("link", name="Documents", exact=True)
    expect(documents).to_be_visible()
    documents.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/projects/{project.pk}/documents/")
    # At laptop width the tabs are there as tabs, no menu button.
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(page.locator(".project-menu-toggle")).to_be_hidden()
    expect(page.get_by_role("link", name="Roadmap", exact=True)).to_be_visible()
