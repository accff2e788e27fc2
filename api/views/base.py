from functools import cached_property

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import generics
from rest_framework.response import Response

from kernel.access import ProjectAccess

from ..access import project_access
from ..etags import with_etag


class ProjectScoped:
    """Views under /api/v1/projects/<project_id>/: `self.access` is the member's ProjectAccess."""

    model = None  # for the schema generator, which calls get_queryset without a project

    @cached_property
    def access(self) -> ProjectAccess:
        return project_access(self.request, self.kwargs["project_id"])

    @property
    def project(self):
        return self.access.project

    @property
    def is_schema(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


class ProjectList(ProjectScoped, generics.ListAPIView):
    def get_queryset(self):
        if self.is_schema:
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self):
        raise NotImplementedError


class ProjectDetail(ProjectScoped, generics.RetrieveAPIView):
    lookup_url_kwarg = "pk"

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        data = self.get_serializer(record).data
        return with_etag(Response(data), record) if "version" in data else Response(data)

    def get_queryset(self):
        if self.is_schema:
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self):
        raise NotImplementedError


def get_or_404(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404(_("No such %(record)s.") % {"record": queryset.model._meta.verbose_name}) from missing
