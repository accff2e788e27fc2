from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from documents import selectors, services
from documents.models import Document, DocumentVersion
from documents.permissions import can_edit_document
from kernel.uploads import attachment_response

from ..filters import DocumentFilter
from ..idempotency import idempotent
from ..serializers.documents import (
    DocumentDetailSerializer,
    DocumentSerializer,
    VersionLinkSerializer,
    VersionSerializer,
    VersionWriteSerializer,
)
from .base import ProjectDetail, ProjectList, ProjectScoped, get_or_404

VERSIONS = Prefetch(
    "versions",
    queryset=DocumentVersion.objects.select_related("author", "approved_by").order_by("-number"),
)


class DocumentListView(ProjectList):
    """The document register, by code."""

    model = Document
    serializer_class = DocumentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DocumentFilter

    def scoped_queryset(self):
        return selectors.register(self.project)


class DocumentDetailView(ProjectDetail):
    model = Document
    serializer_class = DocumentDetailSerializer

    def scoped_queryset(self):
        return selectors.register(self.project).prefetch_related(VERSIONS)


class VersionCreateView(ProjectScoped, generics.GenericAPIView):
    serializer_class = VersionWriteSerializer

    def authorize(self, request, project_id, pk) -> Document:
        document = get_or_404(Document.objects.filter(project=self.project), pk=pk)
        self.access.require(can_edit_document(self.access, document))
        return document

    @extend_schema(
        request={
            "multipart/form-data": VersionWriteSerializer,
            "application/json": VersionLinkSerializer,
            "application/x-www-form-urlencoded": VersionLinkSerializer,
        },
        responses={201: VersionSerializer},
    )
    @idempotent
    def post(self, request, project_id, pk):
        """Add a draft version: a file (multipart, the same content checks as the web) or a link.
        The lead, or a contributor who owns the document."""
        document = self.authorize(request, project_id, pk)
        form = VersionWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        version = services.version_create(
            document=document,
            user=request.user,
            change_summary=data["change_summary"],
            upload=data.get("file"),
            link=data.get("link", ""),
        )
        version = DocumentVersion.objects.select_related("author", "approved_by").get(pk=version.pk)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionDownloadView(ProjectScoped, generics.GenericAPIView):
    serializer_class = VersionSerializer

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY, 302: None})
    def get(self, request, project_id, pk, version_id):
        """The version's file as an attachment (every member), or a redirect to its link."""
        document = get_or_404(Document.objects.filter(project=self.project), pk=pk)
        version = get_or_404(document.versions.all(), pk=version_id)
        if not version.file:
            return HttpResponseRedirect(version.link)
        try:
            return attachment_response(
                version.file, filename=version.original_name or "document", content_type=version.content_type
            )
        except FileNotFoundError as error:
            raise Http404(_("The file of this version is no longer in storage.")) from error
