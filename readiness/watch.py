"""The readiness.changed webhook event: announced when a project's Stage 1 or Stage 2 blockers
change, once per change (after each progress refresh — a hook the readiness app registers — and by a
periodic check for changes no refresh follows)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from django.db import transaction
from django.db.models import F

from kernel.webhooks import WebhookEndpoint, listens, webhook_publish
from projects.models import Project, ReadinessSnapshot

from .gate import blockers_for


def _counts(blockers) -> dict:
    return dict(sorted(Counter(blocker.category for blocker in blockers).items()))


def readiness_watch(project) -> bool:
    """Compare the project's blockers with what was last announced; publish when they differ.
    Does nothing (and costs one cache read) when no endpoint of the project listens."""
    if not listens(project.pk, "readiness.changed"):
        return False
    blockers = blockers_for(project, 1)
    by_category = _counts(blockers)
    stage2 = blockers_for(project, 2)
    stage2_by_category = _counts(stage2)
    fingerprint = hashlib.sha256(json.dumps([by_category, stage2_by_category]).encode()).hexdigest()
    with transaction.atomic():
        ReadinessSnapshot.objects.bulk_create(
            [ReadinessSnapshot(project=project, fingerprint="", generation=0)], ignore_conflicts=True
        )
        snapshot = ReadinessSnapshot.objects.get(project=project)
        if snapshot.fingerprint == fingerprint:
            return False
        # Two watchers at once: the conditional update lets one of them announce the change.
        claimed = ReadinessSnapshot.objects.filter(pk=snapshot.pk, generation=snapshot.generation).update(
            fingerprint=fingerprint, generation=F("generation") + 1
        )
        if not claimed:
            return False
        webhook_publish(
            project=project,
            name="readiness.changed",
            key=f"readiness.changed:{snapshot.generation + 1}",
            data={
                "ready": not blockers,
                "blockers": len(blockers),
                "by_category": by_category,
                "stage2": {"ready": not stage2, "blockers": len(stage2), "by_category": stage2_by_category},
            },
        )
    return True


def readiness_watch_all() -> int:
    project_ids = {
        project_id
        for project_id, events in WebhookEndpoint.objects.filter(active=True).values_list(
            "project_id", "events"
        )
        if "readiness.changed" in events
    }
    return sum(readiness_watch(project) for project in Project.objects.filter(pk__in=project_ids))
