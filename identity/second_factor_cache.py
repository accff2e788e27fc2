"""A second factor added, removed or reset changes which MFA-required projects the user's lists show
(identity/mfa.py `hidden_projects`): the user's own cached parts (project list, My work) go."""

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset

from kernel import pagecache


def second_factor_changed(sender, request=None, user=None, **kwargs):
    pagecache.user_changed(getattr(user, "pk", None))


def connect_signals():
    for signal in (authenticator_added, authenticator_removed, authenticator_reset):
        signal.connect(second_factor_changed, dispatch_uid=f"sms-tracker-mfa-cache-{id(signal)}")
