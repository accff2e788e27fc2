from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kernel.access import hidden_projects
from projects import selectors
from projects.models import Membership, Phase, Project
from readiness.gate import STAGES, readiness

from ..access import request_token
from ..etags import with_etag
from ..serializers.audits import ReadinessSerializer
from ..serializers.projects import MemberSerializer, PhaseSerializer, ProjectSerializer
from .base import ProjectList, ProjectScoped


class ProjectListView(generics.ListAPIView):
    """Your projects (a token scoped to one project sees only that one)."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        projects = selectors.project_list(user=self.request.user, hidden=hidden_projects(self.request))
        token = request_token(self.request)
        if token is not None and token.project_id is not None:
            projects = projects.filter(pk=token.project_id)
        return projects


class ProjectDetailView(ProjectScoped, generics.GenericAPIView):
    serializer_class = ProjectSerializer

    def get(self, request, project_id):
        project = self.access.project
        project.my_role = self.access.role
        return with_etag(Response(self.get_serializer(project).data), project)


class MemberListView(ProjectList):
    model = Membership
    serializer_class = MemberSerializer

    def scoped_queryset(self):
        return selectors.project_members(project=self.project)


class PhaseListView(ProjectList):
    model = Phase
    serializer_class = PhaseSerializer

    def scoped_queryset(self):
        return selectors.phase_list(project=self.project)


class ReadinessView(ProjectScoped, generics.GenericAPIView):
    """What still blocks a certification stage (`?stage=1`, the default, or `?stage=2`); `ready`
    when nothing does. Computed by readiness.gate, as for the readiness page."""

    serializer_class = ReadinessSerializer
    validates_query = True  # an unknown stage is a 422 (documented by api.schema)

    @extend_schema(parameters=[OpenApiParameter("stage", int, enum=[1, 2], description="1 (default) or 2")])
    def get(self, request, project_id):
        raw = request.query_params.get("stage", "1")
        if raw not in {str(stage) for stage in STAGES}:
            raise ValidationError({"stage": _("The stage is 1 or 2.")})
        gate = readiness(self.project, int(raw))
        return Response(
            ReadinessSerializer(
                {
                    "stage": gate.stage,
                    "ready": gate.ready,
                    "blockers": gate.blockers,
                    "warnings": gate.warnings,
                }
            ).data
        )
