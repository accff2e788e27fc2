"""Records of the certification process kept next to the audits: the Stage 1 areas of concern
(tracked to closure before Stage 2) and the review that precedes a transfer to another body."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.clauses import ClauseField
from kernel.models import TimeStamped
from projects.models import Project


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed with evidence")
    ACCEPTED = "accepted", _("Accepted by the lead")


RESOLVED_CONCERN_STATUSES = (ConcernStatus.CLOSED, ConcernStatus.ACCEPTED)


class AreaOfConcern(TimeStamped):
    """Something the Stage 1 auditor said could become a nonconformity at Stage 2. It is closed with
    evidence, or accepted by the lead with a reason, before Stage 2."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="areas_of_concern")
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="areas_of_concern")
    number = models.PositiveIntegerField(help_text=_("Sequence within the project."))
    clause = ClauseField(blank=True)
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    closure_evidence = models.TextField(blank=True)
    acceptance_reason = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="concern_unique_number"),
            models.CheckConstraint(condition=Q(status__in=ConcernStatus.values), name="concern_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closure_evidence=""), name="concern_closed_has_evidence"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | ~Q(acceptance_reason=""), name="concern_accepted_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.description[:60]}"

    @property
    def reference(self) -> str:
        return f"AC-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == ConcernStatus.OPEN

    def get_absolute_url(self):
        return reverse("audits:concern_detail", args=[self.project_id, self.pk])


class PreTransferReview(TimeStamped):
    """IAF MD 2: before a new body takes over a certificate it reviews the old one (valid, in scope,
    open nonconformities, the last reports). Recorded here; the cycle and expiry carry over."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pre_transfer_reviews")
    from_body = models.CharField(_("certification body issuing the certificate"), max_length=200)
    to_body = models.CharField(_("certification body taking it over"), max_length=200)
    reviewed_on = models.DateField()
    reviewer = models.CharField(_("who reviewed it for the new body"), max_length=200)
    summary = models.TextField(
        help_text=_(
            "What was checked: certificate valid and in scope, last audit reports, open "
            "nonconformities and their status, complaints."
        )
    )
    certificate_expires_on = models.DateField(help_text=_("The expiry the transferred certificate keeps."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return gettext("Pre-transfer review %(from_body)s → %(to_body)s (%(reviewed_on)s)") % {
            "from_body": self.from_body,
            "to_body": self.to_body,
            "reviewed_on": self.reviewed_on,
        }
