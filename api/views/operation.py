"""Operating evidence: the processes with their months of evidence, and the dated entries that show
they ran. Writes go through documents.operation.services, like the web pages (same upload checks
and quota, the same one-source rule, nothing stored when refused)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from documents.models import DocumentVersion, EvidenceEntry
from documents.operation import selectors, services
from documents.operation.processes import process_by_clause
from documents.permissions import can_change_entry, can_record_evidence
from kernel.uploads import attachment_response

from ..etags import check_if_match, with_etag
from ..filters import EntryFilter
from ..idempotency import idempotent
from ..serializers.operation import (
    EntryReferenceSerializer,
    EntrySerializer,
    EntryWriteSerializer,
    ProcessStatusSerializer,
)
from .base import ProjectScoped, get_or_404


class ProcessListView(ProjectScoped, generics.ListAPIView):
    """Every process of clause 8 (and 9.1–9.3) with its months of evidence against the project's
    minimum, in clause order."""

    serializer_class = ProcessStatusSerializer

    def get_queryset(self):
        if self.is_schema:
            return []
        return selectors.process_statuses(self.project)


def _version(pk) -> DocumentVersion | None:
    """The register version an entry points at; the service checks it is this project's."""
    if pk is None:
        return None
    version = DocumentVersion.objects.select_related("document").filter(pk=pk).first()
    if version is None:
        raise ValidationError({"document_version": _("Choose a version of this project's register.")})
    return version


class EntryListView(ProjectScoped, generics.ListCreateAPIView):
    """The evidence entries, newest first. POST records one (the lead, contributors): a link, a
    version of the register, or a file (multipart, the same content checks and quota as the web)."""

    serializer_class = EntrySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EntryFilter

    def get_queryset(self):
        if self.is_schema:
            return EvidenceEntry.objects.none()
        return selectors.entry_list(self.project)

    def authorize(self, request, project_id):
        self.access.require(can_record_evidence(self.access))
        return self.access

    @extend_schema(
        request={
            "multipart/form-data": EntryWriteSerializer,
            "application/json": EntryReferenceSerializer,
            "application/x-www-form-urlencoded": EntryReferenceSerializer,
        },
        responses={201: EntrySerializer},
    )
    @idempotent
    def post(self, request, project_id):
        access = self.authorize(request, project_id)
        form = EntryWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        entry = services.entry_create(
            project=access.project,
            process=process_by_clause()[data["clause"]],
            user=request.user,
            on=data["on"],
            summary=data["summary"],
            document_version=_version(data.get("document_version")),
            upload=data.get("file"),
            link=data.get("link", ""),
        )
        entry = selectors.entry_list(access.project).get(pk=entry.pk)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryDetailView(ProjectScoped, generics.GenericAPIView):
    serializer_class = EntrySerializer

    def _entry(self, pk) -> EvidenceEntry:
        return get_or_404(selectors.entry_list(self.project), pk=pk)

    def get(self, request, project_id, pk):
        entry = self._entry(pk)
        return with_etag(Response(EntrySerializer(entry).data), entry)

    @extend_schema(responses={204: None})
    def delete(self, request, project_id, pk):
        """Delete an entry (and its file): the lead any entry, a contributor the ones they recorded.
        With If-Match, only the version you read (412 otherwise)."""
        access = self.access
        entry = self._entry(pk)
        access.require(can_change_entry(access, entry))
        check_if_match(request, entry, current=lambda: EntrySerializer(entry).data)
        services.entry_delete(entry=entry, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EntryDownloadView(ProjectScoped, generics.GenericAPIView):
    serializer_class = EntrySerializer

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY, 302: None})
    def get(self, request, project_id, pk):
        """The entry's file as an attachment (every member); a link or a register version redirects
        to it (the version to its API download)."""
        entry = get_or_404(selectors.entry_list(self.project), pk=pk)
        if entry.document_version_id:
            version = entry.document_version
            return HttpResponseRedirect(
                reverse("api:version_download", args=[self.project.pk, version.document_id, version.pk])
            )
        if not entry.file:
            return HttpResponseRedirect(entry.link)
        try:
            return attachment_response(
                entry.file, filename=entry.original_name or "evidence", content_type=entry.content_type
            )
        except FileNotFoundError as error:
            raise Http404(_("The file of this entry is no longer in storage.")) from error
