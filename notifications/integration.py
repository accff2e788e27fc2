"""What notifications contributes: the reminders of open tasks (the other apps declare reminders of
their own records in their integration.py) and the daily digest e-mail, whose text is written when
it is sent."""

from kernel.extensions import Contributions, EmailKind

from .reminders import digest_bodies, task_reminders

CONTRIBUTIONS = Contributions(
    reminder_sources=(task_reminders,),
    email_kinds=(EmailKind("digest", "Daily reminder digest", render=digest_bodies),),
)
