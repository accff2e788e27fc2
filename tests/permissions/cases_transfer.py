from tests.permissions.matrix import Case, only, signed_in

CASES = [
    Case("transfer:export", lambda w: f"/projects/{w.project.pk}/export/", only("lead", ok=200)),
    Case("transfer:download", lambda w: f"/projects/{w.project.pk}/export/archive/", only("lead", ok=200)),
    Case("transfer:import", lambda w: "/projects/import/", signed_in()),
    Case(
        "transfer:import",
        lambda w: "/projects/import/",
        signed_in(422),
        method="post",
        data=lambda w: {},
        label="no-file",
    ),
]
