"""Imports a verified archive (verify.py) as a NEW project: every row gets a new key, keys between
exported rows are rewritten, users are found by e-mail (or created as inactive placeholders),
shared content by natural key. One transaction: a refusal or an error leaves nothing behind, and
the files already written to storage are deleted again."""

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, models, router, transaction
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from sms_tracker.core.models import Role
from sms_tracker.core.uploads import safe_filename, validate_upload

from . import archive, graph, rules
from .archive import ArchiveRefused
from .verify import open_verified

BATCH = 500


@dataclass
class ImportResult:
    project: object
    id_map: dict  # label -> {old id: new id}
    placeholders: list = field(default_factory=list)  # users created for e-mails not found here
    matched_users: dict = field(default_factory=dict)  # old user id -> user found by e-mail


def import_archive(source, *, lead, storage=None) -> ImportResult:
    """Import the archive at `source` (a path or a binary file) with `lead` as the new project's lead."""
    storage = storage or default_storage
    zf, manifest, data = open_verified(source)
    with zf:
        plan = _Plan(manifest, data)
        saved: list[str] = []
        try:
            with transaction.atomic():
                return _Import(plan, zf, storage, saved, lead).run()
        except (DatabaseError, ValidationError) as error:
            _delete(storage, saved)
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error).strip()
            raise ArchiveRefused(f"The archive's data cannot be imported: {message}") from error
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            _delete(storage, saved)  # data.json passed its checksum but was written wrongly
            raise ArchiveRefused(f"data.json in the archive is malformed ({error!r}).") from error
        except BaseException:
            _delete(storage, saved)
            raise


def _delete(storage, names) -> None:
    for name in names:
        storage.delete(name)


class _Plan:
    """Everything checked before the transaction: schema, models, fields, shared content, users."""

    def __init__(self, manifest, data):
        try:
            self._check_schema(manifest.get("schema") or {})
            self.tables = self._tables(data["models"])
            self.globals = self._globals(data.get("globals") or {})
            self.users = {int(old): dict(user) for old, user in (data.get("users") or {}).items()}
            self.archive_ids = {t["model"]: {row[t["pk"]] for row in t["rows"]} for t in self.tables}
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            raise ArchiveRefused(f"data.json in the archive is malformed ({error!r}).") from error

    @staticmethod
    def _check_schema(source: dict) -> None:
        here = archive.schema()
        unknown = [
            f"{app}.{name}"
            for app, names in source.items()
            for name in names
            if name not in here.get(app, ())
        ]
        if unknown:
            raise ArchiveRefused(
                "The archive comes from a newer version of SMS Tracker: this installation lacks the "
                f"database changes {', '.join(unknown[:5])}. Update it first."
            )

    @staticmethod
    def _tables(tables) -> list[dict]:
        known = {node.label: node for node in graph.exported_models()}
        by_label = {}
        for table in tables:
            node = known.get(table["model"])
            if node is None:
                raise ArchiveRefused(
                    f"The archive holds rows of {table['model']}, which this installation does not import."
                )
            fields = {f.attname: f for f in node.model._meta.concrete_fields}
            unknown = [name for name in table["fields"] if name not in fields]
            if unknown:
                raise ArchiveRefused(
                    f"The archive's {table['model']} has fields unknown here: {', '.join(unknown)}."
                )
            pk = node.model._meta.pk.attname
            if pk not in table["fields"] or not isinstance(table["rows"], list):
                raise ArchiveRefused(f"The archive's {table['model']} rows have no key.")
            by_label[table["model"]] = {
                "node": node,
                "fields": [fields[name] for name in table["fields"]],
                "rows": table["rows"],
                "pk": table["fields"].index(pk),
                "model": table["model"],
            }
        if graph.PROJECT not in by_label or len(by_label[graph.PROJECT]["rows"]) != 1:
            raise ArchiveRefused("The archive holds no project.")
        # insert in this installation's order, whatever order the archive lists them in
        return [by_label[node.label] for node in graph.exported_models() if node.label in by_label]

    @staticmethod
    def _globals(refs: dict) -> dict:
        """label -> {old id: id here}; refuses when some shared content is missing here."""
        mapped, missing = {}, []
        for lbl, keys in refs.items():
            spec = rules.GLOBAL_CONTENT.get(lbl)
            if spec is None:
                raise ArchiveRefused(f"The archive refers to {lbl}, which is not shared content here.")
            model = apps.get_model(lbl)
            found = {
                tuple(key): pk
                for pk, *key in model._base_manager.filter(**spec["project_filter"]).values_list(
                    "pk", *spec["fields"]
                )
            }
            mapped[lbl] = {}
            for old, key in keys.items():
                if tuple(key) in found:
                    mapped[lbl][int(old)] = found[tuple(key)]
                else:
                    missing.append(spec["label"].format(*key))
        if missing:
            raise ArchiveRefused(
                "The archive refers to shared content this installation does not have: "
                + ", ".join(sorted(set(missing))[:5])
                + (f" and {len(set(missing)) - 5} more" if len(set(missing)) > 5 else "")
                + ". Import that checklist into the library first."
            )
        return mapped


