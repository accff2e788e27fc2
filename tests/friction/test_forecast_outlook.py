"""The forecast's outlook reflects lateness and blockers (issue 25 §2.2): "On track" only when no
phase is past its planned end, no task is overdue and, near Stage 1, nothing blocks it — on the
dashboard, the roadmap and the management PDF."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from projects.models import Phase
from projects.roadmap import PhaseKey
from reports.management_report import build_management_report
from reports.pdf import render_pdf
from tests.factories import make_project, make_task

pytestmark = pytest.mark.django_db


def _outlook(client, project, page="dashboard"):
    cache.clear()  # the pages' cached parts follow saves, not the bulk updates these tests make
    url = f"/projects/{project.pk}/" + ("" if page == "dashboard" else "roadmap/")
    return client.get(url).context["outlook"]


def _pdf_text(project):
    context = build_management_report(project, today=timezone.localdate())
    context.update(generated_at=timezone.now(), requested_by=None)
    pdf = render_pdf("reports/management.html", context)
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())


def test_a_fresh_project_is_on_track(client, world):
    client.force_login(world.user("lead"))
    html = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert _outlook(client, world.project).on_track
    assert 'data-testid="outlook">On track' in html


def test_a_late_phase_and_overdue_tasks_put_it_at_risk_though_the_forecast_fits(client, world):
    today = timezone.localdate()
    first = world.project.phases.get(key=PhaseKey.MANAGEMENT_SUPPORT)
    # Running late but nearly done: its pace finishes it in days, so the forecast still fits.
    Phase.objects.filter(pk=first.pk).update(
        planned_start=today - timedelta(days=20),
        planned_end=today - timedelta(days=3),
        status="in_progress",
        actual_start=today - timedelta(days=20),
        progress=90,
    )
    make_task(world.project, title="Late one", due_in=-2)
    make_task(world.project, title="Late two", due_in=-1)
    client.force_login(world.user("lead"))

    outlook = _outlook(client, world.project)

    assert outlook.forecast.slip_days <= 0  # the pace still fits the target ...
    assert outlook.at_risk and not outlook.on_track  # ... but it is not "on track"
    assert outlook.reasons == ["phase 1 is past its planned end", "2 tasks overdue"]
    cache.clear()
    html = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert "At risk" in html and "Phase 1 is past its planned end; 2 tasks overdue." in html
    assert "On track" not in html
    assert _outlook(client, world.project, "roadmap").at_risk
    text = _pdf_text(world.project)
    assert "at risk" in text and "2 tasks overdue" in text and "on track" not in text


def test_stage1_blockers_count_when_stage1_is_near(client, world):
    project = make_project(lead=world.user("lead"), name="Near", days=200)
    stage1 = project.phases.get(key=PhaseKey.STAGE_1)
    client.force_login(world.user("lead"))
    assert _outlook(client, project).on_track  # blockers months before Stage 1 are expected

    Phase.objects.filter(pk=stage1.pk).update(planned_start=timezone.localdate() + timedelta(days=20))
    outlook = _outlook(client, project)

    assert not outlook.on_track, (outlook.verdict, outlook.reasons)
    assert any("still block Stage 1" in reason for reason in outlook.reasons)


def test_a_forecast_after_the_target_is_late_with_its_reasons(client, world):
    today = timezone.localdate()
    Phase.objects.filter(project=world.project, key=PhaseKey.MANAGEMENT_SUPPORT).update(
        planned_start=today - timedelta(days=400), planned_end=today - timedelta(days=390)
    )
    world.project.target_certification_date = today + timedelta(days=30)
    world.project.save(update_fields=["target_certification_date"])
    client.force_login(world.user("lead"))

    outlook = _outlook(client, world.project)

    assert outlook.late and outlook.label.endswith("days late")
    assert "phase 1 is past its planned end" in outlook.reasons
