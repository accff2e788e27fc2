from tests.permissions.matrix import ROLES, Case, public, signed_in

CASES = [
    Case("home", lambda w: "/", signed_in(302)),
    Case("login", lambda w: "/accounts/login/", {**{r: 302 for r in ROLES}, "anonymous": 200}),
    Case("logout", lambda w: "/accounts/logout/", public(302), method="post"),
    Case("password_change", lambda w: "/accounts/password/change/", signed_in()),
    Case("password_change_done", lambda w: "/accounts/password/change/done/", signed_in()),
    Case("password_reset", lambda w: "/accounts/password/reset/", public()),
    Case("password_reset_done", lambda w: "/accounts/password/reset/sent/", public()),
    Case("password_reset_confirm", lambda w: "/accounts/reset/MQ/bad-token/", public()),
    Case("password_reset_complete", lambda w: "/accounts/reset/done/", public()),
    Case("healthz", lambda w: "/healthz/", public()),
    # The whole admin namespace is Django's own; for non-staff users it answers with its login page.
    Case("admin:index", lambda w: "/admin/", public(302)),
]
