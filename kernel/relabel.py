"""Model labels that changed, for reading archives made before the change (project transfers,
backups): a table moved to another app keeps its rows and columns, only its label differs.

The tables sms_tracker held moved to the apps whose role they are (issue 20 §1; migrations
sms_tracker 0009/0010). Strings only: the kernel imports no app.
"""

MOVED_LABELS = {
    "sms_tracker.report": "reports.report",
    "sms_tracker.reportschedule": "reports.reportschedule",
    "sms_tracker.outboxmessage": "notifications.outboxmessage",
    "sms_tracker.notificationpreference": "notifications.notificationpreference",
    "sms_tracker.webhookendpoint": "webhooks.webhookendpoint",
    "sms_tracker.webhookevent": "webhooks.webhookevent",
    "sms_tracker.webhookdelivery": "webhooks.webhookdelivery",
    "sms_tracker.throttleevent": "identity.throttleevent",
    "sms_tracker.readinesssnapshot": "projects.readinesssnapshot",
}


def current_label(label: str) -> str:
    """The label a model has today (lower case, as archives write it)."""
    return MOVED_LABELS.get(label, label)


def current_content_type(app_label: str, model: str) -> tuple[str, str]:
    """A content type row of an old archive, as it is today (the migration moved them alike)."""
    return tuple(current_label(f"{app_label}.{model}").split(".", 1))


# The migrations of that move: they change labels and table names, never a column. A backup made
# before them restores into a database migrated with them (backup/services.py).
MOVE_MIGRATIONS = {
    ("sms_tracker", "0009_tables_to_their_apps"),
    ("sms_tracker", "0010_tables_moved_out"),
    ("reports", "0001_initial"),
    ("notifications", "0001_initial"),
    ("webhooks", "0001_initial"),
    ("identity", "0001_initial"),
    ("projects", "0006_readinesssnapshot"),
}

# Their tables, renamed by sms_tracker 0009 (a backup keys its saved sequences by table).
MOVED_TABLES = {old.replace(".", "_"): new.replace(".", "_") for old, new in MOVED_LABELS.items()}


def current_table(table: str) -> str:
    return MOVED_TABLES.get(table, table)
