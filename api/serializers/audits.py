from rest_framework import serializers

from audits.models import Audit, CorrectiveAction, Finding

from .common import UserSerializer


class AuditSerializer(serializers.ModelSerializer):
    lead_auditor = UserSerializer(read_only=True, allow_null=True)
    team = UserSerializer(many=True, read_only=True)
    finding_count = serializers.IntegerField(read_only=True)
    open_nc_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id", "audit_type", "title", "scope_clauses", "planned_start", "planned_end", "lead_auditor",
            "team", "external_auditors", "status", "started_at", "report_issued_at", "closed_at",
            "finding_count", "open_nc_count", "version",
        ]  # fmt: skip


class FindingSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    owner = UserSerializer(read_only=True, allow_null=True)
    raised_by = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id", "reference", "audit", "number", "grade", "clause", "description", "evidence",
            "owner", "due_date", "correction", "root_cause", "status", "raised_by", "raised_at",
            "closed_at", "version",
        ]  # fmt: skip


class CorrectiveActionSerializer(serializers.ModelSerializer):
    owner = UserSerializer(read_only=True)
    verified_by = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id", "finding", "description", "owner", "due_date", "status", "implementation_notes",
            "implemented_at", "verified_by", "verified_at", "verification_notes", "version",
        ]  # fmt: skip


class BlockerSerializer(serializers.Serializer):
    category = serializers.CharField()
    message = serializers.CharField()
    url = serializers.CharField()


class ReadinessSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    ready = serializers.BooleanField()
    blockers = BlockerSerializer(many=True)
    warnings = BlockerSerializer(many=True)
