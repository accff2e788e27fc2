"""The ticketing connectors in the API (docs/connectors.md#the-api): every member reads connectors,
their sync runs, the frozen populations with their figures and the auditors' samples; the lead asks
for a sync (202 with the queued run). A connector's credentials are in no answer."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from connectors import selectors, services
from connectors.evidence.figures import monthly_figures
from connectors.evidence.models import Population, Sample
from connectors.models import Connector, SyncRun

from ..idempotency import idempotent
from ..serializers.connectors import (
    ConnectorSerializer,
    PopulationSerializer,
    SampleDetailSerializer,
    SampleSerializer,
    SyncRequestSerializer,
    SyncRunSerializer,
)
from .base import ProjectDetail, ProjectList, ProjectScoped, get_or_404

MAX_FIGURE_MONTHS = 120  # figures reach back ten years: older populations answer `figures: null`


def _connectors(project):
    return (
        Connector.objects.filter(project=project)
        .annotate(ticket_count=Count("tickets"))
        .order_by("name", "id")
    )


def _connector(view):
    return get_or_404(_connectors(view.project), pk=view.kwargs["connector_id"])


class ConnectorListView(ProjectList):
    """The project's connectors to ticketing tools, by name: their sync state and last error."""

    model = Connector
    serializer_class = ConnectorSerializer

    def scoped_queryset(self):
        return _connectors(self.project)


class ConnectorDetailView(ProjectDetail):
    """One connector (whether credentials are stored, never what they are)."""

    model = Connector
    serializer_class = ConnectorSerializer
    lookup_url_kwarg = "connector_id"

    def scoped_queryset(self):
        return _connectors(self.project)


class ConnectorSyncView(ProjectScoped, generics.GenericAPIView):
    serializer_class = SyncRunSerializer

    def authorize(self, request, project_id, connector_id):
        self.access.require(self.access.is_lead)
        return _connector(self)

    @extend_schema(request=SyncRequestSerializer, responses={202: SyncRunSerializer})
    @idempotent
    def post(self, request, project_id, connector_id):
        """Ask for a sync now (the lead): 202 with the queued run, whose URL is in Location. A connector
        already syncing answers with its run in progress; a file-import connector cannot sync (422)."""
        connector = self.authorize(request, project_id, connector_id)
        SyncRequestSerializer(data=request.data).is_valid(raise_exception=True)
        run = services.sync_request(connector=connector, user=request.user)
        if run is None:
            raise ValidationError(
                _("A worker is syncing this connector right now; ask again when it is done.")
            )
        response = Response(SyncRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = request.build_absolute_uri(
            reverse("api:sync_run_detail", args=[project_id, connector.pk, run.pk])
        )
        return response


class SyncRunListView(ProjectList):
    """The connector's sync runs, newest first (queued, running, succeeded or failed, with counts)."""

    model = SyncRun
    serializer_class = SyncRunSerializer

    def scoped_queryset(self):
        return selectors.connector_runs(connector=_connector(self))


class SyncRunDetailView(ProjectDetail):
    model = SyncRun
    serializer_class = SyncRunSerializer
    lookup_url_kwarg = "run_id"

    def scoped_queryset(self):
        return selectors.connector_runs(connector=_connector(self))


def _months_back(month) -> int:
    today = timezone.localdate()
    return (today.year - month.year) * 12 + today.month - month.month


def _figures(project, populations) -> dict:
    """{(clause, month): MonthFigures} covering the given populations, in monthly_figures' constant
    number of queries (the months from the oldest of them to the last closed one)."""
    if not populations:
        return {}
    months = min(MAX_FIGURE_MONTHS, max(_months_back(p.month) for p in populations))
    if months < 1:
        return {}
    _, by_process = monthly_figures(project, months=months)
    return {(clause, cell.month): cell for clause, cells in by_process.items() for cell in cells}


def _populations(project):
    return (
        Population.objects.filter(project=project)
        .select_related("frozen_by", "sample")
        .order_by("-month", "clause", "id")
    )


class PopulationListView(ProjectList):
    """Frozen monthly populations (newest month first), each with its process's figures for the month,
    computed from the tickets as the figures page computes them."""

    model = Population
    serializer_class = PopulationSerializer

    def scoped_queryset(self):
        return _populations(self.project)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "figures": _figures(self.project, page)}
        return self.get_paginated_response(PopulationSerializer(page, many=True, context=context).data)


class PopulationDetailView(ProjectDetail):
    model = Population
    serializer_class = PopulationSerializer
    lookup_url_kwarg = "population_id"

    def scoped_queryset(self):
        return _populations(self.project)

    def retrieve(self, request, *args, **kwargs):
        population = self.get_object()
        context = {**self.get_serializer_context(), "figures": _figures(self.project, [population])}
        return Response(PopulationSerializer(population, context=context).data)


def _samples(project):
    return (
        Sample.objects.filter(population__project=project)
        .select_related("population", "drawn_by")
        .order_by("-population__month", "population__clause", "id")
    )


class SampleListView(ProjectList):
    """Auditors' samples of frozen populations (read only: the worksheet is marked on its page)."""

    model = Sample
    serializer_class = SampleSerializer

    def scoped_queryset(self):
        return _samples(self.project)


class SampleDetailView(ProjectDetail):
    """One sample with its tickets, their verdicts, notes and the findings raised from them."""

    model = Sample
    serializer_class = SampleDetailSerializer
    lookup_url_kwarg = "sample_id"

    def scoped_queryset(self):
        return _samples(self.project)
