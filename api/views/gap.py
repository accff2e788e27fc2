from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response as ApiResponse

from gapanalysis import selectors, services
from gapanalysis.models import Assessment, AssessmentKind, Evidence, Response
from gapanalysis.views.common import may_answer, response_for
from kernel.concurrency import EditConflict

from ..etags import expected_version, with_etag
from ..filters import AnswerFilter
from ..idempotency import idempotent
from ..problems import Conflict
from ..serializers.gap import (
    AnswerSerializer,
    AnswerWriteSerializer,
    AssessmentDetailSerializer,
    AssessmentSerializer,
    EvidenceLinkSerializer,
    EvidenceSerializer,
    EvidenceWriteSerializer,
)
from .base import ProjectDetail, ProjectList, ProjectScoped, get_or_404


def _assessment(project, pk) -> Assessment:
    return get_or_404(
        Assessment.objects.select_related("template").filter(project=project, kind=AssessmentKind.GAP), pk=pk
    )


def _answers(assessment_id):
    return (
        Response.objects.filter(assessment_id=assessment_id)
        .select_related("question__clause", "answered_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")))
        .order_by("question__clause__order", "question__order", "id")
    )


class AssessmentListView(ProjectList):
    """Gap assessments, newest first, with answer counts per result and the overall score."""

    model = Assessment
    serializer_class = AssessmentSerializer

    def scoped_queryset(self):
        return selectors.gap_assessment_list(project=self.project)


class AssessmentDetailView(ProjectDetail):
    """One assessment with its score per clause (parents sum their sub-clauses)."""

    model = Assessment
    serializer_class = AssessmentDetailSerializer

    def scoped_queryset(self):
        return Assessment.objects.select_related("template").filter(
            project=self.project, kind=AssessmentKind.GAP
        )


class AnswerListView(ProjectList):
    """The answers of an assessment with their evidence, in clause order."""

    model = Response
    serializer_class = AnswerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AnswerFilter

    def scoped_queryset(self):
        return _answers(_assessment(self.project, self.kwargs["assessment_id"]).pk)


class AnswerDetailView(ProjectScoped, generics.GenericAPIView):
    serializer_class = AnswerSerializer

    def _get(self, pk):
        assessment = _assessment(self.project, self.kwargs["assessment_id"])
        return get_or_404(_answers(assessment.pk), pk=pk)

    def get(self, request, project_id, assessment_id, pk):
        answer = self._get(pk)
        return with_etag(ApiResponse(AnswerSerializer(answer).data), answer)

    @extend_schema(request=AnswerWriteSerializer, responses={200: AnswerSerializer})
    def patch(self, request, project_id, assessment_id, pk):
        """Save the result and/or notes. The lead and the auditors assigned to the clause answer;
        send the `version` you read (or its ETag as If-Match): a stale one gets 409 (412 for
        If-Match) with the current answer."""
        access = self.access
        _assessment(access.project, assessment_id)
        answer = response_for(access, assessment_id, pk)
        access.require(may_answer(access, answer))
        form = AnswerWriteSerializer(data=request.data, partial="If-Match" in request.headers)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        current = lambda: AnswerSerializer(self._get(pk)).data  # noqa: E731 - only built for a 412
        version = expected_version(request, answer, data, current=current)
        try:
            services.response_save(
                response=answer,
                user=request.user,
                expected_version=version,
                result=data.get("result"),
                notes=data.get("notes"),
            )
        except EditConflict as conflict:
            raise Conflict(str(conflict), current=AnswerSerializer(self._get(pk)).data) from conflict
        answer = self._get(pk)
        return with_etag(ApiResponse(AnswerSerializer(answer).data), answer)


class EvidenceListView(ProjectScoped, generics.ListCreateAPIView):
    """Evidence of an answer. POST adds a link (`url`) or a file (multipart `file`, the same
    content checks as the web upload)."""

    serializer_class = EvidenceSerializer

    def _answer(self):
        _assessment(self.project, self.kwargs["assessment_id"])
        return response_for(self.access, self.kwargs["assessment_id"], self.kwargs["response_id"])

    def get_queryset(self):
        if self.is_schema:
            return Evidence.objects.none()
        return Evidence.objects.filter(response=self._answer()).select_related("added_by").order_by("id")

    def authorize(self, request, project_id, assessment_id, response_id) -> Response:
        answer = self._answer()
        self.access.require(may_answer(self.access, answer))
        return answer

    @extend_schema(
        request={
            "multipart/form-data": EvidenceWriteSerializer,
            "application/json": EvidenceLinkSerializer,
            "application/x-www-form-urlencoded": EvidenceLinkSerializer,
        },
        responses={201: EvidenceSerializer},
    )
    @idempotent
    def post(self, request, project_id, assessment_id, response_id):
        answer = self.authorize(request, project_id, assessment_id, response_id)
        form = EvidenceWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        evidence = services.evidence_add(
            response=answer,
            user=request.user,
            upload=data.get("file"),
            url=data.get("url", ""),
            description=data.get("description", ""),
        )
        evidence = Evidence.objects.select_related("added_by").get(pk=evidence.pk)
        return ApiResponse(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
