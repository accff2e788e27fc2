"""Run the daily reminder sweep now: record today's digests in the outbox and send them."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kernel import outbox
from notifications import reminders


class Command(BaseCommand):
    help = "Run the reminder sweep now. --dry-run lists who would get what and writes or sends nothing."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        if dry_run:
            planned = reminders.plan_digests(today=today)
            for digest in planned:
                user, own = digest.user, len(digest.own)
                self.stdout.write(
                    f"{user.username} <{user.email}>: {own} own, {digest.escalated_count} escalated"
                )
                for item in digest.own:
                    line = f"[{item.category}] {item.title} (due {item.due_date}, {item.project_name})"
                    self.stdout.write(f"  - {line}")
                for escalation in digest.escalated:
                    self.stdout.write(
                        f"  ! {escalation.project_name}: {escalation.count} escalated (overdue too long)"
                    )
            self.stdout.write(
                f"Dry run: {len(planned)} digest(s) would be recorded; nothing written or sent."
            )
            return
        ids = reminders.reminder_sweep(today=today)
        results = [outbox.outbox_send(message_id=message_id) for message_id in ids]
        self.stdout.write(
            f"{len(ids)} digest(s) waiting; sent {results.count('sent')}, "
            f"skipped {results.count('skipped')} (already being sent), failed {results.count('failed')}."
        )
