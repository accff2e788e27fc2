"""The management PDF (issue 25 §2.3): no page left nearly blank by a forced break; blockers of one
kind are one counted bullet; phases without an owner and phases owned by a former member are
flagged; the task summary reads right for an empty project and for one task."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from projects.models import Membership, Phase, Task
from projects.roadmap import PhaseKey
from reports.management_report import build_management_report
from reports.pdf import render_pdf
from tests.factories import UserFactory, add_member, make_task

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(120)]


def _pages(project):
    context = build_management_report(project, today=timezone.localdate())
    context.update(generated_at=timezone.now(), requested_by=None)
    pdf = render_pdf("reports/management.html", context)
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    return [" ".join((page.extract_text() or "").split()) for page in pages]


def test_owners_blockers_and_pages(world):
    project = world.project
    former = UserFactory(username="fiona", first_name="Fiona", last_name="Former")
    add_member(project, former)
    Phase.objects.filter(project=project, key=PhaseKey.TRAINING).update(owner=former)
    Membership.objects.filter(project=project, user=former).delete()  # left without handing over
    Phase.objects.filter(project=project, key=PhaseKey.MANAGEMENT_REVIEW).update(owner=None)
    make_task(project, title="The only task")

    pages = _pages(project)
    text = " ".join(pages)

    assert "Phase 8 is owned by Fiona Former, who is no longer a member: hand it to a member." in text
    assert "1 open phase has no owner: 12." in text
    assert "Fiona Former (former member)" in text and "No owner" in text
    # 57 clauses not covered by an internal audit: one counted bullet naming them, not 57 bullets.
    assert "Not covered by an internal audit held in this cycle (57): 4.1, 4.2," in text
    assert text.count("is not covered by an internal audit") == 0
    assert "0 of 1 task is done;" in text and "1 tasks" not in text
    # Every page between the cover and the last is well filled (no page holding two table rows).
    for number, page in enumerate(pages[1:-1], start=2):
        assert len(page) > 900, f"page {number} is nearly blank: {page[:200]}"


def test_an_empty_project_says_no_task_is_planned(world):
    Task.objects.filter(project=world.project).delete()
    text = " ".join(_pages(world.project))
    assert "No task has been planned yet." in text and "0 of " not in text.split("Executive summary")[1][:600]
