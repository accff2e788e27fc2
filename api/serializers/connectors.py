"""The ticketing connectors, their sync runs, frozen populations with their figures, and samples.
A connector's credentials are never part of any answer: only whether some are stored."""

from urllib.parse import urlsplit, urlunsplit

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from connectors.evidence.models import Population, Sample, SampleItem
from connectors.models import Connector, SyncRun

from .common import UserSerializer


def without_userinfo(url: str) -> str:
    """The address without a user or password someone may have typed into it (http://u:p@host/)."""
    parts = urlsplit(url or "")
    if "@" not in parts.netloc:
        return url or ""
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class ConnectorSerializer(serializers.ModelSerializer):
    credentials_stored = serializers.BooleanField(source="has_credentials", read_only=True)
    base_url = serializers.SerializerMethodField()
    ticket_count = serializers.IntegerField(read_only=True)
    targets = serializers.DictField(child=serializers.FloatField(), read_only=True)

    def get_base_url(self, connector) -> str:
        return without_userinfo(connector.base_url)

    class Meta:
        model = Connector
        fields = [
            "id", "kind", "name", "base_url", "scope", "targets", "schedule_enabled", "sync_every_minutes",
            "sync_state", "sync_done", "sync_total", "synced_until", "last_synced_at", "last_error",
            "credentials_stored", "credentials_rejected", "ticket_count", "version", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class SyncRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = SyncRun
        fields = [
            "id", "connector", "status", "trigger", "started_at", "finished_at", "updated_since", "pages",
            "fetched", "created", "updated", "unchanged", "error",
        ]  # fmt: skip
        read_only_fields = fields


class SyncRequestSerializer(serializers.Serializer):
    """No fields: POST an empty body."""


class FiguresSerializer(serializers.Serializer):
    """One process's figures for one month (docs/connectors-evidence.md#figures)."""

    month = serializers.DateField()
    volume = serializers.IntegerField()
    resolved = serializers.IntegerField()
    sla_met = serializers.IntegerField()
    sla_total = serializers.IntegerField()
    sla_percent = serializers.FloatField(allow_null=True)
    mean_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)
    backlog = serializers.IntegerField()
    reopened = serializers.IntegerField()
    reopen_percent = serializers.FloatField(allow_null=True)
    changes_judged = serializers.IntegerField()
    changes_succeeded = serializers.IntegerField()
    change_success_percent = serializers.FloatField(allow_null=True)
    emergency = serializers.IntegerField()
    emergency_percent = serializers.FloatField(allow_null=True)


class PopulationSerializer(serializers.ModelSerializer):
    process = serializers.SerializerMethodField()
    frozen_by = UserSerializer(read_only=True, allow_null=True)
    sample = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Population
        fields = [
            "id", "clause", "process", "month", "count", "checksum", "frozen_at", "frozen_by", "sample",
            "figures",
        ]  # fmt: skip
        read_only_fields = fields

    def get_process(self, population) -> str:
        from connectors.evidence.selectors import process_label

        return process_label(population.clause)

    def get_sample(self, population) -> int | None:
        sample = getattr(population, "sample", None)
        return sample.pk if sample is not None else None

    @extend_schema_field(FiguresSerializer(allow_null=True))
    def get_figures(self, population):
        figures = self.context.get("figures", {}).get((population.clause, population.month))
        return FiguresSerializer(figures).data if figures is not None else None


class SampleItemSerializer(serializers.ModelSerializer):
    external_id = serializers.CharField(source="ticket.external_id", read_only=True)
    title = serializers.CharField(source="ticket.title", read_only=True)
    marked_by = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SampleItem
        fields = [
            "id",
            "order",
            "external_id",
            "title",
            "verdict",
            "note",
            "marked_by",
            "marked_at",
            "finding",
        ]
        read_only_fields = fields


class SampleSerializer(serializers.ModelSerializer):
    clause = serializers.CharField(source="population.clause", read_only=True)
    month = serializers.DateField(source="population.month", read_only=True)
    drawn_by = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Sample
        fields = ["id", "population", "clause", "month", "seed", "size", "rule", "drawn_by", "created_at"]
        read_only_fields = fields


class SampleDetailSerializer(SampleSerializer):
    items = serializers.SerializerMethodField()

    class Meta(SampleSerializer.Meta):
        fields = [*SampleSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(SampleItemSerializer(many=True))
    def get_items(self, sample):
        from connectors.evidence.selectors import sample_items

        return SampleItemSerializer(sample_items(sample), many=True).data
