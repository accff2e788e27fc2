"""The SMS's own registers (issue 23 §1): context and interested parties (4.1, 4.2), the service
catalogue with SLA targets and monthly actuals (8.2.4, 8.3.3), suppliers and contracts (8.3.4), risks
and opportunities (6.1), objectives and their measurements (6.2).

Every row belongs to one project (directly or through its parent), carries a `version` for
optimistic locking and a history an auditor can read. Names here are stable: other parts of the
product (API, evidence, management review, readiness) build on them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.models import TimeStamped
from projects.models import Project

# The feed tables live in feed_models.py; importing them here registers them with the app.
from .feed_models import RegisterSnapshot as RegisterSnapshot

HISTORY_EXCLUDED = ["updated_at"]


def _owner_field():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Direction(models.TextChoices):
    """Which side of the target is good: availability at least 99.5 %, resolution time at most 8 h."""

    AT_LEAST = "at_least", _("At least (higher is better)")
    AT_MOST = "at_most", _("At most (lower is better)")


def format_number(value) -> str:
    """12.500 -> "12.5", 99 -> "99": figures as people write them."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def meets(value, target, direction) -> bool:
    """Whether a measured value meets a numeric target in the given direction."""
    return value >= target if direction == Direction.AT_LEAST else value <= target


# --- Context and interested parties (4.1, 4.2) -------------------------------------------------


class IssueKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class ContextIssue(TimeStamped):
    """An internal or external issue relevant to the organisation's purpose and the SMS (4.1)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="context_issues")
    kind = models.CharField(max_length=10, choices=IssueKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    effect_on_sms = models.TextField(_("effect on the SMS"), blank=True)
    climate_related = models.BooleanField(
        default=False, help_text=_("The issue concerns climate change (ISO/IEC 20000-1:2018/Amd 1:2024).")
    )
    owner = _owner_field()
    review_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["project", "kind", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=IssueKind.values), name="context_issue_kind_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="context_issue_title_not_empty"),
        ]
        indexes = [models.Index(fields=["project", "review_date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registers:issue_detail", args=[self.project_id, self.pk])


class InterestedParty(TimeStamped):
    """An interested party and its requirements relevant to the SMS and the services (4.2)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interested_parties")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=IssueKind.choices, default=IssueKind.EXTERNAL)
    requirements = models.TextField(
        blank=True, help_text=_("Their needs and expectations relevant to the SMS.")
    )
    climate_requirements = models.TextField(
        blank=True,
        help_text=_("Requirements they have about climate change, if any (Amd 1:2024 note to 4.2)."),
    )
    owner = _owner_field()
    review_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["project", "name"]
        verbose_name_plural = "interested parties"
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="interested_party_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="interested_party_name_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=IssueKind.values), name="interested_party_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "review_date"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registers:party_detail", args=[self.project_id, self.pk])


class ClimateRelevance(models.TextChoices):
    UNDETERMINED = "undetermined", _("Not yet determined")
    RELEVANT = "relevant", _("Relevant")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class ContextDetermination(TimeStamped):
    """The project's context review: whether climate change is a relevant issue (4.1 as amended in
    2024), why, and when the context was last and will next be reviewed. One per project."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="context_determination")
    climate_change = models.CharField(
        _("climate change is a relevant issue"),
        max_length=15,
        choices=ClimateRelevance.choices,
        default=ClimateRelevance.UNDETERMINED,
    )
    climate_change_reason = models.TextField(_("reason"), blank=True)
    summary = models.TextField(
        blank=True, help_text=_("The organisation's purpose and the SMS scope in context.")
    )
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    reviewed_by = _owner_field()
    review_date = models.DateField(_("next review"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(climate_change__in=ClimateRelevance.values), name="context_climate_valid"
            ),
            # A determination either way needs its reason; "not yet determined" needs none.
            models.CheckConstraint(
                condition=Q(climate_change=ClimateRelevance.UNDETERMINED) | ~Q(climate_change_reason=""),
                name="context_climate_reason_given",
            ),
        ]

    def __str__(self):
        return f"Context of {self.project}"

    @property
    def climate_change_relevant(self) -> bool | None:
        """True / False once determined; None while not yet determined."""
        if self.climate_change == ClimateRelevance.UNDETERMINED:
            return None
        return self.climate_change == ClimateRelevance.RELEVANT

    def get_absolute_url(self):
        return reverse("registers:context", args=[self.project_id])


# --- Service catalogue (8.2.4) and SLAs (8.3.3) ------------------------------------------------


class Criticality(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    LIVE = "live", _("Live")
    RETIRING = "retiring", _("Being retired")
    RETIRED = "retired", _("Retired")


class Service(TimeStamped):
    """A service in the catalogue (8.2.4)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = _owner_field()
    customers = models.TextField(
        blank=True, help_text=_("Who receives the service (customers, user groups).")
    )
    criticality = models.CharField(max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM)
    status = models.CharField(max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.LIVE)
    dependencies = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        help_text=_("Services this one relies on."),
    )
    review_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="service_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="service_name_not_empty"),
            models.CheckConstraint(
                condition=Q(criticality__in=Criticality.values), name="service_criticality_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=ServiceStatus.values), name="service_status_valid"),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registers:service_detail", args=[self.project_id, self.pk])


class SlaPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class SlaTarget(TimeStamped):
    """A service level target agreed in an SLA (8.3.3): a measure, a numeric target, the period it is
    assessed over. Actuals are recorded per month."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="sla_targets")
    measure = models.CharField(
        max_length=200, help_text=_("e.g. Availability, Incidents resolved within 8 h.")
    )
    target = models.DecimalField(max_digits=12, decimal_places=3)
    unit = models.CharField(max_length=20, blank=True, help_text=_("e.g. %, hours."))
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    period = models.CharField(max_length=10, choices=SlaPeriod.choices, default=SlaPeriod.MONTHLY)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["service", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["service", "measure"], name="sla_target_unique_measure"),
            models.CheckConstraint(condition=~Q(measure=""), name="sla_target_measure_not_empty"),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="sla_target_direction_valid"
            ),
            models.CheckConstraint(condition=Q(period__in=SlaPeriod.values), name="sla_target_period_valid"),
        ]

    def __str__(self):
        return f"{self.measure} {self.target_label}"

    @property
    def target_label(self) -> str:
        """ "≥ 99.5 %": the target with its direction and unit."""
        op = "≥" if self.direction == Direction.AT_LEAST else "≤"
        return f"{op} {format_number(self.target)}{(' ' + self.unit) if self.unit else ''}"

    def get_absolute_url(self):
        return reverse("registers:target_detail", args=[self.service.project_id, self.pk])


class ActualSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    COMPUTED = "computed", _("Computed by a connector")


class SlaActual(TimeStamped):
    """What one SLA target achieved in one month: the value, met or missed, and where the figure came
    from (hand entry, or computed by a ticketing connector). `month` is the first day of the month."""

    target = models.ForeignKey(SlaTarget, on_delete=models.CASCADE, related_name="actuals")
    month = models.DateField(help_text=_("The first day of the month the figure covers."))
    value = models.DecimalField(max_digits=12, decimal_places=3)
    met = models.BooleanField()
    source = models.CharField(max_length=10, choices=ActualSource.choices, default=ActualSource.MANUAL)
    note = models.TextField(blank=True)
    recorded_by = _owner_field()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["target", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["target", "month"], name="sla_actual_one_per_month"),
            models.CheckConstraint(
                condition=Q(source__in=ActualSource.values), name="sla_actual_source_valid"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="sla_actual_month_first_day"),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self):
        return f"{self.target.measure} {self.month:%B %Y}"

    @property
    def outcome_label(self) -> str:
        return str(_("Met")) if self.met else str(_("Missed"))


# --- Suppliers and contracts (8.3.4) -----------------------------------------------------------


class SupplierKind(models.TextChoices):
    EXTERNAL = "external", _("External supplier")
    INTERNAL = "internal", _("Internal supplier")
    CUSTOMER = "customer", _("Customer acting as a supplier")


class PerformanceRating(models.TextChoices):
    NOT_RATED = "not_rated", _("Not rated yet")
    GOOD = "good", _("Good")
    SATISFACTORY = "satisfactory", _("Satisfactory")
    NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
    POOR = "poor", _("Poor")


class Supplier(TimeStamped):
    """A supplier and its contract or agreement (8.3.4): external suppliers with a contract, internal
    suppliers and customers acting as suppliers with an agreement."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="suppliers")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=SupplierKind.choices, default=SupplierKind.EXTERNAL)
    owner = _owner_field()
    services = models.ManyToManyField(
        Service, blank=True, related_name="suppliers", help_text=_("Services the supplier contributes to.")
    )
    scope = models.TextField(_("what they supply"), blank=True)
    contract_reference = models.CharField(_("contract or agreement reference"), max_length=120, blank=True)
    contract_start = models.DateField(null=True, blank=True)
    contract_expiry = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    performance_rating = models.CharField(
        max_length=20, choices=PerformanceRating.choices, default=PerformanceRating.NOT_RATED
    )
    disputes = models.TextField(
        blank=True, help_text=_("Open or past contractual disputes and how they were handled.")
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="supplier_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="supplier_name_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=SupplierKind.values), name="supplier_kind_valid"),
            models.CheckConstraint(
                condition=Q(performance_rating__in=PerformanceRating.values), name="supplier_rating_valid"
            ),
            models.CheckConstraint(
                condition=Q(contract_start__isnull=True)
                | Q(contract_expiry__isnull=True)
                | Q(contract_expiry__gte=models.F("contract_start")),
                name="supplier_contract_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "contract_expiry"]),
            models.Index(fields=["project", "review_date"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registers:supplier_detail", args=[self.project_id, self.pk])


# --- Risks and opportunities (6.1) -------------------------------------------------------------


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified — awaiting treatment")
    TREATING = "treating", _("Treatment in progress")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")


SCALE = [(n, str(n)) for n in range(1, 6)]


class Risk(TimeStamped):
    """A risk or an opportunity to the SMS or the services (6.1), scored likelihood × impact (1–5 each)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=12, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text=_("Where it comes from, e.g. a context issue, an audit.")
    )
    affected_services = models.ManyToManyField(Service, blank=True, related_name="risks")
    likelihood = models.PositiveSmallIntegerField(
        choices=SCALE, default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        choices=SCALE, default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    acceptance_criteria = models.TextField(blank=True)
    treatment = models.TextField(blank=True, help_text=_("What is done about it, and by when."))
    owner = _owner_field()
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["project", "-likelihood", "-impact", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="risk_title_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=RiskKind.values), name="risk_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RiskStatus.values), name="risk_status_valid"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_range"
            ),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_range"),
        ]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["project", "review_date"]),
        ]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    def get_absolute_url(self):
        return reverse("registers:risk_detail", args=[self.project_id, self.pk])


# --- Objectives and KPIs (6.2) -----------------------------------------------------------------


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


class ObjectiveStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Objective(TimeStamped):
    """A service management objective (6.2) with the KPI that measures it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=250)
    description = models.TextField(blank=True)
    measure = models.CharField(max_length=200, help_text=_("The KPI, e.g. First-contact resolution rate."))
    target = models.DecimalField(max_digits=12, decimal_places=3)
    unit = models.CharField(max_length=20, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY)
    owner = _owner_field()
    due_date = models.DateField(_("achieve by"), null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ObjectiveStatus.choices, default=ObjectiveStatus.ACTIVE)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["project", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="objective_title_not_empty"),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="objective_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="objective_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ObjectiveStatus.values), name="objective_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "review_date"])]

    def __str__(self):
        return self.title

    @property
    def target_label(self) -> str:
        op = "≥" if self.direction == Direction.AT_LEAST else "≤"
        return f"{op} {format_number(self.target)}{(' ' + self.unit) if self.unit else ''}"

    def get_absolute_url(self):
        return reverse("registers:objective_detail", args=[self.project_id, self.pk])


class ObjectiveMeasurement(TimeStamped):
    """One measurement of an objective's KPI on a date."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=3)
    note = models.TextField(blank=True)
    recorded_by = _owner_field()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        ordering = ["objective", "-measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "measured_on"], name="objective_measurement_one_per_date"
            ),
        ]

    def __str__(self):
        return f"{self.objective.measure} on {self.measured_on:%-d %b %Y}"

    @property
    def met(self) -> bool:
        return meets(self.value, self.objective.target, self.objective.direction)
