"""The register of documented information: documents, their versions and the review cycle."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.clauses import ClauseListField, format_clause_list
from kernel.models import TimeStamped
from kernel.uploads import safe_filename
from projects.models import Project

from .mandatory import mandatory_by_code

REVIEW_DUE_DAYS = 30  # a review is "due" this many days before its date


class DocumentType(models.TextChoices):
    POLICY = "policy", _("Policy")
    PLAN = "plan", _("Plan")
    PROCEDURE = "procedure", _("Procedure")
    PROCESS_DESCRIPTION = "process_description", _("Process description")
    RECORD = "record", _("Record")
    FORM = "form", _("Form")
    EXTERNAL = "external", _("External origin")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    RESTRICTED = "restricted", _("Restricted")


class DocumentStatus(models.TextChoices):
    MISSING = "missing", _("Missing")  # registered, nothing attached yet
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    OBSOLETE = "obsolete", _("Obsolete")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewState(models.TextChoices):
    NONE = "none", "—"
    OK = "ok", _("Up to date")
    DUE = "due", _("Review due")
    OVERDUE = "overdue", _("Overdue")


class Document(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=30, help_text=_("Unique within the project, e.g. POL-01."))
    title = models.CharField(max_length=250)
    doc_type = models.CharField(_("type"), max_length=30, choices=DocumentType.choices)
    clauses = ClauseListField(
        blank=True, max_text=200, help_text=_("Clause numbers separated by commas, e.g. 8.5.1.2, 8.5.1.3.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), default=12, help_text=_("How often the document is reviewed (1–60).")
    )
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.MISSING)
    mandatory_code = models.CharField(
        max_length=10, blank=True, help_text=_("Code of the ISO/IEC 20000-1:2018 mandatory item it fulfils.")
    )
    current_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at", "approved_at"])

    class Meta:
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="document_unique_code"),
            models.UniqueConstraint(
                fields=["project", "mandatory_code"],
                condition=~Q(mandatory_code=""),
                name="document_unique_mandatory_item",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="document_code_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="document_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1, review_interval_months__lte=60),
                name="document_review_interval_range",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["status", "next_review_date"]),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.project_id, self.pk])

    @property
    def is_mandatory(self) -> bool:
        return bool(self.mandatory_code)

    @property
    def display_title(self) -> str:
        """The title as shown: a mandatory item's title still as shipped reads in the reader's
        language; a title someone changed is theirs and reads as written."""
        item = mandatory_by_code().get(self.mandatory_code) if self.mandatory_code else None
        return item.title if item is not None and self.title == item.english_title else self.title

    @property
    def clauses_label(self) -> str:
        """The clauses as the register shows them: "5.2.1, 5.2.2"."""
        return format_clause_list(self.clauses)

    def review_state(self, today=None) -> str:
        if self.status != DocumentStatus.APPROVED or self.next_review_date is None:
            return ReviewState.NONE
        today = today or timezone.localdate()
        if self.next_review_date < today:
            return ReviewState.OVERDUE
        if (self.next_review_date - today).days <= REVIEW_DUE_DAYS:
            return ReviewState.DUE
        return ReviewState.OK

    @property
    def review_state_label(self) -> str:
        return str(ReviewState(self.review_state()).label)


def version_upload_to(instance, filename):
    """documents/<project>/<document>/<random>/<sanitised name>: never the raw name the user sent."""
    document = instance.document
    return f"documents/{document.project_id}/{document.pk}/{uuid.uuid4().hex}/{safe_filename(filename)}"


class DocumentVersion(TimeStamped):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_upload_to, max_length=300, blank=True)
    original_name = models.CharField(max_length=150, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    link = models.URLField(max_length=500, blank=True)
    change_summary = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="version_file_or_link"),
            models.CheckConstraint(condition=Q(status__in=VersionStatus.values), name="version_status_valid"),
            # Segregation of duties, also at the database: nobody approves their own version.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(author__isnull=True) | ~Q(approved_by=F("author")),
                name="version_approver_not_author",
            ),
        ]

    def __str__(self):
        return f"v{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)

    @property
    def display_name(self) -> str:
        return self.original_name or self.link


class VersionTransition(models.Model):
    """Who moved a version from one status to another, and when (the approval trail)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=VersionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.version}: {self.from_status or 'new'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return VersionStatus(self.to_status).label


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", _("No change needed")
    NEW_VERSION = "new_version", _("A new version is needed")


class DocumentReview(models.Model):
    """A periodic review of an approved document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(DocumentVersion, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    next_review_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self):
        return gettext("Review of %(code)s on %(reviewed_at)s") % {
            "code": self.document.code,
            "reviewed_at": format(self.reviewed_at, "%Y-%m-%d"),
        }


# Evidence of operation (documents/operation) ---------------------------------------------------


class OperatingProcess(TimeStamped):
    """One process of documents.operation.processes in one project: when it started operating.

    Created on first use (a start date or a first evidence entry), so a new project needs no rows.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="operating_processes")
    clause = models.CharField(max_length=20)
    started_on = models.DateField(_("operating since"), null=True, blank=True)
    # The process owner answers for its records; only they may state that nothing occurred.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["project", "clause"]
        constraints = [
            models.UniqueConstraint(fields=["project", "clause"], name="operating_process_unique_clause"),
        ]

    def __str__(self):
        return f"{self.clause} in {self.project}"


