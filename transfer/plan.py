"""Everything checked before the import's transaction, from the manifest and data.json's outline:
the schema, the models and fields, the shared content (matched by natural key) and the people."""

from dataclasses import dataclass, field

from django.apps import apps

from . import archive, graph, rules
from .archive import ArchiveRefused


@dataclass
class TablePlan:
    label: str
    model: type
    fields: list  # model fields, in the archive's order
    names: list  # their attnames, as data.json lists them
    pk: int  # index of the primary key in a row
    targets: dict = field(default_factory=dict)  # attname -> label of the model a key points at
    history_of: str = ""  # label of the model a history table records
    history_pk: str = ""  # its attname for that model's id


class Plan:
    def __init__(self, manifest, outline):
        self._check_schema(manifest.get("schema") or {})
        self.tables = self._tables(outline.tables)
        self.globals = self._globals(outline.globals)
        self.people = self._people(outline.users)
        # the address of the installation the archive comes from (archives before it say none)
        site = manifest.get("site_url")
        self.source_site = site.rstrip("/") if isinstance(site, str) and site.startswith("http") else ""

    @staticmethod
    def _check_schema(source) -> None:
        if not isinstance(source, dict):
            raise ArchiveRefused("The archive's manifest does not describe its schema properly.")
        here = archive.schema()
        unknown = [
            f"{app}.{name}"
            for app, names in source.items()
            for name in (names if isinstance(names, list) else [names])
            if name not in here.get(app, ())
        ]
        if unknown:
            raise ArchiveRefused(
                "The archive comes from a newer version of SMS Tracker: this installation lacks the "
                f"database changes {', '.join(map(str, unknown[:5]))}. Update it first."
            )

    @staticmethod
    def _tables(tables) -> list[TablePlan]:
        known = {node.label: node for node in graph.exported_models()}
        by_label = {}
        for table in tables:
            node = known.get(table.model)
            if node is None:
                raise ArchiveRefused(
                    f"The archive holds rows of {table.model}, which this installation does not import."
                )
            fields = {f.attname: f for f in node.model._meta.concrete_fields}
            unknown = [name for name in table.fields if name not in fields]
            if unknown:
                raise ArchiveRefused(
                    f"The archive's {table.model} has fields unknown here: {', '.join(unknown[:10])}."
                )
            pk = node.model._meta.pk.attname
            if pk not in table.fields or len(set(table.fields)) != len(table.fields):
                raise ArchiveRefused(f"The archive's {table.model} rows have no key.")
            instance = graph.history_instance_model(node.model)
            plan = TablePlan(
                label=table.model,
                model=node.model,
                fields=[fields[name] for name in table.fields],
                names=list(table.fields),
                pk=table.fields.index(pk),
                targets={
                    f.attname: graph.label(f.related_model)
                    for f in (fields[name] for name in table.fields)
                    if f.is_relation and (f.many_to_one or f.one_to_one)
                },
            )
            if instance is not None:
                plan.history_of, plan.history_pk = graph.label(instance), instance._meta.pk.attname
                if plan.history_pk not in table.fields:
                    raise ArchiveRefused(f"The archive's {table.model} rows do not say what they record.")
            by_label[table.model] = (plan, table.rows)
        if graph.PROJECT not in by_label or by_label[graph.PROJECT][1] != 1:
            raise ArchiveRefused("The archive holds no project.")
        # insert in this installation's order, whatever order the archive lists them in
        return [by_label[node.label][0] for node in graph.exported_models() if node.label in by_label]

    @staticmethod
    def _globals(refs: dict) -> dict:
        """label -> {old id: id here}; refuses when some shared content is missing here."""
        mapped, missing = {}, []
        for lbl, keys in refs.items():
            spec = rules.GLOBAL_CONTENT.get(lbl)
            if spec is None:
                raise ArchiveRefused(f"The archive refers to {lbl}, which is not shared content here.")
            if not isinstance(keys, dict):
                raise ArchiveRefused("data.json in the archive is malformed: shared content.")
            model = apps.get_model(lbl)
            found = {
                tuple(key): pk
                for pk, *key in model._base_manager.filter(**spec["project_filter"]).values_list(
                    "pk", *spec["fields"]
                )
            }
            mapped[lbl] = {}
            for old, key in keys.items():
                if not isinstance(key, list) or len(key) != len(spec["fields"]) or not old.isdigit():
                    raise ArchiveRefused("data.json in the archive is malformed: shared content.")
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

    @staticmethod
    def _people(users: dict) -> dict[int, dict]:
        people = {}
        for old, person in users.items():
            if not old.isdigit() or not isinstance(person, dict):
                raise ArchiveRefused("data.json in the archive is malformed: the people it names.")
            people[int(old)] = {
                key: str(person.get(key) or "")[:254]
                for key in ("username", "email", "first_name", "last_name")
            }
        return people
