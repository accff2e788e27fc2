"""No tables: the ones that lived here moved to the apps whose role they are (reports,
notifications, webhooks, identity, projects) with their rows; sms_tracker/migrations keeps the
history that moved them (0009, 0010)."""
