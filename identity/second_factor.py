"""The second-factor step throttled (issue 19 §2.1): TOTP, recovery codes and security keys.

allauth's own limit for this step counts in the cache under its "login_failed" rate, which is off
here (settings: axes throttles passwords); without this, 452 wrong codes in 30 seconds were all
answered "Incorrect code." and the right one still worked. Every wrong code or key is a row
(ThrottleEvent, scope second_factor) counted per account and per browser session; past the limit
the step is refused, the right code included, until the window has moved on. If the count cannot
be read or written the step is refused too.
"""

import hashlib
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel import throttle
from kernel.client_ip import client_ip

logger = logging.getLogger(__name__)
SCOPE = "second_factor"  # the throttle scope identity contributes (identity/integration.py)
UNAVAILABLE = gettext_lazy("The code cannot be checked just now. Try again in a minute.")


def limit() -> throttle.Limit:
    return throttle.Limit(
        scope=SCOPE,
        per_user=settings.SECOND_FACTOR_FAILURES_PER_USER,
        per_session=settings.SECOND_FACTOR_FAILURES_PER_SESSION,
        window=timedelta(minutes=settings.SECOND_FACTOR_WINDOW_MINUTES),
    )


def too_many(wait: timedelta) -> str:
    return _("Too many wrong codes. Try again in %(wait)s.") % {"wait": throttle.minutes(wait)}


def code_method(code: str) -> str:
    """What the person typed: a TOTP code is six digits; anything else is tried as a recovery code."""
    return "totp" if re.fullmatch(r"\s*\d{6}\s*", code or "") else "recovery_code"


def _session(request) -> str:
    session = getattr(request, "session", None)
    if session is None:
        return ""
    if not session.session_key:
        session.save()
    return hashlib.sha256(session.session_key.encode()).hexdigest()


def checked(request, user, method: str, verify):
    """verify() under the throttle: its result, or ValidationError (wrong, or locked out)."""
    current = limit()
    wrong = None
    try:
        with transaction.atomic():
            throttle.lock_account(user.pk)
            session = _session(request)
            wait = throttle.retry_after(current, user_id=user.pk, session=session)
            if wait is None:
                try:
                    return verify()
                except ValidationError as error:
                    wrong = error
                throttle.record(
                    current,
                    user_id=user.pk,
                    session=session,
                    detail=method,
                    ip_address=client_ip(request) or None,
                )
                wait = throttle.retry_after(current, user_id=user.pk, session=session)
    except DatabaseError:
        logger.exception("Second-factor throttle unavailable; refused the %s of user %s", method, user.pk)
        raise ValidationError(UNAVAILABLE, code="throttle_unavailable") from None
    if wait is None:
        raise wrong
    logger.warning("Second factor locked for user %s (%s); %s left", user.pk, method, wait)
    raise ValidationError(too_many(wait), code="too_many_codes")
