"""The readiness page reads like an auditor's pre-check: grouped blockers with counts, in the order
the work is best done, each group with the action that resolves it."""

import re

from readiness.gate import readiness
from tests.factories import iso_template


def test_a_new_project_s_groups_come_in_the_order_of_the_work(world):
    iso_template()
    groups = readiness(world.project, 1).groups
    categories = [g.category for g in groups]
    assert categories[:7] == [
        "Documented information",
        "Operating evidence",
        "Records",
        "Registers",  # empty catalogue, context never reviewed, climate not determined
        "Internal audit",
        "Management review",
        "Roadmap",
    ]
    steps = [g.spec.step for g in groups]
    assert steps == sorted(steps)
    audit = next(g for g in groups if g.category == "Internal audit")
    assert audit.headline == "Internal audit: 57 clauses not yet covered"
    assert audit.spec.action == "Plan audits"
    assert audit.action_url == f"/projects/{world.project.pk}/audits/"
    operation = next(g for g in groups if g.category == "Operating evidence")
    assert operation.headline == "Operating evidence: 24 processes short of the operating evidence needed"


def test_the_page_shows_each_group_as_one_expandable_line_with_its_action(world, client_for):
    iso_template()
    page = client_for("auditor").get(f"/projects/{world.project.pk}/audits/readiness/").content.decode()
    headlines = re.findall(r'data-testid="group-headline">([^<]+)<', page)
    assert headlines[0] == "Documented information: 22 required documents not approved"
    assert "Internal audit: 57 clauses not yet covered" in headlines
    assert page.count("<details") == len(headlines)
    assert "Plan audits →" in page and "Record operating evidence →" in page
    assert "Showing 10 of 57" in page
