"""Tables the kernel's machinery works on but does not own (the kernel has no tables).

The outbox (kernel/outbox.py), the webhook events and deliveries (kernel/webhooks.py) and the
throttle events (kernel/throttle.py) are machinery every app may use; their tables belong to the app
whose role they are (notifications, webhooks, identity), which hands them over in its
AppConfig.ready():

    provide("outbox", OutboxMessage)

The kernel names a role, never an app, so it imports none of them.
"""

_TABLES: dict = {}


def provide(role: str, model) -> None:
    _TABLES[role] = model


def table(role: str):
    try:
        return _TABLES[role]
    except KeyError:
        raise LookupError(f"No installed app provides the {role!r} table.") from None


class Table:
    """Stands for the table an app provides under `role`: `Table("outbox").objects` and
    `Table("outbox")(...)` reach the model once the apps are ready."""

    def __init__(self, role: str):
        self.role = role

    def __getattr__(self, name):
        return getattr(table(self.role), name)

    def __call__(self, *args, **kwargs):
        return table(self.role)(*args, **kwargs)

    def __repr__(self):
        return f"<table provided for {self.role!r}>"
