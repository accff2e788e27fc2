"""Checklist templates (clause tree and questions), assessments and their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.clauses import top_clause
from kernel.models import TimeStamped
from projects.models import Project, Task


class DocumentedInformation(models.TextChoices):
    DOCUMENT = "document", _("Document")
    RECORD = "record", _("Record")
    NONE = "none", _("None")


class DocumentedInformationTier(models.TextChoices):
    """Whether the standard itself requires the documented information a question asks about, or
    auditors merely expect it (good practice). Empty when the question asks for none."""

    REQUIRED = "required", _("Required by the standard")
    RECOMMENDED = "recommended", _("Good practice")


ISO_TEMPLATE_SLUG = "iso20000-1-2018"  # the shipped ISO/IEC 20000-1:2018 checklist


class ChecklistTemplateQuerySet(models.QuerySet):
    def library(self):
        return self.filter(project__isnull=True)

    def visible_in(self, project):
        """The shipped library and the templates imported in this project; never another project's."""
        return self.filter(Q(project__isnull=True) | Q(project=project))


class ChecklistTemplate(TimeStamped):
    """One version of a checklist. An import of a new version adds a row; assessments keep theirs.

    A template without a project belongs to the shipped library, shared by every project and
    changed only by staff (admin) or the `import_template` command. A template imported in a
    project belongs to that project: only its members see and use it."""

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="checklist_templates"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    standard = models.CharField(max_length=120)
    version = models.PositiveIntegerField(default=1)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], condition=Q(project__isnull=True), name="template_unique_version"
            ),
            models.UniqueConstraint(
                fields=["project", "slug", "version"],
                condition=Q(project__isnull=False),
                name="template_unique_project_version",
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_library(self) -> bool:
        return self.project_id is None


class TemplateClause(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    is_leaf = models.BooleanField(default=True)
    order = models.PositiveIntegerField()
    guidance = models.TextField(blank=True)
    # An explanatory clause (8.3.1 of ISO/IEC 20000-1:2018) sets no requirement of its own: its
    # questions orient the auditor, their answers are left out of the score, and none of them can be
    # a nonconformity (no partial or nonconformant answer, no nonconformity raised against it).
    informative = models.BooleanField(
        default=False, help_text=_("Explanatory clause: sets no requirement, so it raises no nonconformity.")
    )

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="clause_unique_number"),
            models.UniqueConstraint(fields=["template", "order"], name="clause_unique_order"),
            # only a clause that holds questions can be explanatory
            models.CheckConstraint(
                condition=Q(informative=False) | Q(is_leaf=True), name="clause_informative_is_leaf"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def top_number(self) -> str:
        return top_clause(self.number)


class Question(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="questions")
    clause = models.ForeignKey(TemplateClause, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=40)  # e.g. GA-8.6.1-02
    text = models.TextField()
    documented_information = models.CharField(
        max_length=10, choices=DocumentedInformation.choices, default=DocumentedInformation.NONE
    )
    documented_information_tier = models.CharField(
        max_length=12, choices=DocumentedInformationTier.choices, blank=True, default=""
    )
    guidance = models.TextField(blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=Q(documented_information__in=DocumentedInformation.values),
                name="question_documented_information_valid",
            ),
            # a tier exactly when documented information is asked for
            models.CheckConstraint(
                condition=(
                    Q(documented_information=DocumentedInformation.NONE, documented_information_tier="")
                    | (
                        ~Q(documented_information=DocumentedInformation.NONE)
                        & Q(documented_information_tier__in=DocumentedInformationTier.values)
                    )
                ),
                name="question_documented_information_tier_valid",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_required_by_standard(self) -> bool:
        return self.documented_information_tier == DocumentedInformationTier.REQUIRED


class AssessmentKind(models.TextChoices):
    GAP = "gap", _("Gap analysis")
    AUDIT = "audit", _("Audit checklist")


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINALISED = "finalised", _("Finalised")


class Assessment(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    # RESTRICT, not PROTECT: a template in use cannot be deleted, except together with its project
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.RESTRICT, related_name="assessments")
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices, default=AssessmentKind.GAP)
    title = models.CharField(max_length=200)
    scope_clauses = models.ManyToManyField(TemplateClause, blank=True, related_name="+")
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["project", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssessmentKind.values), name="assessment_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="assessment_title_not_empty"),
        ]
        indexes = [models.Index(fields=["project", "kind", "-created_at"])]

    def __str__(self):
        return self.title

    @property
    def is_finalised(self) -> bool:
        return self.status == AssessmentStatus.FINALISED

    def get_absolute_url(self):
        return reverse("gapanalysis:overview", args=[self.project_id, self.pk])


class AssessmentAuditor(TimeStamped):
    """An auditor assigned to an assessment: for all of it (clause empty) or for one leaf clause."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="auditor_assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    clause = models.ForeignKey(
        TemplateClause, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "user__username", "clause__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "clause"],
                condition=Q(clause__isnull=False),
                name="auditor_unique_clause",
            ),
            models.UniqueConstraint(
                fields=["assessment", "user"], condition=Q(clause__isnull=True), name="auditor_unique_whole"
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.assessment}" + (f" ({self.clause.number})" if self.clause_id else "")


class Result(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    CONFORMANT = "conformant", _("Conformant")
    PARTIAL = "partial", _("Partially conformant")
    NONCONFORMANT = "nonconformant", _("Nonconformant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


GAP_RESULTS = (Result.PARTIAL, Result.NONCONFORMANT)


class Response(TimeStamped):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="responses")
    result = models.CharField(max_length=20, choices=Result.choices, default=Result.NOT_ASSESSED)
    notes = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    remediation_tasks = models.ManyToManyField(Task, blank=True, related_name="gap_responses")
    version = models.PositiveIntegerField(default=1)
    # Who set which result when. response_save writes with a conditional UPDATE, which sends no
    # signal, so it adds the history row itself (bulk_history_create).
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])

    class Meta:
        ordering = ["assessment", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="response_unique_question"),
            models.CheckConstraint(condition=Q(result__in=Result.values), name="response_result_valid"),
        ]

    def __str__(self):
        return f"{self.question_id} in {self.assessment_id}: {self.result}"

    @property
    def is_gap(self) -> bool:
        return self.result in GAP_RESULTS


def evidence_upload_to(instance, filename):
    return (
        f"gapanalysis/{instance.response.assessment.project_id}/{instance.response.assessment_id}/{filename}"
    )


class LiveEvidenceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Evidence(TimeStamped):
    """A file or a link that supports an answer; a response can have several.

    Removed by its uploader, it is deleted. Removed by someone else, it is only marked removed
    (who, when) and the file is kept: the lead still sees and downloads it.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=300)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(max_length=500, blank=True)
    # A cited record (a register entry): its kind (kernel.extensions.evidence_sources),
    # id, and the label and page it had when cited, so the list shows it without reading the record.
    entry_kind = models.CharField(max_length=30, blank=True)
    entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    entry_label = models.CharField(max_length=300, blank=True)
    entry_path = models.CharField(max_length=300, blank=True)
    description = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = LiveEvidenceManager()
    all_objects = models.Manager()

    class Meta:
        ordering = ["response", "created_at", "id"]
        base_manager_name = "all_objects"
        constraints = [
            # Exactly one source: a file, a link or a cited entry.
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="") & Q(entry_kind=""))
                | (~Q(url="") & Q(file="") & Q(entry_kind=""))
                | (Q(url="") & Q(file="") & ~Q(entry_kind="") & Q(entry_id__isnull=False)),
                name="gap_evidence_one_source",
            )
        ]

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    @property
    def is_entry(self) -> bool:
        return bool(self.entry_kind)

    @property
    def kind(self) -> str:
        return "entry" if self.entry_kind else "link" if self.url else "file"

    def __str__(self):
        return self.filename or self.url or self.entry_label
