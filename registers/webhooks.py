"""Webhook events of the registers (issue 23 §1): register.created, register.updated and
register.deleted, published in the transaction of the write (the webhook outbox) whichever surface
made it — the pages, the API or an import — by receivers of the models' save and delete signals.
A project without a listening endpoint pays one cache read; deleting a record announces that
record only (not the SLA months or measurements that go with it)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from kernel.webhooks import actor, listens, site_url, webhook_publish

from .kinds import KINDS
from .models import ContextDetermination

KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}


def _project_id(instance, path: str):
    target = instance
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part)
    return getattr(target, parts[-1] + "_id")


def _payload(instance, register: str) -> dict:
    url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
    return {
        "register": register,
        "id": instance.pk,
        "label": str(instance),
        "version": instance.version,
        "url": site_url(url) if url else "",
        "actor": actor(getattr(instance, "_history_user", None)),
    }


def _register_of(instance):
    if isinstance(instance, ContextDetermination):
        return "context", "project"
    kind = KIND_OF_MODEL.get(type(instance))
    return (kind.key, kind.project_path) if kind else (None, None)


def on_save(sender, instance, created, raw=False, **kwargs):
    register, path = _register_of(instance)
    if register is None or raw:
        return
    project_id = _project_id(instance, path)
    name = "register.created" if created else "register.updated"
    if not listens(project_id, name):
        return
    label = instance._meta.label_lower
    key = f"{name}:{label}:{instance.pk}" + ("" if created else f":v{instance.version}")
    webhook_publish(project=project_id, name=name, key=key, data=_payload(instance, register))


def on_delete(sender, instance, origin=None, **kwargs):
    if origin is not None and origin is not instance:
        return  # deleted with its parent: the parent's event says so
    register, path = _register_of(instance)
    if register is None:
        return
    project_id = _project_id(instance, path)
    if not listens(project_id, "register.deleted"):
        return
    data = _payload(instance, register)
    data["url"] = ""
    webhook_publish(
        project=project_id,
        name="register.deleted",
        key=f"register.deleted:{instance._meta.label_lower}:{instance.pk}",
        data=data,
    )


def connect() -> None:
    for model in [*KIND_OF_MODEL, ContextDetermination]:
        uid = f"registers-webhooks-{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid + "-delete")
