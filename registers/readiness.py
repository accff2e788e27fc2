"""What the registers add to the Stage 1 readiness gate (issue 23 §2), through the readiness
extension (readiness/gate.py reads every app's rules): an empty service catalogue (8.2.4), risks
and opportunities without a treatment or an owner (6.1), contracts past their expiry (8.3.4),
active objectives without a measurement (6.2), a context never reviewed and the climate-change
determination not made (4.1, Amd 1:2024). Each blocker links to the entry (or the register) that
resolves it; five queries whatever the size of the registers."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from kernel.extensions import Blocker, ReadinessGroup

from .models import (
    ClimateRelevance,
    ContextDetermination,
    Objective,
    ObjectiveMeasurement,
    ObjectiveStatus,
    Risk,
    RiskStatus,
    Service,
    ServiceStatus,
    Supplier,
)

CATEGORY = gettext_noop("Registers")


def register_url(name: str, project) -> str:
    """The register's page (registers:<name>), or the project's registers home while a page is missing."""
    for candidate in (f"registers:{name}", "registers:home", "registers:index"):
        try:
            return reverse(candidate, args=[project.pk])
        except NoReverseMatch:
            continue
    return ""


def register_blockers(project) -> list[Blocker]:
    today = timezone.localdate()
    blockers: list[Blocker] = []
    if not Service.objects.filter(project=project).exclude(status=ServiceStatus.RETIRED).exists():
        blockers.append(
            Blocker(
                CATEGORY,
                gettext("The service catalogue is empty: add the services the SMS covers (8.2.4)."),
                register_url("service_list", project),
            )
        )
    risks = (
        Risk.objects.filter(project=project)
        .exclude(status=RiskStatus.CLOSED)
        .filter(Q(owner__isnull=True) | (Q(treatment="") & ~Q(status=RiskStatus.ACCEPTED)))
        .only("id", "project_id", "kind", "title", "owner_id", "treatment", "status")
        .order_by("title", "pk")
    )
    for risk in risks:
        no_treatment = not risk.treatment and risk.status != RiskStatus.ACCEPTED
        if no_treatment and risk.owner_id is None:
            text = gettext("%(kind)s “%(title)s” has no treatment and no owner (6.1).")
        elif no_treatment:
            text = gettext("%(kind)s “%(title)s” has no treatment (6.1).")
        else:
            text = gettext("%(kind)s “%(title)s” has no owner (6.1).")
        blockers.append(
            Blocker(
                CATEGORY,
                text % {"kind": risk.get_kind_display(), "title": risk.title},
                risk.get_absolute_url(),
            )
        )
    expired = (
        Supplier.objects.filter(project=project, contract_expiry__lt=today)
        .only("id", "project_id", "name", "contract_expiry", "contract_reference")
        .order_by("contract_expiry", "name")
    )
    for supplier in expired:
        values = {
            "name": supplier.name,
            "reference": supplier.contract_reference,
            "date": date_format(supplier.contract_expiry, "DATE_FORMAT"),
        }
        blockers.append(
            Blocker(
                CATEGORY,
                (
                    gettext(
                        "The contract with %(name)s (%(reference)s) expired on %(date)s: "
                        "renew it or record the agreement now in force (8.3.4)."
                    )
                    if supplier.contract_reference
                    else gettext(
                        "The contract with %(name)s expired on %(date)s: "
                        "renew it or record the agreement now in force (8.3.4)."
                    )
                )
                % values,
                supplier.get_absolute_url(),
            )
        )
    unmeasured = (
        Objective.objects.filter(project=project, status=ObjectiveStatus.ACTIVE)
        .filter(~Exists(ObjectiveMeasurement.objects.filter(objective=OuterRef("pk"))))
        .only("id", "project_id", "title")
        .order_by("title", "pk")
    )
    for objective in unmeasured:
        blockers.append(
            Blocker(
                CATEGORY,
                gettext("Objective “%(title)s” has no measurement yet (6.2).") % {"title": objective.title},
                objective.get_absolute_url(),
            )
        )
    context = (
        ContextDetermination.objects.filter(project=project)
        .only("id", "project_id", "reviewed_on", "climate_change")
        .first()
    )
    context_url = register_url("context", project)
    if context is None or context.reviewed_on is None:
        blockers.append(
            Blocker(
                CATEGORY,
                gettext(
                    "The context (internal and external issues, interested parties) has never been reviewed "
                    "(4.1, 4.2)."
                ),
                context_url,
            )
        )
    if context is None or context.climate_change == ClimateRelevance.UNDETERMINED:
        blockers.append(
            Blocker(
                CATEGORY,
                gettext(
                    "Whether climate change is a relevant issue is not yet determined (4.1, Amd 1:2024)."
                ),
                context_url,
            )
        )
    return blockers


READINESS_GROUP = ReadinessGroup(
    CATEGORY,
    32,
    gettext_lazy("register entry to complete"),
    gettext_lazy("register entries to complete"),
)
