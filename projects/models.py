from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.models import Role, TimeStamped

from .activity import words
from .roadmap import ROADMAP_BY_KEY, progress_source


class Project(TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    scope_summary = models.TextField(_("SMS scope summary"), blank=True)
    standard_edition = models.CharField(_("standard edition"), max_length=60, default="ISO/IEC 20000-1:2018")
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    target_certification_date = models.DateField(_("target certification date"))
    certification_body = models.CharField(_("certification body"), max_length=200, blank=True)
    # Certification bodies expect the SMS processes to have run, with records, for a while before
    # Stage 2; three months is the usual minimum they accept.
    min_operating_months = models.PositiveSmallIntegerField(
        _("minimum operating period (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("How long every process must have run with records before the Stage 2 audit."),
    )
    # Members must use two-factor authentication to open the project (identity/mfa.py).
    require_mfa = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_(
            "Members without an authenticator app are sent to set one up before they can open "
            "the project. People who sign in through the organisation's identity provider are not asked."
        ),
    )
    # The language of the project's PDF reports (reports/pdf.py); empty: the scheduled ones in
    # LANGUAGE_CODE, the ones a person asks for in that person's language.
    report_language = models.CharField(
        "language of reports",
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="Leave empty to make each report in the language of the person who asks for it.",
    )
    progress = models.PositiveSmallIntegerField(default=0)  # stored aggregate, 0–100
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    history = HistoricalRecords(excluded_fields=["progress", "updated_at"])

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_certification_date__gt=models.F("start_date")),
                name="project_target_after_start",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max_100"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:dashboard", args=[self.pk])


class Membership(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.project}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Invitation(TimeStamped):
    """An offer of a role in a project. Nobody becomes a member without accepting one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two invites of the same person (a double-click, two leads at once) give one invitation.
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(status="pending"),
                name="invitation_unique_pending",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="invitation_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} invited to {self.project} as {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
    SKIPPED = "skipped", _("Skipped")


class Phase(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField(max_length=4)  # "1".."12", "S1", "S2"
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    optional = models.BooleanField(_("optional"), default=False)
    depends_on = models.ForeignKey(
        "self",
        verbose_name=_("depends on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PhaseStatus.choices, default=PhaseStatus.NOT_STARTED
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # stored aggregate, 0–100
    override_reason = models.TextField(_("override reason"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    override_at = models.DateTimeField(_("override at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["progress", "updated_at"])

    class Meta:
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="phase_unique_key"),
            models.UniqueConstraint(fields=["project", "order"], name="phase_unique_order"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="phase_planned_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="phase_actual_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="skipped") | Q(optional=True), name="phase_only_optional_skipped"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="phase_progress_max_100"),
        ]

    def __str__(self):
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        return self.key if self.key.startswith("S") else f"{self.key}."

    @property
    def definition(self):
        return ROADMAP_BY_KEY.get(self.key)

    @property
    def display_title(self) -> str:
        """The title as shown: still as shipped, it reads in the reader's language; a title the
        project changed is theirs and reads as written."""
        definition = self.definition
        if definition is not None and self.title == definition.english_title:
            return definition.title
        return self.title

    @property
    def progress_source(self) -> str:
        return progress_source(self.key)

    @property
    def is_closed(self) -> bool:
        return self.status in (PhaseStatus.DONE, PhaseStatus.SKIPPED)

    def is_late_on(self, today) -> bool:
        """Past its planned end and not done (nor skipped)."""
        return not self.is_closed and self.planned_end < today

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())

    def get_absolute_url(self):
        return reverse("projects:phase_detail", args=[self.project_id, self.pk])


class Milestone(TimeStamped):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "order"]
        constraints = [models.UniqueConstraint(fields=["phase", "order"], name="milestone_unique_order")]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        """Like Phase.display_title: a milestone as the roadmap made it reads in the reader's language."""
        definition = self.phase.definition
        shipped = definition.english_milestones if definition is not None else ()
        if 0 < self.order <= len(shipped) and self.title == shipped[self.order - 1]:
            return definition.milestones[self.order - 1]
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=TaskStatus.DONE)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)


class Task(TimeStamped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    phase = models.ForeignKey(Phase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="task_due_after_start",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="task_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["project", "status", "due_date"]),
            models.Index(fields=["assignee", "status", "due_date"]),
            # Each phase's task counts (projects.selectors.phase_list): an index-only count per phase.
            models.Index(fields=["phase", "status"], name="task_phase_status"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_done and self.due_date is not None and self.due_date < today

    def get_absolute_url(self):
        return reverse("projects:task_detail", args=[self.project_id, self.pk])


COMMENT_MAX_LENGTH = 5000


class TaskComment(TimeStamped):
    """A note on a task by a member; `@username` mentions of members are notified once (by e-mail)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("body"), max_length=COMMENT_MAX_LENGTH)
    edited_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["task", "created_at"])]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="task_comment_body_not_empty")]

    def __str__(self):
        return f"Comment {self.pk} on {self.task_id}"

    def get_absolute_url(self):
        return (
            reverse("projects:task_detail", args=[self.task.project_id, self.task_id]) + f"#comment-{self.pk}"
        )


def task_attachment_upload_to(instance, filename):
    return f"tasks/{instance.task.project_id}/{instance.task_id}/{filename}"


class TaskAttachment(TimeStamped):
    """A file on a task, checked like every upload (kernel.uploads) and only downloaded."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=task_attachment_upload_to, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(file=""), name="task_attachment_has_file")]

    def __str__(self):
        return self.filename


class Activity(models.Model):
    """A line of the project's recent-activity feed, written by the services that change things."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=60)
    # The English sentence: what a line recorded before `message` existed shows, and what anything
    # sending the line elsewhere reads. New lines are worded from message and values (`text`).
    summary = models.CharField(max_length=300)
    message = models.CharField(max_length=300, blank=True)  # English msgid (projects/activity.py)
    message_plural = models.CharField(max_length=300, blank=True)  # its plural msgid, if it counts
    values = models.JSONField(default=dict, blank=True)  # the message's placeholders: data and keys
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"])]
        verbose_name_plural = "activities"

    def __str__(self):
        return self.summary

    @property
    def text(self) -> str:
        """The line in the active language; a line with no message shows its stored summary."""
        if not self.message:
            return self.summary
        return words(self.message, self.values or {}, plural=self.message_plural)


class ReadinessSnapshot(models.Model):
    """The readiness last announced for a project, so a change is announced once."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    generation = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Readiness of project {self.project_id} (announcement {self.generation})"
