"""The periodic readiness check for webhooks. Posting deliveries and the flush are the delivery
machinery's tasks, kernel/webhooks.py."""

from celery import shared_task

from readiness.watch import readiness_watch_all


@shared_task(acks_late=True)
def webhooks_readiness() -> int:
    """Announce readiness changes of projects whose webhooks listen for them (also after each
    progress refresh; this catches changes no refresh follows, e.g. a finding closed)."""
    return readiness_watch_all()
