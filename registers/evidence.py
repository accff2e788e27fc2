"""Register entries an auditor may cite as evidence for a checklist answer (issue 23 §2): a service,
an SLA month, a supplier (its contract and performance review) and a risk. Declared as evidence
sources (kernel.extensions.EvidenceSource); gapanalysis.services.evidence_add resolves the
cited entry through them, scoped to the answer's project: another project's entry resolves to None
and is refused. Also the entries the "Cite a register entry" page offers, filtered and paginated."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.formats import date_format

from kernel.extensions import CitedEntry, EvidenceSource

from .models import Risk, Service, SlaActual, Supplier


def _month(actual: SlaActual) -> str:
    return date_format(actual.month, "F Y")


def service_label(service: Service) -> str:
    status, criticality = service.get_status_display().lower(), service.get_criticality_display().lower()
    return f"Service: {service.name} ({status}, {criticality})"


def sla_actual_label(actual: SlaActual) -> str:
    target = actual.target
    unit = target.unit or ""
    return (
        f"SLA month: {target.service.name} — {target.measure}, {_month(actual)}: "
        f"{actual.value.normalize():f}{unit} against {target.target.normalize():f}{unit} "
        f"({actual.outcome_label.lower()})"
    )


def sla_actual_path(actual: SlaActual) -> str:
    return f"{actual.target.get_absolute_url()}#actual-{actual.pk}"


def supplier_label(supplier: Supplier) -> str:
    reviewed = (
        f", review due {date_format(supplier.review_date, 'DATE_FORMAT')}" if supplier.review_date else ""
    )
    return f"Supplier review: {supplier.name} ({supplier.get_performance_rating_display().lower()}{reviewed})"


def risk_label(risk: Risk) -> str:
    return (
        f"{risk.get_kind_display()}: {risk.title} (score {risk.score}, {risk.get_status_display().lower()})"
    )


@dataclass(frozen=True)
class Kind:
    """One citable kind: the project's entries of it, how one reads and where it links."""

    key: str
    label: str
    plural: str
    rows: object  # rows(project) -> queryset, with what label() and path() read
    label_of: object
    path_of: object
    search: tuple[str, ...]  # fields the page's search looks in


def _services(project):
    return Service.objects.filter(project=project).order_by("name", "pk")


def _actuals(project):
    return (
        SlaActual.objects.filter(target__service__project=project)
        .select_related("target__service")
        .order_by("-month", "target__service__name", "target__measure", "pk")
    )


def _suppliers(project):
    return Supplier.objects.filter(project=project).order_by("name", "pk")


def _risks(project):
    return Risk.objects.filter(project=project).order_by("-likelihood", "-impact", "title", "pk")


KINDS = {
    kind.key: kind
    for kind in (
        Kind("sla_actual", "SLA month", "SLA months", _actuals, sla_actual_label, sla_actual_path,
             ("target__service__name", "target__measure")),
        Kind("service", "Service", "Services", _services, service_label, lambda s: s.get_absolute_url(),
             ("name",)),
        Kind("supplier", "Supplier review", "Supplier reviews", _suppliers, supplier_label,
             lambda s: s.get_absolute_url(), ("name", "contract_reference")),
        Kind("risk", "Risk", "Risks and opportunities", _risks, risk_label, lambda r: r.get_absolute_url(),
             ("title",)),
    )
}  # fmt: skip


def _resolver(kind: Kind):
    def resolve(project, entry_id: int) -> CitedEntry | None:
        entry = kind.rows(project).filter(pk=entry_id).first()
        return None if entry is None else CitedEntry(kind.label_of(entry), kind.path_of(entry))

    return resolve


EVIDENCE_SOURCES = tuple(EvidenceSource(kind.key, kind.label, _resolver(kind)) for kind in KINDS.values())


def citable_entries(project, kind_key: str, query: str = ""):
    """The project's entries of one kind for the cite page, matching the search text."""
    kind = KINDS[kind_key]
    rows = kind.rows(project)
    query = query.strip()
    if query:
        match = Q()
        for field in kind.search:
            match |= Q(**{f"{field}__icontains": query})
        rows = rows.filter(match)
    return rows
