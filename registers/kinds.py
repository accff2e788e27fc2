"""What each register is, declared once: its model, form, columns (list page, export and import),
filters and where it hangs (a project, or a parent record). The generic views, the import and the
exports read these specs, so the five registers behave alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import forms as f
from . import models as m


def person(user) -> str:
    return user.username if user else ""


def names(rows) -> str:
    return "; ".join(sorted(str(r) for r in rows))


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # value(obj) -> cell (text, number, date)
    field: str = ""  # the form field an import reads from this column ("" = export only)


@dataclass(frozen=True)
class Filter:
    field: str
    label: str
    choices: tuple


@dataclass(frozen=True)
class Kind:
    key: str  # URL segment and url-name prefix: "services" → registers:service_list
    name: str  # url-name prefix: "service"
    model: type
    form: type
    noun: str  # "service"
    title: str  # "Service catalogue"
    clause: str
    columns: tuple[Column, ...]
    search: tuple[str, ...] = ("name",)
    filters: tuple[Filter, ...] = ()
    owner_filter: bool = True
    select_related: tuple[str, ...] = ("owner",)
    prefetch: tuple[str, ...] = ()
    parent: str = ""  # the parent kind's key for child records (SLA targets, actuals, measurements)
    parent_field: str = ""  # the model's FK to the parent
    project_path: str = "project"  # lookup from the model to its project
    owner_path: str = "owner"  # lookup to the person who may edit it besides the lead
    empty_hint: str = ""
    intro: str = ""
    detail_fields: tuple[str, ...] = ()
    importable: bool = True
    m2m: tuple[str, ...] = ()  # many-to-many form fields, imported as names separated by ";"
    list_columns: tuple[str, ...] = ()  # headers the list page shows (all columns go to the export)

    @property
    def noun_en(self) -> str:
        """The English noun, for activity verbs (keys, not shown)."""
        with translation.override("en"):
            return str(self.noun)

    @property
    def url(self) -> str:
        return self.name

    def import_columns(self) -> list[Column]:
        return [c for c in self.columns if c.field]


def _review(obj):
    return obj.review_date


ISSUES = Kind(
    list_columns=("Title", "Kind", "Climate related", "Owner", "Review date"),
    key="issues",
    name="issue",
    model=m.ContextIssue,
    form=f.ContextIssueForm,
    noun=_("issue"),
    title=_("Internal and external issues"),
    clause="4.1",
    search=("title", "description", "effect_on_sms"),
    filters=(Filter("kind", _("Kind"), tuple(m.IssueKind.choices)),),
    columns=(
        Column("Title", lambda o: o.title, "title"),
        Column("Kind", lambda o: o.get_kind_display(), "kind"),
        Column("Description", lambda o: o.description, "description"),
        Column("Effect on the SMS", lambda o: o.effect_on_sms, "effect_on_sms"),
        Column("Climate related", lambda o: "yes" if o.climate_related else "no", "climate_related"),
        Column("Owner", lambda o: person(o.owner), "owner"),
        Column("Review date", _review, "review_date"),
    ),
    empty_hint=_(
        "List the internal and external issues that affect the SMS and its services, "
        "climate change among them where it is relevant."
    ),
    detail_fields=("kind", "description", "effect_on_sms", "climate_related", "owner", "review_date"),
)

PARTIES = Kind(
    list_columns=("Name", "Kind", "Requirements", "Owner", "Review date"),
    key="parties",
    name="party",
    model=m.InterestedParty,
    form=f.InterestedPartyForm,
    noun=_("interested party"),
    title=_("Interested parties"),
    clause="4.2",
    search=("name", "requirements"),
    filters=(Filter("kind", _("Kind"), tuple(m.IssueKind.choices)),),
    columns=(
        Column("Name", lambda o: o.name, "name"),
        Column("Kind", lambda o: o.get_kind_display(), "kind"),
        Column("Requirements", lambda o: o.requirements, "requirements"),
        Column("Climate requirements", lambda o: o.climate_requirements, "climate_requirements"),
        Column("Owner", lambda o: person(o.owner), "owner"),
        Column("Review date", _review, "review_date"),
    ),
    empty_hint=_(
        "Add the customers, users, suppliers, regulators and staff whose requirements the SMS must meet."
    ),
    detail_fields=("kind", "requirements", "climate_requirements", "owner", "review_date"),
)

SERVICES = Kind(
    list_columns=("Name", "Status", "Criticality", "Owner", "Depends on", "Review date"),
    key="services",
    name="service",
    model=m.Service,
    form=f.ServiceForm,
    noun=_("service"),
    title=_("Service catalogue"),
    clause="8.2.4",
    search=("name", "description", "customers"),
    filters=(
        Filter("status", _("Status"), tuple(m.ServiceStatus.choices)),
        Filter("criticality", _("Criticality"), tuple(m.Criticality.choices)),
    ),
    prefetch=("dependencies",),
    columns=(
        Column("Name", lambda o: o.name, "name"),
        Column("Status", lambda o: o.get_status_display(), "status"),
        Column("Criticality", lambda o: o.get_criticality_display(), "criticality"),
        Column("Owner", lambda o: person(o.owner), "owner"),
        Column("Customers", lambda o: o.customers, "customers"),
        Column("Depends on", lambda o: names(o.dependencies.all()), "dependencies"),
        Column("Description", lambda o: o.description, "description"),
        Column("Review date", _review, "review_date"),
    ),
    m2m=("dependencies",),
    empty_hint=_("Add the first service, then its SLA targets; each month record how the targets were met."),
    intro="The services in the SMS scope (8.2.4) and the targets agreed for them (8.3.3).",
    detail_fields=("status", "criticality", "owner", "customers", "description", "review_date"),
)

TARGETS = Kind(
    key="targets",
    name="target",
    model=m.SlaTarget,
    form=f.SlaTargetForm,
    noun=_("SLA target"),
    title=_("SLA targets"),
    clause="8.3.3",
    search=("measure",),
    select_related=("service", "service__owner"),
    parent="services",
    parent_field="service",
    project_path="service__project",
    owner_path="service__owner",
    columns=(
        Column("Service", lambda o: o.service.name),
        Column("Measure", lambda o: o.measure, "measure"),
        Column("Target", lambda o: o.target, "target"),
        Column("Unit", lambda o: o.unit, "unit"),
        Column("Direction", lambda o: o.get_direction_display(), "direction"),
        Column("Period", lambda o: o.get_period_display(), "period"),
    ),
    importable=False,
    detail_fields=("measure", "target", "unit", "direction", "period"),
)

ACTUALS = Kind(
    key="actuals",
    name="actual",
    model=m.SlaActual,
    form=f.SlaActualForm,
    noun=_("SLA actual"),
    title=_("SLA actuals"),
    clause="8.3.3",
    search=(),
    select_related=("target", "target__service", "target__service__owner", "recorded_by"),
    parent="targets",
    parent_field="target",
    project_path="target__service__project",
    owner_path="target__service__owner",
    columns=(
        Column("Service", lambda o: o.target.service.name),
        Column("Measure", lambda o: o.target.measure),
        Column("Target", lambda o: o.target.target_label),
        Column("Month", lambda o: o.month.strftime("%Y-%m"), "month"),
        Column("Value", lambda o: o.value, "value"),
        Column("Met", lambda o: o.outcome_label),
        Column("Source", lambda o: o.get_source_display()),
        Column("Note", lambda o: o.note, "note"),
    ),
    importable=False,
)

SUPPLIERS = Kind(
    list_columns=(
        "Name",
        "Kind",
        "Owner",
        "Contract reference",
        "Contract expiry",
        "Review date",
        "Performance",
    ),
    key="suppliers",
    name="supplier",
    model=m.Supplier,
    form=f.SupplierForm,
    noun=_("supplier"),
    title=_("Suppliers and contracts"),
    clause="8.3.4",
    search=("name", "contract_reference", "scope"),
    filters=(
        Filter("kind", _("Kind"), tuple(m.SupplierKind.choices)),
        Filter("performance_rating", _("Rating"), tuple(m.PerformanceRating.choices)),
    ),
    prefetch=("services",),
    columns=(
        Column("Name", lambda o: o.name, "name"),
        Column("Kind", lambda o: o.get_kind_display(), "kind"),
        Column("Owner", lambda o: person(o.owner), "owner"),
        Column("Services", lambda o: names(o.services.all()), "services"),
        Column("What they supply", lambda o: o.scope, "scope"),
        Column("Contract reference", lambda o: o.contract_reference, "contract_reference"),
        Column("Contract start", lambda o: o.contract_start, "contract_start"),
        Column("Contract expiry", lambda o: o.contract_expiry, "contract_expiry"),
        Column("Review date", _review, "review_date"),
        Column("Performance", lambda o: o.get_performance_rating_display(), "performance_rating"),
        Column("Disputes", lambda o: o.disputes, "disputes"),
    ),
    m2m=("services",),
    empty_hint=_(
        "Add the external suppliers, internal suppliers and customers acting as suppliers, "
        "with their contract or agreement and its expiry."
    ),
    detail_fields=(
        "kind",
        "owner",
        "scope",
        "contract_reference",
        "contract_start",
        "contract_expiry",
        "review_date",
        "performance_rating",
        "disputes",
    ),
)

RISKS = Kind(
    list_columns=("Title", "Kind", "Status", "Score", "Owner", "Review date"),
    key="risks",
    name="risk",
    model=m.Risk,
    form=f.RiskForm,
    noun=_("risk or opportunity"),
    title=_("Risks and opportunities"),
    clause="6.1",
    search=("title", "description", "source", "treatment"),
    filters=(
        Filter("kind", _("Kind"), tuple(m.RiskKind.choices)),
        Filter("status", _("Status"), tuple(m.RiskStatus.choices)),
    ),
    prefetch=("affected_services",),
    columns=(
        Column("Title", lambda o: o.title, "title"),
        Column("Kind", lambda o: o.get_kind_display(), "kind"),
        Column("Status", lambda o: o.get_status_display(), "status"),
        Column("Likelihood", lambda o: o.likelihood, "likelihood"),
        Column("Impact", lambda o: o.impact, "impact"),
        Column("Score", lambda o: o.score),
        Column("Owner", lambda o: person(o.owner), "owner"),
        Column("Source", lambda o: o.source, "source"),
        Column("Affected services", lambda o: names(o.affected_services.all()), "affected_services"),
        Column("Description", lambda o: o.description, "description"),
        Column("Acceptance criteria", lambda o: o.acceptance_criteria, "acceptance_criteria"),
        Column("Treatment", lambda o: o.treatment, "treatment"),
        Column("Review date", _review, "review_date"),
    ),
    m2m=("affected_services",),
    empty_hint=_(
        "Record the risks to the SMS and the services, and the opportunities, with how each is treated."
    ),
    detail_fields=(
        "kind",
        "status",
        "likelihood",
        "impact",
        "owner",
        "source",
        "description",
        "acceptance_criteria",
        "treatment",
        "review_date",
    ),
)

OBJECTIVES = Kind(
    list_columns=("Objective", "Measure", "Target", "Frequency", "Owner", "Status", "Review date"),
    key="objectives",
    name="objective",
    model=m.Objective,
    form=f.ObjectiveForm,
    noun=_("objective"),
    title=_("Objectives and KPIs"),
    clause="6.2",
    search=("title", "measure", "description"),
    filters=(
        Filter("status", _("Status"), tuple(m.ObjectiveStatus.choices)),
        Filter("frequency", _("Frequency"), tuple(m.Frequency.choices)),
    ),
    columns=(
        Column("Objective", lambda o: o.title, "title"),
        Column("Measure", lambda o: o.measure, "measure"),
        Column("Target", lambda o: o.target, "target"),
        Column("Unit", lambda o: o.unit, "unit"),
        Column("Direction", lambda o: o.get_direction_display(), "direction"),
        Column("Frequency", lambda o: o.get_frequency_display(), "frequency"),
        Column("Owner", lambda o: person(o.owner), "owner"),
        Column("Achieve by", lambda o: o.due_date, "due_date"),
        Column("Review date", _review, "review_date"),
        Column("Status", lambda o: o.get_status_display(), "status"),
        Column("Description", lambda o: o.description, "description"),
    ),
    empty_hint=_(
        "Set the service management objectives (6.2) with the KPI and target that show whether "
        "they are achieved; then record measurements."
    ),
    detail_fields=("measure", "frequency", "owner", "due_date", "review_date", "status", "description"),
)

MEASUREMENTS = Kind(
    key="measurements",
    name="measurement",
    model=m.ObjectiveMeasurement,
    form=f.ObjectiveMeasurementForm,
    noun=_("measurement"),
    title=_("Measurements"),
    clause="6.2",
    search=(),
    select_related=("objective", "objective__owner", "recorded_by"),
    parent="objectives",
    parent_field="objective",
    project_path="objective__project",
    owner_path="objective__owner",
    columns=(
        Column("Objective", lambda o: o.objective.title),
        Column("Date", lambda o: o.measured_on, "measured_on"),
        Column("Value", lambda o: o.value, "value"),
        Column("Note", lambda o: o.note, "note"),
    ),
    importable=False,
)

KINDS = {
    k.key: k
    for k in (ISSUES, PARTIES, SERVICES, TARGETS, ACTUALS, SUPPLIERS, RISKS, OBJECTIVES, MEASUREMENTS)
}
# The registers with a list page of their own (the others show on their parent's page).
LISTED = ("issues", "parties", "services", "suppliers", "risks", "objectives")
# The nav of the registers' pages: (title, clause, list url-name).
SECTIONS = (
    ("Context", "4.1, 4.2", "registers:context"),
    ("Services and SLAs", "8.2.4, 8.3.3", "registers:service_list"),
    ("Suppliers", "8.3.4", "registers:supplier_list"),
    ("Risks", "6.1", "registers:risk_list"),
    ("Objectives", "6.2", "registers:objective_list"),
)


def child_kinds(kind: Kind) -> list[Kind]:
    return [k for k in KINDS.values() if k.parent == kind.key]


def section_of(kind: Kind) -> str:
    """The registers' nav entry a page of this kind belongs to."""
    while kind.parent:
        kind = KINDS[kind.parent]
    if kind.key in ("issues", "parties"):
        return "registers:context"
    return f"registers:{kind.name}_list"
