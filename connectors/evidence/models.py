"""Tables of the operating evidence drawn from tickets: the lead's mapping rules, the frozen monthly
populations (with the tickets' key fields as frozen), and the auditor's samples and worksheet."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kernel.models import TimeStamped


class RuleField(models.TextChoices):
    QUEUE = "queue", _("Queue")
    TYPE = "ticket_type", _("Type")
    CATEGORY = "category", _("Category")


class MappingRule(TimeStamped):
    """ "Tickets whose <field> is <value> belong to process <clause>". Rules are read in `position`
    order and the first that matches wins (connectors/evidence/mapping.py)."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="ticket_rules")
    position = models.PositiveIntegerField(default=0)
    field = models.CharField(max_length=20, choices=RuleField.choices)
    value = models.CharField(max_length=200, help_text=_("Compared without regard to case."))
    clause = models.CharField(_("process"), max_length=20)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(field__in=RuleField.values), name="ticket_rule_field_valid"),
            models.CheckConstraint(condition=~Q(value=""), name="ticket_rule_value_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_field_display()} = {self.value} → {self.clause}"

    @property
    def process_label(self) -> str:
        from documents.operation.processes import process_by_clause

        process = process_by_clause().get(self.clause)
        return process.label if process else self.clause


class Population(models.Model):
    """The tickets one process opened in one closed month, frozen: key fields, count and SHA-256
    checksum, kept as an operating-evidence entry. Never changed after it is made (services refuse,
    save() refuses); a later sync that disagrees is shown as a difference."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="ticket_populations"
    )
    clause = models.CharField(max_length=20)
    month = models.DateField(help_text=_("First day of the month."))
    count = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64)
    rules_used = models.JSONField(default=list, blank=True)  # the mapping rules as they were
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entry = models.OneToOneField(
        "documents.EvidenceEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="population"
    )

    class Meta:
        ordering = ["project", "-month", "clause"]
        constraints = [
            models.UniqueConstraint(fields=["project", "clause", "month"], name="population_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="population_month_first_day"),
        ]

    def __str__(self):
        return f"{self.clause} {self.month:%B %Y} ({self.count})"

    def get_absolute_url(self):
        return reverse("ticket_evidence:population", args=[self.project_id, self.pk])


class FrozenTicket(models.Model):
    """One ticket of a population, its key fields as they were when the month was frozen."""

    population = models.ForeignKey(Population, on_delete=models.CASCADE, related_name="tickets")
    connector_id = models.BigIntegerField()  # no foreign key: a frozen record outlives its connector
    external_id = models.CharField(max_length=200)
    ticket_type = models.CharField(max_length=100, blank=True)
    queue = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=100, blank=True)
    priority = models.CharField(max_length=100, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveIntegerField(default=0)
    is_emergency = models.BooleanField(null=True, blank=True)
    change_succeeded = models.BooleanField(null=True, blank=True)
    # The service, for the catalogue's SLA figure of the month (catalogue.py); outside the checksum.
    service_name = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["population", "connector_id", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["population", "connector_id", "external_id"], name="frozen_ticket_unique"
            ),
        ]

    def __str__(self):
        return self.external_id


class Sample(TimeStamped):
    """A reproducible random sample of a population: the seed and the size rule are recorded, so the
    same draw can be made again by anyone (connectors/evidence/sampling.py)."""

    population = models.OneToOneField(Population, on_delete=models.CASCADE, related_name="sample")
    seed = models.BigIntegerField()
    size = models.PositiveIntegerField()
    rule = models.CharField(max_length=200)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The checklist evidence the results became (gapanalysis.Evidence), once recorded.
    checklist_evidence = models.ForeignKey(
        "gapanalysis.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Sample of {self.population}"

    def get_absolute_url(self):
        return reverse("ticket_evidence:sample", args=[self.population.project_id, self.pk])


class Verdict(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    CONFORMING = "conforming", _("Conforming")
    NONCONFORMING = "nonconforming", _("Not conforming")


class SampleItem(TimeStamped):
    """One sampled ticket on the auditor's worksheet."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    ticket = models.ForeignKey(FrozenTicket, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField()
    verdict = models.CharField(max_length=20, choices=Verdict.choices, default=Verdict.PENDING)
    note = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    finding = models.ForeignKey(
        "audits.Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sample", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "ticket"], name="sample_item_unique_ticket"),
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="sample_item_verdict_valid"),
            models.CheckConstraint(
                condition=~Q(verdict="nonconforming") | ~Q(note=""),
                name="sample_item_failure_has_note",
                violation_error_message="Say what does not conform: the finding is raised from this note.",
            ),
        ]

    def __str__(self):
        return f"{self.ticket} in {self.sample}"
