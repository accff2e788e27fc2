"""readiness.changed: announced when the Stage 1 blockers change, once per change."""

import pytest

from projects.models import PhaseStatus
from projects.roadmap import CERTIFICATION_STAGES
from readiness.gate import blockers_for as readiness_blockers
from readiness.watch import readiness_watch, readiness_watch_all
from tests.factories import make_webhook
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def _announcements():
    return list(WebhookEvent.objects.filter(name="readiness.changed").order_by("id"))


def test_without_a_listener_readiness_is_not_even_computed(world, django_assert_num_queries):
    with django_assert_num_queries(1):  # who listens, read once into the cache
        assert readiness_watch(world.project) is False
    with django_assert_num_queries(0):
        assert readiness_watch(world.project) is False


def test_the_state_is_announced_once_then_again_when_it_changes(world):
    make_webhook(world.project, user=world.user("lead"), events=["readiness.changed"])
    blockers = readiness_blockers(world.project)

    assert readiness_watch(world.project) is True
    assert readiness_watch(world.project) is False  # nothing changed: nothing more to say

    phase = world.project.phases.exclude(key__in=CERTIFICATION_STAGES).order_by("order").first()
    phase.status = PhaseStatus.DONE
    phase.save()
    assert readiness_watch(world.project) is True

    first, second = _announcements()
    assert first.payload["data"]["ready"] is False
    assert first.payload["data"]["blockers"] == len(blockers)
    assert second.payload["data"]["blockers"] == len(blockers) - 1
    assert first.key != second.key


def test_the_periodic_check_covers_the_projects_whose_webhooks_listen(world):
    make_webhook(world.project, user=world.user("lead"), events=["readiness.changed"])
    assert readiness_watch_all() == 1
    assert readiness_watch_all() == 0
