"""Moving the tables out of sms_tracker, step 3 of 3 (see 0009): the models leave sms_tracker's
state (their tables now belong to the new apps), and their content types follow them, so the
permissions, admin log entries and any generic relation keep pointing at the same rows."""

from django.db import migrations

MOVED = {  # model -> its new app
    "report": "reports",
    "reportschedule": "reports",
    "outboxmessage": "notifications",
    "notificationpreference": "notifications",
    "webhookendpoint": "webhooks",
    "webhookevent": "webhooks",
    "webhookdelivery": "webhooks",
    "throttleevent": "identity",
    "readinesssnapshot": "projects",
}


def _move_content_types(apps, schema_editor, *, forward):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app in MOVED.items():
        old, new = ("sms_tracker", app) if forward else (app, "sms_tracker")
        # A content type made for the new label before (e.g. by a test run) is an empty duplicate.
        if ContentType.objects.using(db).filter(app_label=old, model=model).exists():
            ContentType.objects.using(db).filter(app_label=new, model=model).delete()
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def forward(apps, schema_editor):
    _move_content_types(apps, schema_editor, forward=True)


def backward(apps, schema_editor):
    _move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("sms_tracker", "0009_tables_to_their_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
        ("notifications", "0001_initial"),
        ("webhooks", "0001_initial"),
        ("identity", "0001_initial"),
        ("projects", "0006_readinesssnapshot"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        # State only: the tables stay, under their new apps.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="outboxmessage",
                    name="recipient",
                ),
                migrations.RemoveField(
                    model_name="outboxmessage",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="readinesssnapshot",
                    name="project",
                ),
                migrations.RemoveField(
                    model_name="report",
                    name="project",
                ),
                migrations.RemoveField(
                    model_name="report",
                    name="requested_by",
                ),
                migrations.RemoveField(
                    model_name="reportschedule",
                    name="project",
                ),
                migrations.RemoveField(
                    model_name="throttleevent",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="webhookdelivery",
                    name="endpoint",
                ),
                migrations.RemoveField(
                    model_name="webhookdelivery",
                    name="event",
                ),
                migrations.RemoveField(
                    model_name="webhookendpoint",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="webhookendpoint",
                    name="project",
                ),
                migrations.RemoveField(
                    model_name="webhookevent",
                    name="project",
                ),
                migrations.DeleteModel(
                    name="NotificationPreference",
                ),
                migrations.DeleteModel(
                    name="OutboxMessage",
                ),
                migrations.DeleteModel(
                    name="ReadinessSnapshot",
                ),
                migrations.DeleteModel(
                    name="Report",
                ),
                migrations.DeleteModel(
                    name="ReportSchedule",
                ),
                migrations.DeleteModel(
                    name="ThrottleEvent",
                ),
                migrations.DeleteModel(
                    name="WebhookDelivery",
                ),
                migrations.DeleteModel(
                    name="WebhookEndpoint",
                ),
                migrations.DeleteModel(
                    name="WebhookEvent",
                ),
            ],
        ),
    ]
