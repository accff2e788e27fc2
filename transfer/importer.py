"""Imports a verified archive (verify.py) as a NEW project: every row gets a new key, keys between
exported rows are rewritten, shared content is found by natural key. data.json is read a second time
as a stream (stream.py) and inserted in batches; the ids and the work left for later live in
temporary tables (idmap.py), so memory does not grow with the archive.

Nobody becomes a member by the import but the importer, who leads the new project (issue 19 defect
3): the people the archive names are matched with no account here (the import never tells whether an
address has one) — rows that name them name an inactive account without e-mail or password that
carries their name, and the job page lets the importer invite whom they choose.

One transaction: a refusal or an error leaves nothing behind, and the files already written to
storage are deleted again. A database refusal is told as what is wrong, in words, never as the
database's message with the row in it (issue 19 defect 11); the detail goes to the log."""

import json
import logging
import re
import secrets
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, models, router, transaction
from django.utils.translation import gettext as _

from kernel.extensions import evidence_sources
from kernel.models import Role
from kernel.uploads import safe_filename, validate_upload

from . import archive, graph, rules
from .archive import ArchiveRefused
from .dberrors import database_refusal
from .idmap import CITE, FILE, FK, LINK, SOFT, URL, IdMap
from .links import SiteLinks, needed_ids, new_url, parse_url
from .plan import Plan
from .rows import RowReader
from .stream import Limits, chunks, events
from .verify import open_verified

logger = logging.getLogger(__name__)

BATCH = 500
BATCH_BYTES = 4 * 1024 * 1024
NOTES_SHOWN = 50  # notes listed one by one; more are counted


class Progress:
    """What the import tells while it runs; the job service writes it where the job page reads it."""

    def checked(self, done: int, total: int) -> None:
        pass

    def stage(self, stage: str) -> None:
        pass

    def rows(self, done: int) -> None:
        pass


@dataclass
class ImportResult:
    project: object
    id_map: dict = field(default_factory=dict)  # label -> {old id: new id}, when asked for
    people: list = field(default_factory=list)  # dicts: the archive's people and their account here
    notes: list = field(default_factory=list)  # what the import left out, for the importer


def import_archive(
    source, *, lead, storage=None, progress=None, on_success=None, keep_id_map=False, limits=None
) -> ImportResult:
    """Import the archive at `source` (a path or a binary file) with `lead` as the new project's
    lead; `on_success(result)` runs inside the import's transaction."""
    if lead is None:
        raise ArchiveRefused(_("Name the person who leads the imported project."))
    storage = storage or default_storage
    progress = progress or Progress()
    limits = limits or Limits.from_settings()
    progress.stage("checking")
    zf, manifest, outline = open_verified(source, limits=limits, progress=progress)
    with zf:
        plan = Plan(manifest, outline)
        saved: list[str] = []
        try:
            with transaction.atomic():
                result = _Import(plan, zf, storage, saved, lead, progress, limits).run(keep_id_map)
                if on_success is not None:
                    on_success(result)
                return result
        except ArchiveRefused:
            _delete(storage, saved)
            raise
        except DatabaseError as error:
            _delete(storage, saved)
            logger.warning("Import refused by the database: %s", error)
            raise ArchiveRefused(database_refusal(error)) from error
        except BaseException:
            _delete(storage, saved)
            raise


def _delete(storage, names) -> None:
    for name in names:
        storage.delete(name)


def _username_base(person: dict) -> str:
    base = re.sub(r"[^\w.@+-]+", "", person.get("username") or "", flags=re.ASCII)[:100]
    return base or "person"


