"""One sign-in failure budget per account, whatever the spelling (issue 19 §2.5).

django-axes counts failures under the username it is given. allauth finds the account whatever the
case of the username (and the form strips spaces), so `THR1`, `Thr1` and ` thr1` all reach `thr1`;
counted as typed, each spelling had a budget of its own and a locked account still signed in under
another. axes asks this function (AXES_USERNAME_CALLABLE) for the name to count and to check the
lockout against: the account's own username when one matches (or the account whose address was
typed), otherwise the folded spelling, so unknown names share one budget too.
"""

from django.contrib.auth import get_user_model


def typed_username(request, credentials) -> str:
    if credentials:
        return credentials.get("username") or credentials.get("login") or ""
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return data.get("login") or data.get("username") or ""


def account_username(typed: str) -> str:
    folded = typed.strip().casefold()
    if not folded:
        return ""
    users = get_user_model().objects
    field = "email__iexact" if "@" in folded else "username__iexact"
    # Two accounts whose names differ only in case (possible in the admin): count under the
    # folded spelling, the one budget they then share.
    matches = list(users.filter(**{field: folded}).values_list("username", flat=True)[:2])
    return matches[0] if len(matches) == 1 else folded


def axes_username(request, credentials=None) -> str:
    return account_username(str(typed_username(request, credentials)))
