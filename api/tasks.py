from celery import shared_task

from .idempotency import purge_expired


@shared_task(acks_late=True)
def purge_idempotency_keys() -> int:
    """Idempotent: a second run finds nothing older than the TTL."""
    return purge_expired()
