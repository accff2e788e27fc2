from django_filters.rest_framework import DjangoFilterBackend

from audits import selectors
from audits.models import Audit, CorrectiveAction, Finding

from ..filters import ActionFilter, FindingFilter
from ..serializers.audits import AuditSerializer, CorrectiveActionSerializer, FindingSerializer
from .base import ProjectDetail, ProjectList


class AuditListView(ProjectList):
    model = Audit
    serializer_class = AuditSerializer

    def scoped_queryset(self):
        return selectors.audit_list(self.project)


class AuditDetailView(ProjectDetail):
    model = Audit
    serializer_class = AuditSerializer

    def scoped_queryset(self):
        return selectors.audit_list(self.project)


class FindingListView(ProjectList):
    model = Finding
    serializer_class = FindingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilter

    def scoped_queryset(self):
        return selectors.finding_list(self.project).order_by("number", "id")


class FindingDetailView(ProjectDetail):
    model = Finding
    serializer_class = FindingSerializer

    def scoped_queryset(self):
        return selectors.finding_list(self.project)


class CorrectiveActionListView(ProjectList):
    model = CorrectiveAction
    serializer_class = CorrectiveActionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActionFilter

    def scoped_queryset(self):
        return (
            CorrectiveAction.objects.filter(project=self.project)
            .select_related("owner", "verified_by")
            .order_by("due_date", "id")
        )
