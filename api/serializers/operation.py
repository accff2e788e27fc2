from rest_framework import serializers

from documents.models import DocumentVersion, EvidenceEntry
from documents.operation.processes import PROCESS_CLAUSE_CHOICES

from .common import UserSerializer

SOURCE_KINDS = ["version", "file", "link", "statement"]  # EvidenceEntry.source_kind
OPERATING_STATES = ["enough", "some", "none"]  # ProcessStatus.state


class ProcessStatusSerializer(serializers.Serializer):
    """documents.operation.selectors.ProcessStatus: a process and its months of evidence."""

    clause = serializers.CharField(source="process.clause")
    title = serializers.CharField(source="process.title")
    started_on = serializers.DateField(allow_null=True)
    months = serializers.IntegerField(help_text="Distinct calendar months with evidence, up to today.")
    minimum = serializers.IntegerField(help_text="Months the project asks for (its minimum).")
    credited_months = serializers.IntegerField(help_text="Months counted towards the minimum.")
    entries = serializers.IntegerField()
    last_on = serializers.DateField(allow_null=True)
    state = serializers.ChoiceField(choices=OPERATING_STATES)
    enough = serializers.BooleanField()


class EntryVersionSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="document_id")
    code = serializers.CharField(source="document.code")

    class Meta:
        model = DocumentVersion
        fields = ["id", "document", "code", "number", "status"]


class EntrySerializer(serializers.ModelSerializer):
    clause = serializers.CharField(source="process.clause", read_only=True)
    kind = serializers.ChoiceField(source="source_kind", choices=SOURCE_KINDS, read_only=True)
    document_version = EntryVersionSerializer(read_only=True, allow_null=True)
    created_by = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EvidenceEntry
        fields = [
            "id", "clause", "on", "summary", "kind", "document_version", "link", "original_name",
            "content_type", "size", "created_by", "version", "created_at", "updated_at",
        ]  # fmt: skip


class EntryWriteSerializer(serializers.Serializer):
    """Exactly one source: `document_version` (an id in the register), `file` (multipart) or `link`.
    The service checks the one-source rule, the version's project and the file."""

    clause = serializers.ChoiceField(choices=PROCESS_CLAUSE_CHOICES, help_text="The process, e.g. 8.6.1.")
    on = serializers.DateField(help_text="The day (or the end of the period) the evidence is about.")
    summary = serializers.CharField(max_length=300)
    document_version = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    file = serializers.FileField(required=False, allow_empty_file=True)
    link = serializers.URLField(max_length=500, required=False, allow_blank=True)


# The body documented for JSON and form posts: a `link` or a `document_version` (exactly one); a file
# needs multipart, documented with EntryWriteSerializer, which the view validates every post with.
class EntryReferenceSerializer(serializers.Serializer):
    clause = serializers.ChoiceField(choices=PROCESS_CLAUSE_CHOICES, help_text="The process, e.g. 8.6.1.")
    on = serializers.DateField(help_text="The day (or the end of the period) the evidence is about.")
    summary = serializers.CharField(max_length=300)
    document_version = serializers.IntegerField(
        required=False, min_value=1, help_text="A version of this project's register (or give `link`)."
    )
    link = serializers.URLField(
        max_length=500, required=False, help_text="http or https (or give `document_version`)."
    )
