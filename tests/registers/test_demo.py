"""The demo project's registers: filled, with a few SLA misses, an expiring contract and a risk
awaiting treatment to show."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.management.commands.seed_demo import DEMO_PROJECT
from projects.models import Project
from registers.models import RiskStatus, SlaActual, Supplier

pytestmark = pytest.mark.django_db


def test_the_demo_registers_show_misses_an_expiring_contract_and_an_untreated_risk(settings, media, client):
    settings.DEBUG = True
    call_command("seed_demo")
    project = Project.objects.get(name=DEMO_PROJECT)
    actuals = SlaActual.objects.filter(target__service__project=project)
    assert actuals.count() >= 12 and 2 <= actuals.filter(met=False).count() <= 4
    today = timezone.localdate()
    assert Supplier.objects.filter(
        project=project, contract_expiry__lte=today + timezone.timedelta(days=7)
    ).exists()
    assert project.risks.filter(status=RiskStatus.IDENTIFIED, treatment="").exists()
    assert project.context_determination.climate_change_relevant is True
    assert project.objectives.filter(measurements__isnull=False).exists()
    client.force_login(project.memberships.get(role="lead").user)
    page = client.get(f"/projects/{project.pk}/registers/")
    assert page.status_code == 200
    assert "missed in" in page.content.decode() and "awaiting treatment" in page.content.decode()
    assert "1 expiring within 30 days" in page.content.decode()
