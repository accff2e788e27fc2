"""Field-by-field comparison of an exported project with its imported copy."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.urls import Resolver404, resolve

from transfer import graph, rules


def rows_of(project) -> dict[str, dict]:
    """label -> {pk: {attname: value}} of every row the archive carries for the project."""
    found, ids = {}, {}
    for node in graph.exported_models():
        manager = node.model._base_manager
        if node.path == graph.HISTORY:
            instance = graph.history_instance_model(node.model)
            rows = manager.filter(**{f"{instance._meta.pk.attname}__in": ids[graph.label(instance)]})
        else:
            rows = manager.filter(**{node.path: project.pk})
        found[node.label] = {
            row["pk"]: row
            for row in rows.values("pk", *(f.attname for f in node.model._meta.concrete_fields))
        }
        ids[node.label] = list(found[node.label])
    return found


def not_imported(label: str) -> bool:
    """Memberships and invitations (and their history) are exported but never imported."""
    model = next(node.model for node in graph.exported_models() if node.label == label)
    instance = graph.history_instance_model(model)
    recorded = graph.label(instance) if instance is not None else label
    return recorded in rules.NOT_IMPORTED


def differences(original, imported, id_map, people) -> list[str]:
    """Every difference, after mapping ids, between the rows of two projects; [] when identical.
    `people`: {id of a person in the original: id of the account that names them in the import}."""
    before, after = rows_of(original), rows_of(imported)
    diffs = []
    for node in graph.exported_models():
        lbl, model = node.label, node.model
        if not_imported(lbl):
            continue
        mapping = id_map.get(lbl, {})
        if set(mapping.values()) != set(after[lbl]) or set(mapping) != set(before[lbl]):
            diffs.append(f"{lbl}: {len(before[lbl])} rows exported, {len(after[lbl])} imported")
            continue
        instance = graph.history_instance_model(model)
        for old_pk, old in before[lbl].items():
            new = after[lbl][mapping[old_pk]]
            for f in model._meta.concrete_fields:
                if f.primary_key:
                    continue
                a, b = old[f.attname], new[f.attname]
                if f.is_relation:
                    target = graph.label(f.related_model)
                    if target == rules.USER_MODEL:
                        a = people.get(a) if a is not None else None
                    elif a is not None and a in id_map.get(target, {}):
                        a = id_map[target][a]
                elif instance is not None and f.attname == instance._meta.pk.attname:
                    a = id_map[graph.label(instance)][a]
                elif (lbl, f.attname) in rules.SOFT_REFERENCES:
                    target = rules.soft_reference_target(lbl, f.attname, old)
                    a = id_map[target].get(a) if target and a is not None else None
                elif (lbl, f.attname) in rules.URL_FIELDS:
                    a, b = _page(a, id_map), _page(b, {})
                elif (lbl, f.attname) in rules.SITE_LINKS:
                    a, b = _link(a, id_map, original.pk), _link(b, {}, imported.pk)
                elif isinstance(f, models.FileField):
                    a, b = _content(a), _content(b)
                if a != b:
                    diffs.append(f"{lbl} {old_pk} {f.attname}: {a!r} != {b!r}")
    return diffs


def _content(name):
    if not name:
        return None
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def _page(url, id_map):
    """(view name, kwargs with the imported ids, fragment) of an activity link."""
    if not url:
        return None
    path, _, fragment = url.partition("#")
    match = resolve(path)
    kwargs = {
        k: id_map[rules.URL_ARGUMENTS[k]][v] if id_map and isinstance(v, int) else v
        for k, v in match.kwargs.items()
    }
    if fragment and id_map:
        prefix, _, number = fragment.rpartition("-")
        fragment = f"{prefix}-{id_map[rules.URL_FRAGMENTS[prefix]][int(number)]}"
    return match.view_name, kwargs, fragment


def _link(url, id_map, project_pk):
    """A link to a page of the project (with this installation's address) as _page gives it; any
    other link as it is."""
    if not url.startswith(settings.SITE_URL + "/"):
        return url
    path = url.removeprefix(settings.SITE_URL)
    try:
        match = resolve(path.partition("#")[0])
    except Resolver404:
        return url
    return _page(path, id_map) if match.kwargs.get("project_id") == project_pk else url
