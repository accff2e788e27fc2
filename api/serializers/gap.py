from rest_framework import serializers

from gapanalysis import selectors
from gapanalysis.models import Assessment, Evidence, Response, Result

from .common import UserSerializer


class AssessmentSerializer(serializers.ModelSerializer):
    """A gap assessment with its answer counts and overall score (annotated by the list selector)."""

    template = serializers.CharField(source="template.name", read_only=True)
    counts = serializers.SerializerMethodField()
    score_percent = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id", "title", "kind", "status", "template", "counts", "score_percent", "finalised_at",
            "version", "created_at",
        ]  # fmt: skip

    def get_counts(self, assessment) -> dict[str, int]:
        return selectors.counts_of(assessment)

    def get_score_percent(self, assessment) -> int | None:
        return selectors.as_percent(selectors.score(selectors.counts_of(assessment)))


class ClauseScoreSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    is_leaf = serializers.BooleanField()
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    score_percent = serializers.IntegerField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())


class AssessmentDetailSerializer(AssessmentSerializer):
    clauses = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "clauses"]

    def get_counts(self, assessment) -> dict[str, int]:
        counts = selectors.overall_counts(assessment)
        return {result: counts.get(result, 0) for result in Result.values}

    def get_score_percent(self, assessment) -> int | None:
        return selectors.as_percent(selectors.score(selectors.overall_counts(assessment)))

    def get_clauses(self, assessment) -> list[dict]:
        return ClauseScoreSerializer(selectors.assessment_overview(assessment), many=True).data


class EvidenceSerializer(serializers.ModelSerializer):
    added_by = UserSerializer(read_only=True, allow_null=True)
    kind = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "url",
            "filename",
            "content_type",
            "size",
            "description",
            "added_by",
            "created_at",
        ]

    def get_kind(self, evidence) -> str:
        return "link" if evidence.is_link else "file"


class AnswerSerializer(serializers.ModelSerializer):
    question_code = serializers.CharField(source="question.code", read_only=True)
    question = serializers.CharField(source="question.text", read_only=True)
    clause = serializers.CharField(source="question.clause.number", read_only=True)
    answered_by = UserSerializer(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id", "question_code", "question", "clause", "result", "notes", "answered_by", "answered_at",
            "evidence", "version",
        ]  # fmt: skip
        read_only_fields = fields


class AnswerWriteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices, required=False)
    notes = serializers.CharField(allow_blank=True, max_length=10_000, required=False)
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read (a stale one gets 409); may be sent as If-Match instead."
    )


class EvidenceWriteSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    file = serializers.FileField(required=False, allow_empty_file=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


# The body documented for JSON and form posts (a link); multipart is EvidenceWriteSerializer.
class EvidenceLinkSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="http or https.")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
