from tests.permissions.matrix import ROLES, Case, public, signed_in

CASES = [
    Case("home", lambda w: "/", signed_in(302)),
    Case("healthz", lambda w: "/healthz/", public()),
    # The language picker answers everyone (the sign-in page offers it) and redirects back to `next`
    # (here the sign-in page); a signed-in person's choice is stored on their account
    # (tests/i18n/test_language_choice.py).
    Case(
        "set_language",
        lambda w: "/i18n/setlang/",
        public(302),
        method="post",
        data=lambda w: {"language": "de", "next": "/accounts/login/"},
    ),
    Case("set_language", lambda w: "/i18n/setlang/", public(405), label="get-refused"),
    Case("javascript-catalog", lambda w: "/i18n/js/", public()),
    # Prometheus metrics: nobody in the matrix is staff, none sends the scraper's token.
    Case("metrics", lambda w: "/metrics/", {r: 404 for r in ROLES}),
    # The whole admin namespace is Django's own; for non-staff users it answers with its login page.
    Case("admin:index", lambda w: "/admin/", public(302)),
]
