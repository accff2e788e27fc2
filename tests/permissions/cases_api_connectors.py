"""Permission cases of the connectors' API routes (/api/v1/projects/<id>/connectors/…): every member
reads connectors, runs, frozen populations and samples; only the lead asks for a sync (202)."""

from datetime import timedelta

from django.utils import timezone

from connectors.evidence import services as evidence
from connectors.models import SyncRun
from tests.permissions.cases_connectors import jira
from tests.permissions.matrix import Case, api_only, api_reads
from tests.ticket_evidence.helpers import connector, ticket


def C(w):
    return f"/api/v1/projects/{w.project.pk}/connectors/"


def run(w):
    return w.obj(
        "api-sync-run", lambda w: SyncRun.objects.create(connector=jira(w), started_at=timezone.now())
    )


def population(w):
    def build(w):
        lead = w.user("lead")
        evidence.rule_create(
            project=w.project, user=lead, field="ticket_type", value="incident", clause="8.6.1"
        )
        last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=15)
        opened = timezone.make_aware(timezone.datetime.combine(last_month, timezone.datetime.min.time()))
        ticket(connector(w.project, name="Matrix export"), opened=opened, hours=3)
        frozen = evidence.population_freeze(project=w.project, clause="8.6.1", month=last_month, user=lead)
        evidence.sample_draw(population=frozen, user=lead, seed=3)
        return frozen

    return w.obj("api-population", build)


CASES = [
    Case("api:connector_list", C, api_reads()),
    Case("api:connector_detail", lambda w: C(w) + f"{jira(w).pk}/", api_reads()),
    Case(
        "api:connector_sync", lambda w: C(w) + f"{jira(w).pk}/sync/", api_only("lead", ok=202), method="post"
    ),
    Case("api:sync_run_list", lambda w: C(w) + f"{jira(w).pk}/runs/", api_reads()),
    Case("api:sync_run_detail", lambda w: C(w) + f"{jira(w).pk}/runs/{run(w).pk}/", api_reads()),
    Case("api:population_list", lambda w: C(w) + "populations/", api_reads()),
    Case("api:population_detail", lambda w: C(w) + f"populations/{population(w).pk}/", api_reads()),
    Case("api:sample_list", lambda w: C(w) + "samples/", api_reads()),
    Case("api:sample_detail", lambda w: C(w) + f"samples/{population(w).sample.pk}/", api_reads()),
]
