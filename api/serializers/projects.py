from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from projects.models import Membership, Phase, Priority, Project, Task, TaskStatus

from .common import UserSerializer


class ProjectSerializer(serializers.ModelSerializer):
    my_role = serializers.CharField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "name", "organisation", "scope_summary", "standard_edition", "start_date",
            "target_certification_date", "certification_body", "min_operating_months", "progress",
            "version", "my_role", "created_at", "updated_at",
        ]  # fmt: skip


class MemberSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]


class PhaseSerializer(serializers.ModelSerializer):
    owner = UserSerializer(read_only=True, allow_null=True)
    task_total = serializers.IntegerField(read_only=True)
    task_done = serializers.IntegerField(read_only=True)

    class Meta:
        model = Phase
        fields = [
            "id", "key", "order", "title", "optional", "status", "owner", "planned_start", "planned_end",
            "actual_start", "actual_end", "progress", "task_total", "task_done", "version",
        ]  # fmt: skip


class TaskSerializer(serializers.ModelSerializer):
    assignee = UserSerializer(read_only=True, allow_null=True)
    phase_key = serializers.CharField(source="phase.key", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "phase", "phase_key", "title", "description", "assignee", "start_date", "due_date",
            "priority", "status", "completed_at", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


# Something besides spaces, and no NUL (PostgreSQL text cannot hold one): the schema carries it too.
TITLE_PATTERN = RegexValidator(r"^[^\x00]*[^\s\x00][^\x00]*$", message=gettext_lazy("Give the task a title."))


class TaskUpdateSerializer(serializers.Serializer):
    """Input of update (PATCH: send only what changes, with the `version` you read); the service checks
    the links (phase and assignee of this project)."""

    phase = serializers.IntegerField(min_value=1, required=False)
    title = serializers.CharField(max_length=200, required=False, validators=[TITLE_PATTERN])
    description = serializers.CharField(allow_blank=True, required=False)
    assignee = serializers.IntegerField(min_value=1, allow_null=True, required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    due_date = serializers.DateField(allow_null=True, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read (a stale one gets 409); may be sent as If-Match instead."
    )

    def validate_title(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Give the task a title."))
        return value

    def validate_description(self, value):
        if "\x00" in value:
            raise serializers.ValidationError(_("Text may not contain NUL characters."))
        return value


class TaskCreateSerializer(TaskUpdateSerializer):
    """Input of create: `phase` and `title` are required, there is no version yet."""

    phase = serializers.IntegerField(min_value=1, help_text="A phase of this project.")
    title = serializers.CharField(max_length=200, validators=[TITLE_PATTERN])
    version = None


class TaskCompleteSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)
