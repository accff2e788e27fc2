"""The registers' API views, made per register kind from its Kind (one class per kind, so the schema
documents each with its own fields): list + create under the project (or under the parent record for
SLA targets, SLA actuals and measurements), read + PATCH + DELETE of one entry, and the project's
context determination. Writes go through registers.services after the kind's form (the same
checks as the pages); edits are versioned (409 stale, 412 If-Match)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from kernel.concurrency import EditConflict
from registers import permissions, selectors, services
from registers.forms import ContextDeterminationForm
from registers.kinds import KINDS, Kind
from registers.models import ContextDetermination

from ..etags import check_if_match, expected_version, with_etag
from ..idempotency import idempotent
from ..problems import Conflict
from ..serializers.registers import (
    ContextSerializer,
    ContextUpdateSerializer,
    form_fields,
    read_serializer,
    write_serializer,
)
from .base import ProjectScoped, get_or_404


def _form(kind: Kind, project, data: dict, *, instance=None, parent=None):
    kwargs = {"project": project, "instance": instance}
    if kind.key == "actuals":
        kwargs["target"] = parent if parent is not None else instance.target
    elif kind.key == "measurements":
        kwargs["objective"] = parent if parent is not None else instance.objective
    return kind.form(data, **kwargs)


def _plain(value):
    """A validated value as a form reads it: a row by its id, rows by their ids."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return "" if value is None else value


def _current(kind: Kind, obj) -> dict:
    data = model_to_dict(obj, fields=form_fields(kind))
    return {name: _plain(list(value) if name in kind.m2m else value) for name, value in data.items()}


def _cleaned(kind: Kind, project, data: dict, *, instance=None, parent=None, version=None) -> dict:
    """The kind's form over the input (an edit: over the current values): its cleaned data, or a
    ValidationError (422) naming the fields."""
    values = _current(kind, instance) if instance is not None else {}
    values.update({name: _plain(value) for name, value in data.items() if name != "version"})
    if version is not None:
        values["version"] = version
    form = _form(kind, project, values, instance=instance, parent=parent)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    cleaned = dict(form.cleaned_data)
    cleaned.pop("version", None)
    return cleaned


def _queryset(kind: Kind, project):
    return selectors.base_queryset(kind, project).order_by(*_ordering(kind))


def _ordering(kind: Kind) -> tuple[str, ...]:
    return tuple(kind.model._meta.ordering or ()) + ("pk",)


class _KindView(ProjectScoped, generics.GenericAPIView):
    kind: Kind = None

    def entry(self, pk):
        return get_or_404(_queryset(self.kind, self.project), pk=pk)

    def show(self, obj):
        obj = self.entry(obj.pk)
        return read_serializer(self.kind)(obj).data


class KindListView(_KindView, generics.ListAPIView):
    """Shared by the top-level registers (under the project) and the child ones (under a parent)."""

    def get_queryset(self):
        if self.is_schema:
            return self.kind.model.objects.none()
        rows = _queryset(self.kind, self.project)
        if self.kind.parent:
            rows = rows.filter(**{self.kind.parent_field: self.parent()})
        return rows

    def parent(self):
        return selectors.entry_for_parent(self.kind, self.project, self.kwargs["parent_id"])

    def authorize(self, request, project_id, parent_id=None):
        if self.kind.parent:
            parent = self.parent()
            self.access.require(permissions.can_create_child(self.access, KINDS[self.kind.parent], parent))
            return parent
        self.access.require(permissions.can_create(self.access))
        return None

    @idempotent
    def post(self, request, project_id, parent_id=None):
        parent = self.authorize(request, project_id, parent_id)
        form = write_serializer(self.kind, update=False)(data=request.data)
        form.is_valid(raise_exception=True)
        data = _cleaned(self.kind, self.project, form.validated_data, parent=parent)
        obj = services.entry_create(
            kind=self.kind, project=self.project, parent=parent, data=data, user=request.user
        )
        return Response(self.show(obj), status=status.HTTP_201_CREATED)


