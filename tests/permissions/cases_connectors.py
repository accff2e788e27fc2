from connectors import services
from tests.permissions.matrix import Case, everyone_reads, only


def C(w):
    return f"/projects/{w.project.pk}/connectors/"


def jira(w):
    return w.obj(
        "connector-jira",
        lambda w: services.connector_create(
            project=w.project,
            user=w.user("lead"),
            kind="jira",
            name="Jira",
            base_url="http://127.0.0.1:1/",
            username="bot@example.com",
            secret="token",
        ),
    )


def csv_connector(w):
    return w.obj(
        "connector-csv",
        lambda w: services.connector_create(
            project=w.project, user=w.user("lead"), kind="csv", name="Export"
        ),
    )


def J(w):
    return C(w) + f"{jira(w).pk}/"


# Every member reads the connectors' state and tickets; only the lead manages them (they hold credentials).
CASES = [
    Case("connectors:list", C, everyone_reads()),
    Case("connectors:create", lambda w: C(w) + "new/", only("lead", ok=200)),
    Case(
        "connectors:create",
        lambda w: C(w) + "new/",
        only("lead", ok=302),
        method="post",
        data=lambda w: {"kind": "csv", "name": "Spreadsheet", "sync_every_minutes": "60"},
    ),
    Case(
        "connectors:create",
        lambda w: C(w) + "new/",
        only("lead", ok=422),
        method="post",
        data=lambda w: {"kind": "jira", "name": "No address", "sync_every_minutes": "60"},
        label="invalid",
    ),
    Case("connectors:detail", J, everyone_reads()),
    Case("connectors:progress", lambda w: J(w) + "progress/", everyone_reads()),
    Case("connectors:export", lambda w: J(w) + "tickets.xlsx", everyone_reads()),
    Case("connectors:edit", lambda w: J(w) + "edit/", only("lead", ok=200)),
    Case(
        "connectors:edit",
        lambda w: J(w) + "edit/",
        only("lead", ok=302),
        method="post",
        data=lambda w: {
            "name": "Jira SD",
            "base_url": "https://jira.example.com/",
            "sync_every_minutes": "30",
            "version": str(jira(w).version),
        },
    ),
    Case(
        "connectors:edit",
        lambda w: J(w) + "edit/",
        only("lead", ok=409),
        method="post",
        data=lambda w: {
            "name": "Jira SD",
            "base_url": "https://jira.example.com/",
            "sync_every_minutes": "30",
            "version": str(jira(w).version + 5),
        },
        label="stale",
    ),
    Case("connectors:delete", lambda w: J(w) + "delete/", only("lead", ok=200)),
    Case("connectors:delete", lambda w: J(w) + "delete/", only("lead", ok=302), method="post"),
    Case("connectors:test", lambda w: J(w) + "test/", only("lead", ok=302), method="post"),
    Case("connectors:sync", lambda w: J(w) + "sync/", only("lead", ok=302), method="post"),
    Case("connectors:import", lambda w: C(w) + f"{csv_connector(w).pk}/import/", only("lead", ok=200)),
    Case(
        "connectors:import_map",
        lambda w: C(w) + f"{csv_connector(w).pk}/import/map/",
        only("lead", ok=422),
        method="post",
        data=lambda w: {"token": "forged"},
    ),
]
