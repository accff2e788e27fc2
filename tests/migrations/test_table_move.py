"""The tables sms_tracker held move to the apps whose role they are (issue 20 §1) with every row:
a database populated at the state before the move (sms_tracker 0008), migrated forward, holds the
same rows column for column under the new tables, the same files, the same content types (so the
permissions follow), continuing sequences and working foreign keys; migrated back, the same again."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kernel.relabel import MOVE_MIGRATIONS, MOVED_LABELS, MOVED_TABLES
from tests.factories import UserFactory, make_project

BEFORE = [("sms_tracker", "0008_throttle_events")]


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")
        return cursor.fetchall()


def _populate(old_apps, project, user) -> None:
    """At least one row in every moved table (two where ids could shift), through the models of the
    day; a report with its PDF on the storage."""
    model = old_apps.get_model
    now = timezone.now().replace(microsecond=123456)
    Report = model("sms_tracker", "Report")
    reports = []
    for n in range(2):
        report = Report.objects.create(
            project_id=project.pk,
            kind="management",
            title=f"Report {n}",
            status="done",
            checksum="ab" * 32,
            queued_at=now,
            started_at=now,
            finished_at=now + timedelta(seconds=3),
            attempts=1,
            page_count=4,
            size_bytes=11,
            requested_by_id=user.pk,
            trigger="manual",
            claimed_by="worker@1",
        )
        name = f"reports/{project.pk}/{report.pk}/management-{n}.pdf"
        saved = default_storage.save(name, ContentFile(f"%PDF-1.7 {n}".encode()))
        Report.objects.filter(pk=report.pk).update(file=saved)
        reports.append(report)
    Report.objects.filter(pk=reports[0].pk).delete()  # a gap in the ids: the sequence must not reuse it
    Report.objects.create(project_id=project.pk, kind="management", status="queued", queued_at=now)
    model("sms_tracker", "ReportSchedule").objects.create(
        project_id=project.pk, day_of_month=5, last_run_month=date(2026, 11, 1), version=3
    )
    model("sms_tracker", "OutboxMessage").objects.create(
        recipient_id=user.pk,
        subject_type="project",
        subject_id=project.pk,
        kind="monthly_report",
        day=date(2026, 12, 5),
        to_email="lead@example.com",
        subject="Monthly report",
        body_text="Hello",
        body_html="<p>Hello</p>",
        items=[{"key": "task:1", "title": "ünïcode"}],
        report_id=reports[1].pk,
        status="sent",
        attempts=1,
        claimed_at=now,
        sent_at=now,
    )
    model("sms_tracker", "NotificationPreference").objects.create(
        user_id=user.pk, digest_enabled=False, calendar_token="t" * 43, calendar_token_created_at=now
    )
    endpoint = model("sms_tracker", "WebhookEndpoint").objects.create(
        project_id=project.pk,
        url="https://hooks.example.com/in",
        events=["task.done"],
        secret="s" * 64,
        created_by_id=user.pk,
        version=2,
    )
    event = model("sms_tracker", "WebhookEvent").objects.create(
        project_id=project.pk, name="task.done", key="task.done:1", payload={"task": 1}, occurred_at=now
    )
    model("sms_tracker", "WebhookDelivery").objects.create(
        endpoint_id=endpoint.pk,
        event_id=event.pk,
        status="failed",
        attempts=5,
        next_attempt_at=now,
        claimed_at=now,
        last_status_code=502,
        last_error="Bad gateway",
    )
    model("sms_tracker", "ThrottleEvent").objects.create(
        scope="second_factor",
        user_id=user.pk,
        session="f" * 64,
        detail="totp",
        ip_address="2001:db8::1",
        created_at=now,
    )
    model("sms_tracker", "ReadinessSnapshot").objects.create(
        project_id=project.pk, fingerprint="c" * 64, generation=7
    )


def _snapshot(tables: dict) -> dict:
    """Every row of every moved table (keyed by the model label), all columns, in id order."""
    return {label: _rows(table) for label, table in tables.items()}


def _files(table: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT file FROM {table} WHERE file <> '' ORDER BY id")
        names = [name for (name,) in cursor.fetchall()]
    return {name: default_storage.open(name).read() for name in names}


@pytest.mark.timeout(600)
@pytest.mark.django_db(transaction=True)
def test_moving_the_tables_keeps_every_row_file_content_type_and_sequence():
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    project, user = make_project(name="Moved"), UserFactory()
    old_tables = {label: label.replace(".", "_") for label in MOVED_LABELS}
    new_tables = {label: MOVED_TABLES[table] for label, table in old_tables.items()}
    try:
        executor.migrate(BEFORE)
        applied = MigrationExecutor(connection).loader.applied_migrations
        assert not set(applied) & MOVE_MIGRATIONS
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        _populate(old_apps, project, user)
        report_type = ContentType.objects.get(app_label="sms_tracker", model="report")
        permissions = set(Permission.objects.filter(content_type=report_type).values_list("pk", "codename"))
        assert len(permissions) == 4
        before = _snapshot(old_tables)
        assert all(before.values()), "every moved table has rows before the move"
        files = _files("sms_tracker_report")
        assert len(files) == 1

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        moved = {MOVED_LABELS[label]: rows for label, rows in _snapshot(new_tables).items()}
        assert moved == {MOVED_LABELS[label]: rows for label, rows in before.items()}  # zero differences
        assert _files("reports_report") == files
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor)
        assert not [table for table in old_tables.values() if table in names]

        report_type.refresh_from_db()  # the same row, now the new app's: its permissions follow
        assert (report_type.app_label, report_type.model) == ("reports", "report")
        assert (
            set(Permission.objects.filter(content_type=report_type).values_list("pk", "codename"))
            == permissions
        )
        assert not ContentType.objects.filter(app_label="sms_tracker").exists()

        from notifications.models import OutboxMessage
        from reports.models import Report

        largest = max(row[0] for row in before["sms_tracker.report"])
        fresh = Report.objects.create(project=project, kind="management")
        assert fresh.pk == largest + 1  # the sequence went on where it was
        assert OutboxMessage.objects.get().report.title == "Report 1"  # the foreign key still joins
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "notifications_outboxmessage")
        assert ("reports_report", "id") in [
            c["foreign_key"] for c in constraints.values() if c["foreign_key"]
        ]
        fresh.delete()

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)  # and back: the same rows under the old tables
        assert _snapshot(old_tables) == before
        assert ContentType.objects.get(pk=report_type.pk).app_label == "sms_tracker"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
