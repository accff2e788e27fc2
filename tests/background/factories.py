from django.core.files.base import ContentFile
from django.utils import timezone

from sms_tracker.models import Report, ReportStatus


def make_report(project, *, status=ReportStatus.DONE, user=None, kind="management", **fields):
    report = Report.objects.create(
        project=project,
        kind=kind,
        title="Management progress report",
        status=status,
        requested_by=user,
        **fields,
    )
    if status == ReportStatus.DONE:
        report.file.save(report.filename, ContentFile(b"%PDF-1.7 test"), save=False)
        report.page_count, report.finished_at = 1, timezone.now()
        report.save()
    return report
