from rest_framework import serializers

from reports.models import Report

from .common import UserSerializer


class ReportSerializer(serializers.ModelSerializer):
    requested_by = UserSerializer(read_only=True, allow_null=True)
    filename = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id", "kind", "subject_id", "title", "trigger", "status", "requested_by", "page_count",
            "size_bytes", "checksum", "filename", "queued_at", "finished_at", "created_at",
        ]  # fmt: skip
