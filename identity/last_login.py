"""`last_login` is written once a day, not at every sign-in.

Django stores the time of every sign-in (`update_last_login`); the product reads it only as "has this
account ever signed in" (invitations) and shows no time of day, so a second sign-in on the same day
changes nothing worth a write to the users table. allauth signs in through Django's `login()`, so
its flows send the same `user_logged_in` signal and are covered here.
"""

from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone


def record_last_login(sender, user, **kwargs):
    now = timezone.now()
    if user.last_login is not None and timezone.localdate(user.last_login) == timezone.localdate(now):
        return  # already signed in today: nothing changed
    user.last_login = now
    user.save(update_fields=["last_login"])


def connect_signals():
    """In place of Django's receiver (connected by django.contrib.auth, which is ready before us)."""
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_logged_in.connect(record_last_login, dispatch_uid="sms-tracker-last-login")
