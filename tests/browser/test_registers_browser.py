"""The registers in a real Chromium: the lead fills the service catalogue (a service and an SLA target)
and records a month of SLA actuals; the registers' pages pass axe for the lead and a reader, and fit
a phone's width."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from projects.models import Role
from registers.models import Risk, Service, SlaActual, Supplier
from tests.browser.demo import seed_demo, serious_violations
from tests.browser.demo import sign_in as sign_in_demo
from tests.factories import UserFactory, add_member, make_project

PASSWORD = "pw-for-tests-1"


def sign_in(page, live_server, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _last_month() -> dt.date:
    first = dt.date.today().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_the_lead_fills_the_catalogue_and_records_a_month_of_sla_actuals(transactional_db, live_server, page):
    lead = UserFactory(username="lena")
    project = make_project(lead=lead, name="Catalogue project")
    add_member(project, UserFactory(username="otto"), Role.CONTRIBUTOR)
    catalogue = f"/projects/{project.pk}/registers/services/"

    sign_in(page, live_server, "lena", catalogue)
    expect(page.get_by_text("The register is empty.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Add the first service").click()
    page.get_by_label("Name").fill("E-mail and calendar")
    page.get_by_label("Owner").select_option(label="otto")
    page.get_by_label("Customers").fill("All business units")
    page.get_by_label("Criticality").select_option("high")
    page.get_by_role("button", name="Add service").click()
    expect(page.get_by_role("alert")).to_contain_text("Service “E-mail and calendar” added.")
    expect(page.get_by_text("No SLA target yet.")).to_be_visible()

    page.get_by_role("link", name="Add SLA target").click()
    page.get_by_label("Measure").fill("Availability")
    page.get_by_label("Target").fill("99.5")
    page.get_by_label("Unit").fill("%")
    page.get_by_role("button", name="Add SLA target").click()
    expect(page.get_by_role("alert")).to_contain_text("added")
    expect(page.get_by_role("heading", name="Availability ≥ 99.5 %")).to_be_visible()
    assert serious_violations(page) == []

    month = _last_month()
    page.get_by_role("link", name="Record a month").click()
    page.get_by_label("Month").fill(month.strftime("%Y-%m"))
    page.get_by_label("Value (%)").fill("99.2")
    page.get_by_label("Note").fill("Storage failure on the 12th")
    page.get_by_role("button", name="Add SLA actual").click()
    row = page.locator("tr", has_text=month.strftime("%B %Y"))
    expect(row).to_contain_text("Missed")
    expect(row).to_contain_text("Entered by hand")

    # the same month again is refused with a message, nothing doubled
    page.get_by_role("link", name="Record a month").click()
    page.get_by_label("Month").fill(month.strftime("%Y-%m"))
    page.get_by_label("Value (%)").fill("99.9")
    page.get_by_role("button", name="Add SLA actual").click()
    expect(page.get_by_text(f"{month:%B %Y} already has a figure")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="E-mail and calendar").first.click()
    expect(page.locator("tr", has_text="Availability")).to_contain_text(f"{month:%b} missed")
    service = Service.objects.get(project=project)
    assert service.owner.username == "otto"
    actual = SlaActual.objects.get(target__service=service)
    assert (actual.month, actual.met, str(actual.value)) == (month, False, "99.200")


@pytest.mark.browser
@pytest.mark.timeout(300)
@pytest.mark.django_db(transaction=True)
def test_the_registers_pages_pass_axe_and_fit_a_phone(page, live_server):
    project = seed_demo()
    base = f"{live_server.url}/projects/{project.pk}/registers/"
    service = Service.objects.filter(project=project, sla_targets__isnull=False).first()
    paths = [
        "",
        "context/",
        "issues/",
        "parties/",
        "services/",
        f"services/{service.pk}/",
        f"targets/{service.sla_targets.first().pk}/",
        "suppliers/",
        f"suppliers/{Supplier.objects.filter(project=project).first().pk}/",
        "risks/",
        f"risks/{Risk.objects.filter(project=project).first().pk}/",
        "objectives/",
        f"objectives/{project.objectives.first().pk}/",
    ]
    found, too_wide = [], {}
    for persona in ("lead", "viewer"):
        page.context.clear_cookies()
        sign_in_demo(page, live_server, persona)
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, path
            found += serious_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in paths:
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
    assert found == []
    assert too_wide == {}
