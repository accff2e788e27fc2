from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from kernel.concurrency import EditConflict
from projects import selectors, services
from projects.models import Phase, Task
from projects.permissions import can_complete_task, can_create_task, can_edit_task

from ..etags import expected_version, with_etag
from ..filters import TaskFilter
from ..idempotency import idempotent
from ..problems import Conflict
from ..serializers.projects import (
    TaskCompleteSerializer,
    TaskCreateSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)
from .base import ProjectScoped, get_or_404


def _links(project, data: dict) -> dict:
    """Turn the phase and assignee ids of the input into rows (the service checks they belong)."""
    fields = dict(data)
    fields.pop("version", None)
    if "phase" in fields:
        phase = Phase.objects.filter(project=project, pk=fields["phase"]).first()
        if phase is None:
            raise ValidationError({"phase": _("Choose a phase of this project.")})
        fields["phase"] = phase
    if fields.get("assignee") is not None:
        user = get_user_model().objects.filter(pk=fields["assignee"]).first()
        if user is None:
            raise ValidationError({"assignee": _("The assignee must be a member of this project.")})
        fields["assignee"] = user
    return fields


def _task(project, pk):
    return get_or_404(selectors.task_list(project=project), pk=pk)


class TaskListView(ProjectScoped, generics.ListCreateAPIView):
    """The project's tasks, open before done, by due date. POST creates one (lead, contributor)."""

    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaskFilter

    def get_queryset(self):
        if self.is_schema:
            return Task.objects.none()
        return selectors.task_list(project=self.project)

    def authorize(self, request, project_id):
        self.access.require(can_create_task(self.access))
        return self.access

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    @idempotent
    def post(self, request, project_id):
        access = self.authorize(request, project_id)
        form = TaskCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task = services.task_create(
            project=access.project, user=request.user, **_links(access.project, form.validated_data)
        )
        return Response(TaskSerializer(_task(access.project, task.pk)).data, status=status.HTTP_201_CREATED)


class TaskDetailView(ProjectScoped, generics.GenericAPIView):
    serializer_class = TaskSerializer

    def get(self, request, project_id, pk):
        task = _task(self.project, pk)
        return with_etag(Response(TaskSerializer(task).data), task)

    @extend_schema(request=TaskUpdateSerializer, responses={200: TaskSerializer})
    def patch(self, request, project_id, pk):
        """Change some fields. Send the `version` you read (or its ETag as If-Match): a stale one gets
        409 (412 for If-Match) with the current task."""
        access = self.access
        task = _task(access.project, pk)
        access.require(can_edit_task(access, task))
        form = TaskUpdateSerializer(data=request.data, partial="If-Match" in request.headers)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        version = expected_version(request, task, data, current=lambda: TaskSerializer(task).data)
        try:
            task = services.task_update(
                task=task,
                user=request.user,
                expected_version=version,
                **_links(access.project, data),
            )
        except EditConflict as conflict:
            raise Conflict(
                str(conflict), current=TaskSerializer(_task(access.project, conflict.current.pk)).data
            ) from conflict
        task = _task(access.project, task.pk)
        return with_etag(Response(TaskSerializer(task).data), task)


class TaskCompleteView(ProjectScoped, generics.GenericAPIView):
    serializer_class = TaskCompleteSerializer

    def authorize(self, request, project_id, pk) -> Task:
        task = _task(self.project, pk)
        self.access.require(can_complete_task(self.access, task))
        return task

    @extend_schema(request=TaskCompleteSerializer, responses={200: TaskSerializer})
    @idempotent
    def post(self, request, project_id, pk):
        """Complete the task (`done: false` reopens it). Completing a done task changes nothing."""
        access = self.access
        task = self.authorize(request, project_id, pk)
        form = TaskCompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.task_set_done(task=task, user=request.user, done=form.validated_data["done"])
        return Response(TaskSerializer(_task(access.project, task.pk)).data)
