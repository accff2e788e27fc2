from tests.permissions.matrix import Case, public, signed_in

CASES = [
    Case("home", lambda w: "/", signed_in(302)),
    Case("healthz", lambda w: "/healthz/", public()),
    # The whole admin namespace is Django's own; for non-staff users it answers with its login page.
    Case("admin:index", lambda w: "/admin/", public(302)),
]
