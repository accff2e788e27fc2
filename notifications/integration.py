"""What notifications contributes from `projects` data: the reminders of open tasks (the other apps
declare reminders of their own records in their integration.py)."""

from kernel.extensions import Contributions

from .reminders import task_reminders

CONTRIBUTIONS = Contributions(reminder_sources=(task_reminders,))
