"""Reminders (the daily digest), the calendar feed and the notification settings page: the
integration layer that reads from the apps."""
