from tests.permissions.matrix import ROLES, Case, public, signed_in

CASES = [
    Case("home", lambda w: "/", signed_in(302)),
    Case("healthz", lambda w: "/healthz/", public()),
    # Prometheus metrics: nobody in the matrix is staff, none sends the scraper's token.
    Case("metrics", lambda w: "/metrics/", {r: 404 for r in ROLES}),
    # The whole admin namespace is Django's own; for non-staff users it answers with its login page.
    Case("admin:index", lambda w: "/admin/", public(302)),
]
