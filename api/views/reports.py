from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from kernel.uploads import attachment_response
from reports.models import Report, ReportStatus

from ..serializers.reports import ReportSerializer
from .base import ProjectDetail, ProjectList, ProjectScoped, get_or_404


def _reports(project):
    return Report.objects.filter(project=project).select_related("requested_by")


class ReportListView(ProjectList):
    """Generated PDF reports (metadata), newest first."""

    model = Report
    serializer_class = ReportSerializer

    def scoped_queryset(self):
        return _reports(self.project)


class ReportDetailView(ProjectDetail):
    model = Report
    serializer_class = ReportSerializer

    def scoped_queryset(self):
        return _reports(self.project)


class ReportDownloadView(ProjectScoped, generics.GenericAPIView):
    serializer_class = ReportSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, project_id, pk):
        """The PDF of a finished report (every member); 404 while it has no file."""
        report = get_or_404(_reports(self.project), pk=pk)
        if report.status != ReportStatus.DONE or not report.file:
            raise Http404(_("This report has no file yet."))
        try:
            return attachment_response(report.file, filename=report.filename, content_type="application/pdf")
        except FileNotFoundError as error:
            raise Http404(_("The file of this report is no longer in storage.")) from error
