from rest_framework import serializers

from documents.models import Document, DocumentVersion

from .common import UserSerializer


class VersionSerializer(serializers.ModelSerializer):
    author = UserSerializer(read_only=True, allow_null=True)
    approved_by = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DocumentVersion
        fields = [
            "id", "number", "status", "original_name", "content_type", "size", "link", "change_summary",
            "author", "submitted_at", "approved_by", "approved_at", "created_at",
        ]  # fmt: skip


class DocumentSerializer(serializers.ModelSerializer):
    owner = UserSerializer(read_only=True, allow_null=True)
    approver = UserSerializer(read_only=True, allow_null=True)
    current_version = serializers.IntegerField(
        source="current_version.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Document
        fields = [
            "id", "code", "title", "doc_type", "clauses", "owner", "approver", "confidentiality",
            "review_interval_months", "status", "mandatory_code", "current_version", "approved_at",
            "last_reviewed_on", "next_review_date", "version", "updated_at",
        ]  # fmt: skip


class DocumentDetailSerializer(DocumentSerializer):
    versions = VersionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "versions"]


class VersionWriteSerializer(serializers.Serializer):
    change_summary = serializers.CharField(max_length=5000)
    file = serializers.FileField(required=False, allow_empty_file=True)
    link = serializers.URLField(max_length=500, required=False, allow_blank=True)


# The body the schema documents for JSON and form posts, which carry a link (a file needs multipart,
# documented with VersionWriteSerializer); the view validates every content type with the latter.
class VersionLinkSerializer(serializers.Serializer):
    change_summary = serializers.CharField(max_length=5000)
    link = serializers.URLField(max_length=500, help_text="Where the document lives (http or https).")
