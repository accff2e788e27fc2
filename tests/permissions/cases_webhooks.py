from tests.factories import make_webhook, make_webhook_delivery
from tests.permissions.matrix import Case, only


def W(w):
    return f"/projects/{w.project.pk}/webhooks/"


def endpoint(w):
    return w.obj("webhook", lambda w: make_webhook(w.project, user=w.user("lead")))


def failed_delivery(w):
    return w.obj("webhook-delivery", lambda w: make_webhook_delivery(endpoint(w)))


def E(w):
    return W(w) + f"{endpoint(w).pk}/"


# Endpoints carry their signing secrets: only the lead sees or changes them.
CASES = [
    Case("webhooks:list", W, only("lead", ok=200)),
    Case("webhooks:create", lambda w: W(w) + "new/", only("lead", ok=200)),
    Case(
        "webhooks:create",
        lambda w: W(w) + "new/",
        only("lead", ok=302),
        method="post",
        data=lambda w: {"url": "https://hooks.example.com/new", "events": ["task.done"], "active": "on"},
    ),
    Case(
        "webhooks:create",
        lambda w: W(w) + "new/",
        only("lead", ok=422),
        method="post",
        data=lambda w: {"url": "http://127.0.0.1:8000/", "events": ["task.done"]},
        label="internal-address",
    ),
    Case("webhooks:detail", E, only("lead", ok=200)),
    Case("webhooks:edit", lambda w: E(w) + "edit/", only("lead", ok=200)),
    Case(
        "webhooks:edit",
        lambda w: E(w) + "edit/",
        only("lead", ok=302),
        method="post",
        data=lambda w: {
            "url": "https://hooks.example.com/changed",
            "events": ["task.done", "finding.raised"],
            "active": "on",
            "version": str(endpoint(w).version),
        },
    ),
    Case("webhooks:delete", lambda w: E(w) + "delete/", only("lead", ok=200)),
    Case("webhooks:delete", lambda w: E(w) + "delete/", only("lead", ok=302), method="post"),
    Case("webhooks:ping", lambda w: E(w) + "ping/", only("lead", ok=302), method="post"),
    Case(
        "webhooks:redeliver",
        lambda w: E(w) + f"deliveries/{failed_delivery(w).pk}/redeliver/",
        only("lead", ok=302),
        method="post",
    ),
]