class KindDetailView(_KindView):
    def get(self, request, project_id, pk):
        obj = self.entry(pk)
        return with_etag(Response(read_serializer(self.kind)(obj).data), obj)

    def patch(self, request, project_id, pk):
        """Change some fields. Send the `version` you read (or its ETag as If-Match): a stale one gets
        409 (412 for If-Match) with the current entry."""
        obj = self.entry(pk)
        self.access.require(permissions.can_edit(self.access, self.kind, obj))
        form = write_serializer(self.kind, update=True)(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        version = expected_version(
            request, obj, form.validated_data, current=lambda: read_serializer(self.kind)(obj).data
        )
        data = _cleaned(self.kind, self.project, form.validated_data, instance=obj, version=version)
        try:
            obj = services.entry_update(
                kind=self.kind,
                project=self.project,
                obj=obj,
                data=data,
                expected_version=version,
                user=request.user,
            )
        except EditConflict as conflict:
            raise Conflict(str(conflict), current=self.show(conflict.current)) from conflict
        obj = self.entry(obj.pk)
        return with_etag(Response(read_serializer(self.kind)(obj).data), obj)

    @extend_schema(responses={204: None})
    def delete(self, request, project_id, pk):
        """Delete the entry (the lead). With If-Match, only the version you read (412 otherwise)."""
        obj = self.entry(pk)
        self.access.require(permissions.can_delete(self.access))
        check_if_match(request, obj, current=lambda: read_serializer(self.kind)(obj).data)
        services.entry_delete(kind=self.kind, project=self.project, obj=obj, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def list_view(kind: Kind):
    doc = f"{kind.title} ({kind.clause}). POST adds one: " + (
        f"the lead, or the owner of the {KINDS[kind.parent].noun}."
        if kind.parent
        else "the lead and contributors."
    )

    def post(self, request, project_id, parent_id=None):
        return KindListView.post(self, request, project_id, parent_id)

    post = extend_schema(
        request=write_serializer(kind, update=False), responses={201: read_serializer(kind)}
    )(post)
    post.idempotent = True  # KindListView.post is @idempotent: the schema documents the header
    return type(
        f"{kind.name.capitalize()}ListView",
        (KindListView,),
        {"kind": kind, "serializer_class": read_serializer(kind), "__doc__": doc, "post": post},
    )


def detail_view(kind: Kind):
    def patch(self, request, project_id, pk):
        return KindDetailView.patch(self, request, project_id, pk)

    patch.__doc__ = KindDetailView.patch.__doc__
    patch = extend_schema(
        request=write_serializer(kind, update=True), responses={200: read_serializer(kind)}
    )(patch)
    return type(
        f"{kind.name.capitalize()}DetailView",
        (KindDetailView,),
        {
            "kind": kind,
            "serializer_class": read_serializer(kind),
            "__doc__": f"One {kind.noun} ({kind.clause}): the lead, or its owner, edits it; "
            "the lead deletes it.",
            "patch": patch,
        },
    )


class ContextView(ProjectScoped, generics.GenericAPIView):
    """The project's context determination (4.1): whether climate change is a relevant issue and why,
    when the context was last and will next be reviewed. PATCH records it (the lead)."""

    serializer_class = ContextSerializer

    def _current(self):
        return ContextDetermination.objects.filter(project=self.project).first()

    def get(self, request, project_id):
        current = self._current()
        if current is None:
            current = ContextDetermination(project=self.project)
            return Response(ContextSerializer(current).data)
        return with_etag(Response(ContextSerializer(current).data), current)

    @extend_schema(request=ContextUpdateSerializer, responses={200: ContextSerializer})
    def patch(self, request, project_id):
        self.access.require(permissions.can_determine_context(self.access))
        form = ContextUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        current = self._current()
        version = None
        if current is not None:
            version = expected_version(
                request, current, form.validated_data, current=lambda: ContextSerializer(current).data
            )
        values = (
            {
                n: _plain(v)
                for n, v in model_to_dict(current, fields=ContextDeterminationForm._meta.fields).items()
            }
            if current is not None
            else {}
        )
        values.update({n: _plain(v) for n, v in form.validated_data.items() if n != "version"})
        if version is not None:
            values["version"] = version
        checked = ContextDeterminationForm(values, project=self.project, instance=current)
        if not checked.is_valid():
            raise ValidationError({field: list(errors) for field, errors in checked.errors.items()})
        data = dict(checked.cleaned_data)
        data.pop("version", None)
        try:
            saved = services.determination_save(
                project=self.project, data=data, expected_version=version, user=request.user
            )
        except EditConflict as conflict:
            raise Conflict(str(conflict), current=ContextSerializer(self._current()).data) from conflict
        return with_etag(Response(ContextSerializer(saved).data), saved)
