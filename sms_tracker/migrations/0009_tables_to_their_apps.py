"""Moving the tables out of sms_tracker, step 1 of 3 (issue 20 §1): the database side.

Each table takes the name Django gives it in its new app (reports_report, notifications_outboxmessage,
...), and the indexes named after the old table are renamed likewise, so the new apps' models need no
db_table and `makemigrations` finds nothing to do. Renaming keeps every row, primary-key sequence
(PostgreSQL identity columns belong to their column) and foreign key (constraints follow a renamed
table). Step 2 is each new app's first migration (the models enter its state, nothing in the
database); step 3, sms_tracker 0010, leaves them out of sms_tracker's state and moves their content
types (so permissions and admin log entries keep pointing at them).
"""

from django.db import migrations

MOVED = {  # model -> its new table
    "report": "reports_report",
    "reportschedule": "reports_reportschedule",
    "outboxmessage": "notifications_outboxmessage",
    "notificationpreference": "notifications_notificationpreference",
    "webhookendpoint": "webhooks_webhookendpoint",
    "webhookevent": "webhooks_webhookevent",
    "webhookdelivery": "webhooks_webhookdelivery",
    "throttleevent": "identity_throttleevent",
    "readinesssnapshot": "projects_readinesssnapshot",
}

INDEXES = [  # (model, old name, the name Django gives the same index in the new app)
    ("report", "sms_tracker_project_11e98b_idx", "reports_rep_project_636f22_idx"),
    ("report", "sms_tracker_status_68d9d8_idx", "reports_rep_status_887e0c_idx"),
    ("outboxmessage", "sms_tracker_status_3e6b53_idx", "notificatio_status_6badff_idx"),
    ("webhookdelivery", "sms_tracker_status_aed0d7_idx", "webhooks_we_status_afd94b_idx"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("sms_tracker", "0008_throttle_events"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=model, table=table) for model, table in MOVED.items()),
        *(
            migrations.RenameIndex(model_name=model, new_name=new, old_name=old)
            for model, old, new in INDEXES
        ),
    ]