class _Import:
    def __init__(self, plan, zf, storage, saved, lead, progress, limits):
        self.plan, self.zf, self.storage, self.saved, self.lead = plan, zf, storage, saved, lead
        self.progress, self.limits = progress, limits
        self.order = [table.label for table in plan.tables]
        self.tables = {table.label: table for table in plan.tables}
        self.done: set[str] = set()
        self.spooled: dict[str, tempfile.SpooledTemporaryFile] = {}
        self.batch: list = []
        self.batch_bytes = 0
        self.rows_read = 0
        self.project_pk = self.source_pk = None
        self.roles: dict[int, str] = {}  # archive person -> role in the source project

    def run(self, keep_id_map: bool) -> ImportResult:
        self.ids = IdMap()
        self.users = self._map_users()
        self.progress.stage("rows")
        reader = RowReader(self.limits, self._table_start, self._row, self._table_end)
        with self.zf.open(archive.DATA) as member:
            for prefix, event, value in events(chunks(member), self.limits):
                reader.feed(prefix, event, value)
        missing = [label for label in self.order if label not in self.done]
        if missing:
            raise ArchiveRefused(
                _("data.json in the archive is malformed: no rows of %(table)s.") % {"table": missing[0]}
            )
        self._fill_keys()
        self._project = apps.get_model(graph.PROJECT)._base_manager.get(pk=self.project_pk)
        notes = self._remap_citations()
        self._rewrite_urls()
        notes += SiteLinks(
            ids=self.ids,
            tables=self.tables,
            kind=LINK,
            source_pk=self.source_pk,
            project_pk=self.project_pk,
            source_site=self.plan.source_site,
        ).run()
        self.progress.stage("files")
        self._store_files()
        self.progress.stage("finishing")
        project = apps.get_model(graph.PROJECT)._base_manager.get(pk=self.project_pk)
        apps.get_model("projects.membership")._base_manager.create(
            project=project, user=self.lead, role=Role.LEAD
        )
        result = ImportResult(project=project, people=self._people(), notes=notes)
        if keep_id_map:
            result.id_map = self.ids.as_dict()
        self.ids.drop()
        return result

    # people -------------------------------------------------------------------------------------

    def _map_users(self) -> dict[int, int]:
        """Each person of the archive -> an account here: the importer for the importer's own address,
        else a new inactive account without e-mail or password that carries the name."""
        User = apps.get_model(rules.USER_MODEL)
        own = (self.lead.email or "").strip().lower()
        mapped, placeholders = {}, {}
        for old, person in self.plan.people.items():
            if own and (person.get("email") or "").strip().lower() == own:
                mapped[old] = self.lead.pk
                continue
            placeholders[old] = User(
                username=f"{_username_base(person)}-imported-{secrets.token_hex(3)}",
                email="",
                first_name=(person.get("first_name") or "")[:150],
                last_name=(person.get("last_name") or "")[:150],
                is_active=False,
                password=make_password(None),
            )
        taken = set(
            User._base_manager.filter(username__in=[u.username for u in placeholders.values()]).values_list(
                "username", flat=True
            )
        )
        for old, user in placeholders.items():
            while user.username in taken:
                user.username = f"{_username_base(self.plan.people[old])}-imported-{secrets.token_hex(4)}"
            taken.add(user.username)
        created = User._base_manager.bulk_create(list(placeholders.values()), batch_size=BATCH)
        mapped.update({old: user.pk for old, user in zip(placeholders, created, strict=True)})
        return mapped

    def _people(self) -> list[dict]:
        return [
            {
                "archive_id": old,
                "username": (person.get("username") or "")[:150],
                "email": (person.get("email") or "")[:254],
                "first_name": (person.get("first_name") or "")[:150],
                "last_name": (person.get("last_name") or "")[:150],
                "archive_role": self.roles.get(old, "") if self.roles.get(old) in Role.values else "",
                "account_id": self.users[old],
                "is_importer": self.users[old] == self.lead.pk,
            }
            for old, person in self.plan.people.items()
        ]

    # the stream of tables -------------------------------------------------------------------------

    def _ready(self, label: str) -> bool:
        return all(before in self.done for before in self.order[: self.order.index(label)])

    def _table_start(self, label: str, fields: list) -> None:
        table = self.tables.get(label)
        if table is None or fields != table.names:
            raise ArchiveRefused(_("data.json in the archive is malformed: its tables changed while read."))
        self.current = label
        if not self._ready(label):  # listed before a table it needs: kept on disk until its turn
            self.spooled[label] = tempfile.SpooledTemporaryFile(max_size=BATCH_BYTES, mode="w+b")

    def _row(self, row, size: int) -> None:
        spool = self.spooled.get(self.current)
        if spool is not None:
            spool.write(archive.dumps([row, size]) + b"\n")
            return
        self._add(self.current, row, size)

    def _table_end(self, label: str) -> None:
        if label in self.spooled:
            return
        self._finish(label)
        for waiting in [lbl for lbl in self.order if lbl in self.spooled]:
            if not self._ready(waiting):
                break
            spool = self.spooled.pop(waiting)
            spool.seek(0)
            for line in spool:
                row, size = json.loads(line)
                self._add(waiting, row, size)
            spool.close()
            self._finish(waiting)

    def _add(self, label: str, row, size: int) -> None:
        table = self.tables[label]
        if not isinstance(row, list) or len(row) != len(table.fields):
            raise ArchiveRefused(
                _(
                    "data.json in the archive is malformed: a row of %(table)s does not have "
                    "its %(count)s values."
                )
                % {"table": label, "count": len(table.fields)}
            )
        self.batch.append(row)
        self.batch_bytes += size
        if len(self.batch) >= BATCH or self.batch_bytes >= BATCH_BYTES:
            self._flush(table)

    def _finish(self, label: str) -> None:
        self._flush(self.tables[label])
        self.done.add(label)

    # rows ---------------------------------------------------------------------------------------

    def _flush(self, table) -> None:
        rows, self.batch, self.batch_bytes = self.batch, [], 0
        if not rows:
            return
        self.rows_read += len(rows)
        self.progress.rows(self.rows_read)
        if table.label in rules.NOT_IMPORTED:
            if table.label == "projects.membership":
                user, role = table.names.index("user_id"), table.names.index("role")
                self.roles.update({row[user]: row[role] for row in rows if isinstance(row[user], int)})
            return
        keys = self._resolve_keys(table, rows)
        model = table.model
        objs, olds, later = [], [], []
        for row in rows:
            old = row[table.pk]
            if type(old) is not int:
                raise ArchiveRefused(
                    _("data.json in the archive is malformed: a key of %(table)s.") % {"table": table.label}
                )
            values, deferred = self._values(table, row, keys)
            if values is None:
                continue  # a history row of a row that is not imported
            objs.append(model(**values))
            olds.append(old)
            later.append(deferred)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        using = router.db_for_write(model)
        if objs:
            # raw=True, as loaddata saves: no auto_now stamps (created_at and updated_at are kept)
            returned = model._base_manager._insert(
                objs, fields=fields, returning_fields=[model._meta.pk], raw=True, using=using
            )
            new_pks = [new_pk for (new_pk,) in returned]
        else:
            new_pks = []
        try:
            self.ids.add(table.label, list(zip(olds, new_pks, strict=True)))
        except DatabaseError as error:
            raise ArchiveRefused(
                _("data.json lists a row of %(table)s twice.") % {"table": table.label}
            ) from error
        if table.label == graph.PROJECT and new_pks:
            self.project_pk, self.source_pk = new_pks[0], olds[0]
        self.ids.defer(
            [
                (kind, table.label, new_pk, attname, target, old, text)
                for new_pk, deferred in zip(new_pks, later, strict=True)
                for kind, attname, target, old, text in deferred
            ]
        )

    def _resolve_keys(self, table, rows) -> dict[str, dict]:
        """attname -> {old id: new id} for the keys of these rows to rows already imported."""
        keys = {}
        for index, f in enumerate(table.fields):
            target = table.targets.get(f.attname)
            if target is None or target in (rules.USER_MODEL, table.label) or target in self.plan.globals:
                continue
            if target in self.done:
                keys[f.attname] = self.ids.get_many(target, (row[index] for row in rows))
        if table.history_of:  # the id of the row a history row records
            index = table.names.index(table.history_pk)
            keys[table.history_pk] = self.ids.get_many(table.history_of, (row[index] for row in rows))
        return keys

    def _values(self, table, row, keys):
        label = table.label
        values, deferred = {}, []
        by_name = None
        for f, value in zip(table.fields, row, strict=True):
            if f.primary_key:
                continue
            attname = f.attname
            target = table.targets.get(attname)
            if target is not None:
                values[attname] = self._key(table, f, target, value, keys, deferred)
            elif table.history_of and attname == table.history_pk:
                values[attname] = keys.get(attname, {}).get(value)
                if values[attname] is None:
                    return None, None
            elif label in rules.CITATIONS and attname == "entry_id":
                # kept until every row is in (a citation needs its id): then remapped or left out
                if value is not None and type(value) is not int:
                    raise ArchiveRefused(
                        _("data.json holds a value of the wrong form in %(table)s, field %(field)s.")
                        % {"table": label, "field": f.name}
                    )
                values[attname] = value
                if value is not None:
                    by_name = by_name or dict(zip(table.names, row, strict=True))
                    cited = rules.CITED_ENTRIES.get(by_name.get("entry_kind"))
                    deferred.append((CITE, attname, cited, value, None))
            elif (label, attname) in rules.SOFT_REFERENCES:
                values[attname] = None
                by_name = by_name or dict(zip(table.names, row, strict=True))
                soft = rules.soft_reference_target(label, attname, by_name)
                if soft is not None and type(value) is int:
                    deferred.append((SOFT, attname, soft, value, None))
            elif (label, attname) in rules.SITE_LINKS:
                # kept until every row is in (the row needs its link): then its ids are rewritten
                if not isinstance(value, str):
                    raise ArchiveRefused(
                        _("data.json holds a value of the wrong form in %(table)s, field %(field)s.")
                        % {"table": label, "field": f.name}
                    )
                values[attname] = value
                if value:
                    deferred.append((LINK, attname, None, None, str(value)))
            elif (label, attname) in rules.URL_FIELDS:
                values[attname] = ""
                if value:
                    deferred.append((URL, attname, None, None, str(value)))
            elif isinstance(f, models.FileField):
                values[attname] = value
                if value:
                    deferred.append((FILE, attname, None, None, str(value)))
            elif isinstance(f, models.JSONField):
                values[attname] = value
            else:
                try:
                    values[attname] = f.to_python(value)
                except (ValidationError, TypeError, ValueError) as error:
                    raise ArchiveRefused(
                        _("data.json holds a value of the wrong form in %(table)s, field %(field)s.")
                        % {"table": label, "field": f.name}
                    ) from error
        return values, deferred

    def _key(self, table, f, target, value, keys, deferred):
        if value is None:
            return None
        if type(value) is not int:
            raise ArchiveRefused(
                _("data.json in the archive is malformed: a key in %(table)s.%(field)s.")
                % {"table": table.label, "field": f.name}
            )
        if target == rules.USER_MODEL:
            if value not in self.users:
                raise ArchiveRefused(
                    f"data.json refers to a person the archive does not list ({table.label})."
                )
            return self.users[value]
        if target in self.plan.globals:
            if value not in self.plan.globals[target]:
                raise ArchiveRefused(self._missing(target, value))
            return self.plan.globals[target][value]
        if f.attname in keys:
            if value in keys[f.attname]:
                return keys[f.attname][value]
        elif target == table.label or (target in self.tables and target not in self.done):
            deferred.append((FK, f.attname, target, value, None))  # a row inserted later
            if f.null or target == table.label:
                return None
        raise ArchiveRefused(self._missing(target, value))

    @staticmethod
    def _missing(target, value) -> str:
        return f"data.json refers to {target} {value}, which the archive does not hold."

    # after the rows -------------------------------------------------------------------------------

    def _fill_keys(self) -> None:
        missing = self.ids.fill_keys({label: table.model for label, table in self.tables.items()})
        if missing:
            label, target, old = missing
            raise ArchiveRefused(f"data.json refers to {target} {old}, which the archive does not hold.")

    def _remap_citations(self) -> list[str]:
        """A cited register entry's id and page become those of its imported copy; a citation of an
        entry the archive does not hold is left out (the evidence row removed, its history rows
        emptied) and told in the notes. Answers the notes."""
        sources = evidence_sources()
        kinds = {model: kind for kind, model in rules.CITED_ENTRIES.items()}
        dropped: dict[str, list[int]] = defaultdict(list)
        for batch in self.ids.citations():
            updates = defaultdict(list)
            paths: dict[tuple[str, int], str | None] = {}  # one read per entry of the batch
            for label, new_pk, target, _old, new in batch:
                path = None
                if new is not None and (target, new) not in paths:
                    source = sources.get(kinds[target])
                    cited = source.resolve(self._project, new) if source is not None else None
                    paths[(target, new)] = cited.path[:300] if cited is not None else None
                if new is not None:
                    path = paths[(target, new)]
                model = self.tables[label].model
                if path is None:
                    dropped[label].append(new_pk)
                    if self.tables[label].history_of:
                        updates[model].append(model(pk=new_pk, entry_id=None, entry_path=""))
                else:
                    updates[model].append(model(pk=new_pk, entry_id=new, entry_path=path))
            for model, objs in updates.items():
                model._base_manager.bulk_update(objs, ["entry_id", "entry_path"], batch_size=BATCH)
        return self._drop_citations(dropped)

    def _drop_citations(self, dropped: dict[str, list[int]]) -> list[str]:
        notes: list[str] = []
        for label, pks in dropped.items():
            if self.tables[label].history_of:
                continue  # emptied above: a history row is no evidence
            model = self.tables[label].model
            rows = model._base_manager.filter(pk__in=pks).select_related("response__question")
            for evidence in rows.order_by("pk")[:NOTES_SHOWN]:
                notes.append(
                    _(
                        "Evidence for question %(question)s citing “%(entry)s” was left out: the archive "
                        "does not hold that register entry (deleted after it was cited)."
                    )
                    % {"question": evidence.response.question.code, "entry": evidence.entry_label}
                )
            if len(pks) > NOTES_SHOWN:
                notes.append(
                    _("%(count)s more citations of register entries the archive does not hold were left out.")
                    % {"count": len(pks) - NOTES_SHOWN}
                )
            model._base_manager.filter(pk__in=pks).delete()
            for history in self.tables.values():  # the removal's own history row names the entry too
                if history.history_of == label:
                    history.model._base_manager.filter(**{f"{history.history_pk}__in": pks}).update(
                        entry_id=None, entry_path=""
                    )
        return notes

    def _rewrite_urls(self) -> None:
        for batch in self.ids.work(URL):
            needed = defaultdict(set)
            parsed = []
            for label, new_pk, attname, url in batch:
                page = parse_url(url)
                parsed.append((label, new_pk, attname, page))
                needed_ids(page, needed)
            mapped = {target: self.ids.get_many(target, olds) for target, olds in needed.items()}
            updates = defaultdict(list)
            for label, new_pk, attname, page in parsed:
                model = self.tables[label].model
                updates[(model, attname)].append(model(pk=new_pk, **{attname: new_url(page, mapped)}))
            for (model, attname), objs in updates.items():
                model._base_manager.bulk_update(objs, [attname], batch_size=BATCH)

    def _store_files(self) -> None:
        names = set(self.zf.namelist())
        for batch in self.ids.work(FILE, batch=100):
            updates = defaultdict(list)
            for label, new_pk, attname, member in batch:
                model = self.tables[label].model
                f = model._meta.get_field(attname)
                if member not in names:
                    raise ArchiveRefused(
                        f"data.json names the file {member}, which the archive does not hold."
                    )
                instance = model._base_manager.get(pk=new_pk)
                setattr(instance, attname, self._store(instance, f, member))
                updates[(model, attname)].append(instance)
            for (model, attname), objs in updates.items():
                model._base_manager.bulk_update(objs, [attname], batch_size=BATCH)

    def _store(self, instance, f, member) -> str:
        name = safe_filename(member.rsplit("/", 1)[-1])
        with tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024) as spool:
            with self.zf.open(member) as source:
                for chunk in chunks(source, archive.CHUNK):
                    spool.write(chunk)
            upload = File(spool, name=name)
            upload.size = spool.tell()
            spool.seek(0)
            try:
                validate_upload(upload)
            except ValidationError as error:
                raise ArchiveRefused(f"{member}: {' '.join(error.messages)}") from error
            stored = self.storage.save(f.generate_filename(instance, name), upload)
        self.saved.append(stored)
        return stored