class EvidenceOrigin(models.TextChoices):
    MANUAL = "manual", _("Recorded by hand")
    SYSTEM = "system", _("Drawn from another system")
    # A month's tickets frozen by connectors/evidence: counts for its period, never edited or deleted.
    CONNECTOR = "connector", _("Frozen ticket population")


def evidence_upload_to(instance, filename):
    """evidence/<project>/<random>/<sanitised name>: never the raw name the user sent."""
    return f"evidence/{instance.project_id}/{uuid.uuid4().hex}/{safe_filename(filename)}"


class EvidenceEntry(TimeStamped):
    """A dated piece of evidence that a process ran, e.g. "November: 42 incidents handled".

    It points at exactly one thing an auditor can open: a version in the register, an uploaded
    file or a URL (a report in the ticketing tool).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evidence_entries")
    process = models.ForeignKey(OperatingProcess, on_delete=models.CASCADE, related_name="entries")
    on = models.DateField(_("date"), help_text=_("The day (or the end of the period) the evidence is about."))
    summary = models.CharField(max_length=300)
    document_version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence_entries"
    )
    file = models.FileField(upload_to=evidence_upload_to, max_length=300, blank=True)
    original_name = models.CharField(max_length=150, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    link = models.URLField(max_length=500, blank=True)
    # Hand-recorded entries are checked for backdating; entries drawn from another system (synced
    # tickets, register actuals) carry the period they cover and count for all of it.
    origin = models.CharField(max_length=10, choices=EvidenceOrigin.choices, default=EvidenceOrigin.MANUAL)
    period_start = models.DateField(
        null=True, blank=True, help_text=_("First day of the period covered (a synced entry, a statement).")
    )
    # "" = general evidence of the process; else the mandatory record it is (a complaint, REC-04).
    record_code = models.CharField(_("kind of record"), max_length=20, blank=True)
    # The process owner's dated statement that no occurrence happened in period_start..on.
    none_occurred = models.BooleanField(default=False)
    # A flagged (backdated) entry counts only once the lead accepts it with a reason.
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="evidence_summary_not_empty"),
            # exactly one of: a register version, a file, a URL; a "none occurred" statement has none
            models.CheckConstraint(
                condition=(
                    Q(none_occurred=True, document_version__isnull=True, file="", link="")
                    | Q(none_occurred=False)
                    & (
                        Q(document_version__isnull=False, file="", link="")
                        | Q(document_version__isnull=True, link="") & ~Q(file="")
                        | Q(document_version__isnull=True, file="") & ~Q(link="")
                    )
                ),
                name="evidence_one_source",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_start__lte=models.F("on")),
                name="evidence_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(none_occurred=False) | Q(period_start__isnull=False),
                name="evidence_statement_has_period",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | ~Q(accepted_reason=""),
                name="evidence_acceptance_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["project", "on"])]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.summary}"

    @property
    def source_kind(self) -> str:
        if self.none_occurred:
            return "statement"
        if self.document_version_id:
            return "version"
        return "file" if self.file else "link"
