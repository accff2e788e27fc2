"""Audit programme, audits, graded findings with the nonconformity lifecycle, the improvement
register and management reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.clauses import ClauseField, ClauseListField
from kernel.models import TimeStamped
from projects.models import Project, Task


class AuditProgramme(TimeStamped):
    """The project's audit programme: the current three-year certification cycle and its aims."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="audit_programme")
    cycle_start = models.DateField(
        _("cycle start"), help_text=_("First day of the current three-year certification cycle.")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    # The certification decision starts the three-year cycle (ISO/IEC 17021-1): the certificate's
    # expiry and the surveillance and recertification dates are counted from it (audits.certification).
    certification_decision_date = models.DateField(_("certification decision date"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    # Stored when a decision is recorded: a recertification continues from the old expiry and a
    # transfer keeps it, so it is not always the decision date plus three years.
    certificate_expires_on = models.DateField(_("certificate expires on"), null=True, blank=True)
    # Certification settings of the project: bodies differ, so the lead sets them (docs/certification.md).
    major_nc_warn_months = models.PositiveSmallIntegerField(
        _("warn about an unverified major nonconformity after (months)"),
        default=3,
        help_text=_(
            "Months after the end of Stage 2 (or the recertification audit) before an unverified "
            "major nonconformity is flagged."
        ),
    )
    major_nc_limit_months = models.PositiveSmallIntegerField(
        _("repeat Stage 2 when a major nonconformity is unverified after (months)"),
        default=6,
        help_text=_("Past this, the certification decision is refused: the audit must be repeated."),
    )
    recertification_lead_months = models.PositiveSmallIntegerField(
        _("plan the recertification audit ahead of expiry by (months)"),
        default=3,
        help_text=_(
            "The recertification audit should end this long before the certificate expires, so "
            "the decision can follow before expiry."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(major_nc_limit_months__gte=models.F("major_nc_warn_months")),
                name="programme_major_nc_months_ordered",
            ),
        ]

    def __str__(self):
        return gettext("Audit programme of %(project)s") % {"project": self.project}


class AuditType(models.TextChoices):
    INTERNAL = "internal", _("Internal audit")
    STAGE1 = "stage1", _("Certification Stage 1")
    STAGE2 = "stage2", _("Certification Stage 2")
    SURVEILLANCE1 = "surveillance1", _("Surveillance 1")
    SURVEILLANCE2 = "surveillance2", _("Surveillance 2")
    RECERTIFICATION = "recertification", _("Recertification")
    TRANSFER = "transfer", _("Transfer audit")  # the certificate moves to another certification body
    SPECIAL = "special", _("Special audit")


CERTIFICATION_TYPES = frozenset(
    {
        AuditType.STAGE1,
        AuditType.STAGE2,
        AuditType.SURVEILLANCE1,
        AuditType.SURVEILLANCE2,
        AuditType.RECERTIFICATION,
        AuditType.TRANSFER,
        AuditType.SPECIAL,
    }
)


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORT_ISSUED = "report_issued", _("Report issued")
    CLOSED = "closed", _("Closed")


HELD_STATUSES = (AuditStatus.REPORT_ISSUED, AuditStatus.CLOSED)


class Audit(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audits")
    audit_type = models.CharField(_("type"), max_length=20, choices=AuditType.choices)
    title = models.CharField(_("title"), max_length=200)
    scope_clauses = ClauseListField(
        _("scope (clauses)"), help_text=_("Leaf clause numbers this audit covers.")
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="audit_teams")
    external_auditors = models.CharField(
        max_length=300, blank=True, help_text=_("Certification-body auditors, who do not use the tool.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    report_summary = models.TextField(_("report summary"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    report_issued_at = models.DateTimeField(_("report issued at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    checklist = models.OneToOneField(
        "gapanalysis.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit",
        verbose_name=_("checklist"),
        help_text=_("The audit checklist: an assessment of kind “audit” scoped to the audit's clauses."),
    )
    # An internal auditor may not audit their own work (audits.independence); only the lead may let
    # the audit go ahead anyway, with the reason on record, for the conflicts known at that moment.
    independence_override_reason = models.TextField(
        _("independence override (lead only)"),
        blank=True,
        help_text=_("Only if an auditor must audit their own work: why, and what keeps the audit objective."),
    )
    independence_overridden = models.JSONField(
        _("independence overridden"), default=list, blank=True
    )  # the conflicts it covers
    independence_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    independence_override_at = models.DateTimeField(_("independence override at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at", "started_at", "report_issued_at", "closed_at"])

    class Meta:
        ordering = ["planned_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="audit_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(audit_type__in=AuditType.values), name="audit_type_valid"),
            models.CheckConstraint(condition=Q(status__in=AuditStatus.values), name="audit_status_valid"),
        ]
        indexes = [models.Index(fields=["project", "audit_type", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_certification(self) -> bool:
        return self.audit_type in CERTIFICATION_TYPES

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES

    def get_absolute_url(self):
        return reverse("audits:audit_detail", args=[self.project_id, self.pk])


class Grade(models.TextChoices):
    MAJOR_NC = "major_nc", _("Major nonconformity")
    MINOR_NC = "minor_nc", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")
    OFI = "ofi", _("Opportunity for improvement")
    POSITIVE = "positive", _("Positive finding")


NC_GRADES = (Grade.MAJOR_NC, Grade.MINOR_NC)
IMPROVEMENT_GRADES = (Grade.OBSERVATION, Grade.OFI)


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    NOTED = "noted", _("Noted")  # observations, OFIs and positive findings: no lifecycle


OPEN_FINDING_STATUSES = (FindingStatus.OPEN, FindingStatus.AWAITING_VERIFICATION, FindingStatus.REOPENED)


class FindingSource(models.TextChoices):
    """Where a nonconformity came from (10.1): audits are one source among several."""

    AUDIT = "audit", _("Audit")
    COMPLAINT = "complaint", _("Service complaint")
    SLA_BREACH = "sla_breach", _("Service level breach")
    INCIDENT = "incident", _("Incident")
    PROCESS_FAILURE = "process_failure", _("Process failure")
    CUSTOMER_FEEDBACK = "customer_feedback", _("Customer feedback")
    REVIEW = "review", _("Management or process review")
    SAMPLE = "sample", _("Auditor's sample of operating records")
    OTHER = "other", _("Other")


class Finding(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(
        _("source"), max_length=20, choices=FindingSource.choices, default=FindingSource.AUDIT
    )
    source_reference = models.CharField(
        max_length=200, blank=True, help_text=_("Where the source is recorded, e.g. “complaint C-2026-014”.")
    )
    audit = models.ForeignKey(Audit, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField(_("number"), help_text=_("Sequence within the project."))
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    clause = ClauseField()
    description = models.TextField(_("description"))
    evidence = models.TextField(_("objective evidence"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_findings",
        help_text=_("The person who answers the finding: correction, root cause, corrective actions."),
    )
    due_date = models.DateField(
        null=True, blank=True, help_text=_("When the corrective actions must be done.")
    )
    correction = models.TextField(_("correction"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    # The two questions 10.1 asks of every nonconformity; both answered before it can close.
    similar_nonconformities = models.TextField(
        _("do similar nonconformities exist, or could they occur?"), blank=True
    )
    actions_appropriate = models.TextField(_("are the actions appropriate to the effects?"), blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at", "closed_at"])

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="finding_unique_number"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="finding_grade_valid"),
            models.CheckConstraint(
                condition=Q(status="noted") | Q(grade__in=["major_nc", "minor_nc"]),
                name="finding_only_nc_has_lifecycle",
            ),
            # an audit finding names its audit; a nonconformity from elsewhere has none
            models.CheckConstraint(
                condition=Q(source="audit", audit__isnull=False)
                | (~Q(source="audit") & Q(audit__isnull=True)),
                name="finding_source_matches_audit",
            ),
            models.CheckConstraint(condition=Q(source__in=FindingSource.values), name="finding_source_valid"),
        ]
        indexes = [models.Index(fields=["project", "grade", "status"])]

    def __str__(self):
        return f"{self.reference} {self.get_grade_display()} ({self.clause})"

    @property
    def reference(self) -> str:
        return f"F-{self.number}"

    @property
    def is_nonconformity(self) -> bool:
        return self.grade in NC_GRADES

    @property
    def source_label(self) -> str:
        if self.audit_id:
            return str(self.audit)
        label = self.get_source_display()
        return f"{label}: {self.source_reference}" if self.source_reference else label

    @property
    def is_closed(self) -> bool:
        return self.status == FindingStatus.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FINDING_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today

    def get_absolute_url(self):
        return reverse("audits:finding_detail", args=[self.project_id, self.pk])


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IMPLEMENTED = "implemented", _("Implemented, awaiting verification")
    EFFECTIVE = "effective", _("Verified effective")


class CorrectiveAction(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="corrective_actions")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("description"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="corrective_actions"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    implementation_notes = models.TextField(_("implementation notes"), blank=True)
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_notes = models.TextField(_("verification notes"), blank=True)
    verified_by_certification_body = models.BooleanField(
        default=False, help_text=_("The certification body itself verified it (major NCs of its audits).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at", "implemented_at", "verified_at"])

    class Meta:
        ordering = ["finding", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=models.F("owner")),
                name="action_verifier_not_owner",
            ),
        ]

    def __str__(self):
        return self.description[:80]


class FindingEvent(models.Model):
    """One transition of a finding or its actions: who did what, when, with what note."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    action = models.ForeignKey(
        CorrectiveAction, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("verb"), max_length=60)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.verb} ({self.created_at:%Y-%m-%d})"


class ImprovementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")


class Improvement(TimeStamped):
    """A line of the 10.2 improvement register, often an observation or OFI from an audit."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="improvements")
    finding = models.OneToOneField(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="improvement"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImprovementStatus.choices, default="proposed"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="improvement_title_not_empty"),
        ]

    def __str__(self):
        return self.title


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ManagementReview(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="management_reviews")
    title = models.CharField(_("title"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    other_attendees = models.CharField(_("other attendees"), max_length=300, blank=True)
    # Clause 9.3 is top management's review: who among the attendees speaks for it.
    top_management = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="top_management_reviews"
    )
    other_top_management = models.CharField(
        _("top management without an account"),
        max_length=300,
        blank=True,
        help_text=_("Names and roles, e.g. “Anna Berg, managing director”."),
    )
    decisions = models.TextField(_("decisions"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-meeting_date", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_final(self) -> bool:
        return self.status == ReviewStatus.FINAL

    def get_absolute_url(self):
        return reverse("audits:review_detail", args=[self.project_id, self.pk])


class ReviewSection(TimeStamped):
    """One input of clause 9.3: the live-data pre-fill and what the meeting said about it."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    prefill = models.TextField(_("prefill"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["review", "order"]
        constraints = [models.UniqueConstraint(fields=["review", "key"], name="review_section_unique_key")]

    def __str__(self):
        return self.title


class ReviewAction(TimeStamped):
    """An action decided in a review; the work itself is a roadmap task.

    The minutes keep their own copy of the action (title, assignee, due date), taken when it is
    decided and again when the minutes are finalised: deleting or editing the task later never
    changes final minutes."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="actions")
    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_action"
    )
    title = models.CharField(_("title"), max_length=200)
    assignee_name = models.CharField(_("assignee name"), max_length=150, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self):
        return self.title

    def copy_task(self) -> None:
        """Take the minutes' copy of the task as it is now."""
        task = self.task
        self.title, self.due_date = task.title, task.due_date
        self.assignee_name = task.assignee.username if task.assignee_id else ""

    @property
    def is_live(self) -> bool:
        """Draft minutes follow the task; final minutes (or a deleted task) show the copy."""
        return self.task is not None and not self.review.is_final

    @property
    def shown_title(self) -> str:
        return self.task.title if self.is_live else self.title

    @property
    def shown_assignee(self) -> str:
        if self.is_live:
            return self.task.assignee.username if self.task.assignee_id else ""
        return self.assignee_name

    @property
    def shown_due_date(self):
        return self.task.due_date if self.is_live else self.due_date


class OutputKind(models.TextChoices):
    """The decisions clause 9.3 expects from a management review."""

    IMPROVEMENT = "improvement", _("Opportunities for continual improvement")
    CHANGES = "changes", _("Changes to the SMS and the services")
    RESOURCES = "resources", _("Resource needs")


class ReviewOutput(TimeStamped):
    """One decision of the review; it can become a roadmap task (through a ReviewAction) in one click."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    text = models.TextField(_("text"))
    action = models.OneToOneField(
        ReviewAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="output"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OutputKind.values), name="review_output_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="review_output_text_not_empty"),
        ]

    def __str__(self):
        return self.text[:80]


class CompetenceKind(models.TextChoices):
    TRAINING = "training", _("Training")
    QUALIFICATION = "qualification", _("Qualification")
    EXPERIENCE = "experience", _("Other audit experience")


class AuditorCompetence(TimeStamped):
    """One line of an auditor's competence record (7.2): a course, a qualification, experience
    gained elsewhere. The audits they did in the project are counted, not typed in."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="auditor_competences")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=CompetenceKind.choices)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("E.g. “ISO/IEC 20000-1 internal auditor course”.")
    )
    obtained_on = models.DateField(_("date"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    evidence = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Where the certificate or record is kept (a link or a place)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["person__username", "-obtained_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="competence_title_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=CompetenceKind.values), name="competence_kind_valid"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("obtained_on")),
                name="competence_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.person})"


from .certification_models import AreaOfConcern, PreTransferReview  # noqa: E402,F401  (registered here)
