"""The import's bookkeeping in temporary tables of its own transaction, not in Python memory: the new
id of every imported row (old id -> new id, per model) and the work left for after all rows are in
(keys to rows inserted later, ids in plain fields, activity links, files). Memory stays that of one
batch of rows however many rows an archive holds."""

import secrets

from django.db import connection

FK, SOFT, URL, FILE, CITE, LINK = 1, 2, 3, 4, 5, 6  # kinds of pending work


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class IdMap:
    def __init__(self):
        suffix = secrets.token_hex(4)
        self.ids, self.pending = f"transfer_ids_{suffix}", f"transfer_pending_{suffix}"
        serial = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.ids} (label varchar(100) NOT NULL, old bigint NOT NULL, "
                "new bigint NOT NULL, PRIMARY KEY (label, old))"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.pending} (id {serial}, kind smallint NOT NULL, "
                "label varchar(100) NOT NULL, new_pk bigint NOT NULL, attname varchar(100) NOT NULL, "
                "target varchar(100), old bigint, text text)"
            )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.ids}")
            cursor.execute(f"DROP TABLE {self.pending}")

    # ids ----------------------------------------------------------------------------------------

    def add(self, label: str, pairs: list[tuple[int, int]]) -> None:
        if not pairs:
            return
        values = ", ".join(["(%s, %s, %s)"] * len(pairs))
        params = [v for old, new in pairs for v in (label, old, new)]
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.ids} (label, old, new) VALUES {values}", params)

    def get_many(self, label: str, olds) -> dict[int, int]:
        olds = list({old for old in olds if old is not None})
        if not olds:
            return {}
        found = {}
        with connection.cursor() as cursor:
            for start in range(0, len(olds), 1000):
                part = olds[start : start + 1000]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT old, new FROM {self.ids} WHERE label = %s AND old IN ({marks})", [label, *part]
                )
                found.update(cursor.fetchall())
        return found

    def as_dict(self) -> dict[str, dict[int, int]]:
        """Every mapping (tests compare an exported project with its import through it)."""
        mapping: dict[str, dict[int, int]] = {}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT label, old, new FROM {self.ids}")
            for label, old, new in cursor.fetchall():
                mapping.setdefault(label, {})[old] = new
        return mapping

    # pending work ---------------------------------------------------------------------------------

    def defer(self, rows: list[tuple]) -> None:
        """rows of (kind, label, new_pk, attname, target, old, text)."""
        if not rows:
            return
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.pending} (kind, label, new_pk, attname, target, old, text) "
                f"VALUES {values}",
                [v for row in rows for v in row],
            )

    def fill_keys(self, models_by_label: dict) -> tuple | None:
        """Sets every deferred key to the new id of the row it names; answers (label, target, old) of
        a key that names no imported row (FK work only: SOFT work is left empty then)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT kind, label, attname FROM {self.pending} WHERE kind IN (%s, %s)", [FK, SOFT]
            )
            groups = cursor.fetchall()
            for kind, label, attname in groups:
                model = models_by_label[label]
                table, pk = _q(model._meta.db_table), _q(model._meta.pk.column)
                column = _q(model._meta.get_field(attname).column if attname != "pk" else pk)
                cursor.execute(
                    f"UPDATE {table} SET {column} = m.new FROM {self.pending} p JOIN {self.ids} m "
                    "ON m.label = p.target AND m.old = p.old "
                    f"WHERE p.kind = %s AND p.label = %s AND p.attname = %s AND {table}.{pk} = p.new_pk",
                    [kind, label, attname],
                )
            cursor.execute(
                f"SELECT p.label, p.target, p.old FROM {self.pending} p LEFT JOIN {self.ids} m "
                "ON m.label = p.target AND m.old = p.old WHERE p.kind = %s AND m.new IS NULL LIMIT 1",
                [FK],
            )
            return cursor.fetchone()

    def citations(self, batch: int = 500):
        """Batches of (label, new_pk, target, old, new) of the cited entries, in order: `new` is the
        imported entry's id, None when the archive holds no such entry (or the kind names no model)."""
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT p.id, p.label, p.new_pk, p.target, p.old, m.new FROM {self.pending} p "
                    f"LEFT JOIN {self.ids} m ON m.label = p.target AND m.old = p.old "
                    "WHERE p.kind = %s AND p.id > %s ORDER BY p.id LIMIT %s",
                    [CITE, last, batch],
                )
                rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [row[1:] for row in rows]

    def work(self, kind: int, batch: int = 500):
        """Batches of (label, new_pk, attname, text) of one kind of pending work, in order."""
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, label, new_pk, attname, text FROM {self.pending} "
                    "WHERE kind = %s AND id > %s ORDER BY id LIMIT %s",
                    [kind, last, batch],
                )
                rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [row[1:] for row in rows]