class _Import:
    def __init__(self, plan, zf, storage, saved, lead):
        self.plan, self.zf, self.storage, self.saved, self.lead = plan, zf, storage, saved, lead
        self.id_map: dict[str, dict[int, int]] = defaultdict(dict)
        self.later = defaultdict(list)  # label -> [(new pk, field, resolve())] filled after all inserts
        self.files = []  # (label, new pk, field, member)
        self.result = ImportResult(project=None, id_map=self.id_map)

    def run(self) -> ImportResult:
        self.users = self._map_users()
        for table in self.plan.tables:
            self._insert(table)
        self._fill_in_later()
        self._store_files()
        project = apps.get_model(graph.PROJECT)._base_manager.get(
            pk=next(iter(self.id_map[graph.PROJECT].values()))
        )
        self._make_lead(project)
        self.result.project = project
        return self.result

    # users ------------------------------------------------------------------------------------

    def _map_users(self) -> dict[int, int]:
        User = apps.get_model(rules.USER_MODEL)
        emails = {u["email"].strip().lower() for u in self.plan.users.values() if u.get("email", "").strip()}
        here = {}
        for user in (
            User._base_manager.annotate(e=Lower("email")).filter(e__in=emails).order_by("-is_active", "pk")
        ):
            here.setdefault(user.e, user)
        mapped = {}
        for old, user in self.plan.users.items():
            email = (user.get("email") or "").strip().lower()
            if email in here:
                mapped[old] = here[email].pk
                if here[email] not in self.result.placeholders:
                    self.result.matched_users[old] = here[email]
                continue
            placeholder = self._placeholder(User, user)
            if email:
                here[email] = placeholder
            mapped[old] = placeholder.pk
            self.result.placeholders.append(placeholder)
        return mapped

    @staticmethod
    def _placeholder(User, user):
        """An inactive account without a password for a person the archive names and this
        installation does not know: an administrator activates it (and sets a password) if needed."""
        base = (user.get("username") or "imported")[:140]
        username, n = base, 1
        while User._base_manager.filter(username=username).exists():
            n += 1
            username = f"{base}-{n}"
        account = User(
            username=username,
            email=(user.get("email") or "")[:254],
            first_name=(user.get("first_name") or "")[:150],
            last_name=(user.get("last_name") or "")[:150],
            is_active=False,
        )
        account.set_unusable_password()
        account.save()
        return account

    # rows -------------------------------------------------------------------------------------

    def _target(self, lbl: str, old, *, nullable: bool, later):
        """The new id for a key to row `old` of `lbl`; None with `later` queued when that row is
        inserted after this one."""
        if old is None:
            return None
        if old in self.plan.archive_ids.get(lbl, ()):
            if old in self.id_map[lbl]:
                return self.id_map[lbl][old]
            if nullable:
                later(lambda: self.id_map[lbl][old])
                return None
        elif lbl == rules.USER_MODEL and old in self.users:
            return self.users[old]
        elif old in self.plan.globals.get(lbl, {}):
            return self.plan.globals[lbl][old]
        raise ArchiveRefused(f"data.json refers to {lbl} {old}, which the archive does not hold.")

    def _insert(self, table) -> None:
        model = table["node"].model
        lbl = table["model"]
        instance = graph.history_instance_model(model)
        is_history = instance is not None
        objs, olds, pending = [], [], []
        for row in table["rows"]:
            values, row_later = {}, []
            by_name = dict(zip((f.attname for f in table["fields"]), row, strict=True))
            skip = False
            for f, value in zip(table["fields"], row, strict=True):
                if f.primary_key:
                    continue
                if f.is_relation:
                    target = graph.label(f.related_model)
                    if target == lbl:  # a key to a row of the same table: always after the insert
                        values[f.attname] = None
                        if value is not None:
                            row_later.append((f, lambda v=value: self.id_map[lbl][v]))
                        continue
                    values[f.attname] = self._target(
                        target,
                        value,
                        nullable=f.null,
                        later=lambda fn, f=f, queue=row_later: queue.append((f, fn)),
                    )
                elif is_history and f.attname == instance._meta.pk.attname:
                    values[f.attname] = self.id_map[graph.label(instance)].get(value)
                    skip = values[f.attname] is None
                elif (lbl, f.attname) in rules.SOFT_REFERENCES:
                    values[f.attname] = None
                    target = rules.soft_reference_target(lbl, f.attname, by_name)
                    if target is not None and value is not None:
                        row_later.append((f, lambda t=target, v=value: self.id_map[t].get(v)))
                    elif value is not None:
                        values[f.attname] = value
                elif (lbl, f.attname) in rules.URL_FIELDS:
                    values[f.attname] = ""
                    if value:
                        row_later.append((f, lambda v=value: self._rewrite_url(v)))
                elif isinstance(f, models.FileField):
                    values[f.attname] = value  # the member name, replaced once the file is stored
                    if value:
                        row_later.append((f, ("file", value)))
                elif isinstance(f, models.JSONField):
                    values[f.attname] = value
                else:
                    values[f.attname] = f.to_python(value)
            if skip:
                continue
            objs.append(model(**values))
            olds.append(row[table["pk"]])
            pending.append(row_later)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        using = router.db_for_write(model)
        for start in range(0, len(objs), BATCH):
            batch = objs[start : start + BATCH]
            # raw=True, as loaddata saves: no auto_now stamps (created_at and updated_at are kept)
            returned = model._base_manager._insert(
                batch, fields=fields, returning_fields=[model._meta.pk], raw=True, using=using
            )
            for obj, (new_pk,) in zip(batch, returned, strict=True):
                obj.pk = new_pk
        for obj, old, row_later in zip(objs, olds, pending, strict=True):
            self.id_map[lbl][old] = obj.pk
            for f, fn in row_later:
                if isinstance(fn, tuple):
                    self.files.append((model, obj.pk, f, fn[1]))
                else:
                    self.later[lbl].append((model, obj.pk, f, fn))

    def _fill_in_later(self) -> None:
        for items in self.later.values():
            updates = defaultdict(dict)
            for model, pk, f, fn in items:
                value = fn()
                if value is not None:
                    updates[(model, f.attname)][pk] = value
            for (model, attname), values in updates.items():
                objs = [model(pk=pk, **{attname: value}) for pk, value in values.items()]
                model._base_manager.bulk_update(objs, [attname], batch_size=BATCH)

    def _rewrite_url(self, url: str) -> str:
        """The same page of the new project; an address that cannot be mapped is dropped."""
        path, _, fragment = url.partition("#")
        try:
            match = resolve(path)
            kwargs = {  # ids are mapped; other arguments (a process slug) stay as they are
                name: self.id_map[rules.URL_ARGUMENTS[name]][value] if isinstance(value, int) else value
                for name, value in match.kwargs.items()
            }
            new = reverse(match.view_name, kwargs=kwargs)
        except (Resolver404, NoReverseMatch, KeyError):
            return ""
        if fragment:
            prefix, _, number = fragment.rpartition("-")
            if prefix in rules.URL_FRAGMENTS and number.isdigit():
                mapped = self.id_map[rules.URL_FRAGMENTS[prefix]].get(int(number))
                fragment = f"{prefix}-{mapped}" if mapped else ""
            new += f"#{fragment}" if fragment else ""
        return new

    # files ------------------------------------------------------------------------------------

    def _store_files(self) -> None:
        updates = defaultdict(list)
        names = set(self.zf.namelist())
        for model, pk, f, member in self.files:
            if member not in names:
                raise ArchiveRefused(f"data.json names the file {member}, which the archive does not hold.")
            instance = model._base_manager.get(pk=pk)
            name = safe_filename(member.rsplit("/", 1)[-1])
            with tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024) as spool:
                with self.zf.open(member) as source:
                    while chunk := source.read(archive.CHUNK):
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
            setattr(instance, f.attname, stored)
            updates[(model, f.attname)].append(instance)
        for (model, attname), objs in updates.items():
            model._base_manager.bulk_update(objs, [attname], batch_size=BATCH)

    def _make_lead(self, project) -> None:
        """The importer leads the new project; without one (the command without --lead) the
        archive's own leads stay its leads."""
        Membership = apps.get_model("projects.membership")
        if self.lead is None:
            if not Membership._base_manager.filter(project=project, role=Role.LEAD).exists():
                raise ArchiveRefused("The archive's project has no lead: give one with --lead.")
            return
        membership = Membership._base_manager.filter(project=project, user=self.lead).first()
        if membership is None:
            Membership._base_manager.create(project=project, user=self.lead, role=Role.LEAD)
        elif membership.role != Role.LEAD:
            membership.role = Role.LEAD
            membership.save(update_fields=["role", "updated_at"])
