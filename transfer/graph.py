"""Which models belong to a project, found through the model meta: a model belongs when a chain of
foreign keys leads from it to projects.Project (directly, or through a parent such as a task or an
assessment). Auto-created many-to-many tables and django-simple-history tables are models too."""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from . import rules

PROJECT = "projects.project"


def label(model) -> str:
    return model._meta.label_lower


def foreign_keys(model) -> list[models.ForeignKey]:
    """Forward many-to-one and one-to-one fields with a column (not generic relations)."""
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def history_instance_model(model):
    """The model a django-simple-history table records, or None."""
    instance = getattr(model, "instance_type", None)
    return instance if instance is not None and hasattr(model, "history_id") else None


@cache
def project_paths() -> dict[str, str]:
    """label -> the lookup from the model to its project ("pk" for the project itself).

    Chains of required keys win over chains through nullable ones (a row whose nullable key is
    empty would not be found), then shorter ones. A history table belongs when the model it records
    does: its rows are picked by the recorded object's id (history_rows)."""
    every = list(apps.get_models(include_auto_created=True))
    best = {PROJECT: ((0, 0), "pk")}
    changed = True
    while changed:
        changed = False
        for model in every:
            if label(model) == PROJECT or history_instance_model(model):
                continue
            for field in foreign_keys(model):
                target = best.get(label(field.related_model))
                if target is None:
                    continue
                (nullable, length), path = target
                path = field.name if path == "pk" else f"{field.name}__{path}"
                score = (nullable + field.null, length + 1)
                if label(model) not in best or score < best[label(model)][0]:
                    best[label(model)] = (score, path)
                    changed = True
    paths = {lbl: path for lbl, (_, path) in best.items()}
    for model in every:
        instance = history_instance_model(model)
        if instance is not None and label(instance) in paths:
            paths[label(model)] = HISTORY
    return paths


HISTORY = "(history of an exported model)"


@dataclass(frozen=True)
class Node:
    model: type
    path: str  # lookup to the project

    @property
    def label(self) -> str:
        return label(self.model)


@cache
def exported_models() -> list[Node]:
    """The models a project archive carries, parents before children where the keys allow."""
    paths = project_paths()
    chosen = {lbl: apps.get_model(lbl) for lbl in paths if lbl not in rules.EXCLUDED}
    return [Node(chosen[lbl], paths[lbl]) for lbl in _insert_order(chosen)]


def _insert_order(chosen: dict) -> list[str]:
    """Topological order over the foreign keys between the chosen models; a cycle (a document and its
    current version) is broken at a nullable key, which the import fills in afterwards."""
    deps = {
        lbl: {
            (label(f.related_model), f.null)
            for f in foreign_keys(model)
            if label(f.related_model) in chosen and label(f.related_model) != lbl
        }
        for lbl, model in chosen.items()
    }
    history = {lbl for lbl, model in chosen.items() if history_instance_model(model)}
    order, done = [], set()
    pending = sorted(chosen, key=lambda lbl: (lbl in history, lbl != PROJECT, lbl))
    while pending:
        ready = [lbl for lbl in pending if all(dep in done for dep, _ in deps[lbl])]
        if not ready:  # a cycle: take the first model whose missing parents are all nullable keys
            ready = [
                next(lbl for lbl in pending if all(dep in done or nullable for dep, nullable in deps[lbl]))
            ]
        for lbl in ready:
            order.append(lbl)
            done.add(lbl)
        pending = [lbl for lbl in pending if lbl not in done]
    # history tables last: their keys point at live rows, which must all be mapped first
    return [lbl for lbl in order if lbl not in history] + [lbl for lbl in order if lbl in history]
