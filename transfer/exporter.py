"""Writes one project into an archive (archive.py): every row of every exported model (graph.py)
with its keys as they are here, the users it names (by e-mail), the natural keys of the shared
content it refers to, and the uploaded files, streamed from storage in chunks."""

import zipfile
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from . import archive, graph, rules


class ExportFailed(Exception):
    pass


def _project_rows(node, project, exported_ids):
    manager = node.model._base_manager
    if node.path == graph.HISTORY:
        instance = graph.history_instance_model(node.model)
        ids = exported_ids[graph.label(instance)]
        return manager.filter(**{f"{instance._meta.pk.attname}__in": ids}).order_by("pk")
    return manager.filter(**{node.path: project.pk}).order_by("pk")


def collect(project) -> tuple[dict, list[tuple[str, str]]]:
    """(data for data.json, [(member name, storage name)] of the files to add)."""
    nodes = graph.exported_models()
    exported_ids: dict[str, list[int]] = {}
    tables, files = [], []
    referenced = defaultdict(set)  # label -> ids of rows outside the export (users, shared content)
    for node in nodes:
        fields = list(node.model._meta.concrete_fields)
        attnames = [f.attname for f in fields]
        rows = [list(values) for values in _project_rows(node, project, exported_ids).values_list(*attnames)]
        pk_index = next(i for i, f in enumerate(fields) if f.primary_key)
        exported_ids[node.label] = [row[pk_index] for row in rows]
        tables.append({"model": node.label, "fields": attnames, "rows": rows})
        for index, field in enumerate(fields):
            if isinstance(field, models.FileField):
                for row in rows:
                    if row[index]:
                        member = (
                            f"files/{node.label}/{row[pk_index]}/{field.name}/{row[index].rsplit('/', 1)[-1]}"
                        )
                        files.append((member, row[index]))
                        row[index] = member
    exported = {lbl: set(ids) for lbl, ids in exported_ids.items()}
    for table, node in zip(tables, nodes, strict=True):
        _check_references(table, node, exported, referenced)
    user_ids = referenced.pop(rules.USER_MODEL, set())
    users = _users(user_ids)
    if len(users) < len(user_ids):  # a history row names a user who was deleted since
        _forget_users(tables, nodes, {int(pk) for pk in users})
    data = {
        "project": project.pk,
        "models": tables,
        "users": users,
        "globals": {lbl: _natural_keys(lbl, ids) for lbl, ids in referenced.items()},
    }
    return data, files


def _check_references(table, node, exported, referenced):
    """Every key points at an exported row, a user or shared content; a history row's key to a row
    that no longer exists (history tables have no constraints) is emptied."""
    fields = {f.attname: f for f in node.model._meta.concrete_fields}
    is_history = node.path == graph.HISTORY
    for index, attname in enumerate(table["fields"]):
        field = fields[attname]
        if not (field.is_relation and (field.many_to_one or field.one_to_one)):
            continue
        target = graph.label(field.related_model)
        for row in table["rows"]:
            value = row[index]
            if value is None or value in exported.get(target, ()):
                continue
            if target == rules.USER_MODEL or target in rules.GLOBAL_CONTENT:
                referenced[target].add(value)
            elif is_history:
                row[index] = None
            else:
                raise ExportFailed(f"{node.label} {row[0]} refers to {target} {value} outside the project.")


def _forget_users(tables, nodes, known) -> None:
    for table, node in zip(tables, nodes, strict=True):
        fields = {f.attname: f for f in node.model._meta.concrete_fields}
        for index, attname in enumerate(table["fields"]):
            field = fields[attname]
            if field.is_relation and graph.label(field.related_model) == rules.USER_MODEL:
                for row in table["rows"]:
                    if row[index] is not None and row[index] not in known:
                        row[index] = None


def _users(ids) -> dict:
    User = apps.get_model(rules.USER_MODEL)
    return {
        str(user["pk"]): user
        for user in User._base_manager.filter(pk__in=ids).values(
            "pk", "username", "email", "first_name", "last_name"
        )
    }


def _natural_keys(lbl, ids) -> dict:
    spec = rules.GLOBAL_CONTENT[lbl]
    model = apps.get_model(lbl)
    rows = model._base_manager.filter(pk__in=ids, **spec["project_filter"]).values_list("pk", *spec["fields"])
    keys = {str(pk): list(key) for pk, *key in rows}
    if len(keys) != len(ids):
        raise ExportFailed(f"{lbl} rows {sorted(set(map(str, ids)) - set(keys))} belong to another project.")
    return keys


def write(project, target, *, storage=None) -> dict:
    """Write the archive of `project` to `target` (a path or a binary file); return the manifest."""
    from django.core.files.storage import default_storage

    storage = storage or default_storage
    data, files = collect(project)
    members = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        with zf.open(archive.DATA, "w", force_zip64=True) as member:
            writer = archive.HashingWriter(member)
            writer.write(archive.dumps(data))
        members.append({"path": archive.DATA, "sha256": writer.sha256.hexdigest(), "size": writer.size})
        for name, stored in files:
            if not storage.exists(stored):
                raise ExportFailed(f"The file {stored} of the project is missing from storage.")
            with storage.open(stored, "rb") as source, zf.open(name, "w", force_zip64=True) as member:
                writer = archive.HashingWriter(member)
                while chunk := source.read(archive.CHUNK):
                    writer.write(chunk)
            members.append({"path": name, "sha256": writer.sha256.hexdigest(), "size": writer.size})
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "exported_at": timezone.now(),
            "project": {"id": project.pk, "name": project.name},
            "site_url": settings.SITE_URL,  # the import rewrites links to the project's pages it starts
            "schema": archive.schema(),
            "counts": {table["model"]: len(table["rows"]) for table in data["models"]},
            "members": members,
        }
        zf.writestr(archive.MANIFEST, archive.dumps(manifest))
    return manifest
