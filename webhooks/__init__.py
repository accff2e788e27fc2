"""Webhooks, the pages: a project's lead registers the addresses its events are posted to, sees
the delivery log, pings an endpoint and redelivers a failed delivery. Publishing and posting are the
kernel's (kernel/webhooks.py)."""
