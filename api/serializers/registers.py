"""The registers in the REST API (issue 23 §1). One read and one write serializer per register kind,
made from its Kind (model and form fields),
so the schema names every field and the API reads like the register's pages."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from rest_framework import serializers

from registers.kinds import KINDS, Kind
from registers.models import ContextDetermination, Service

# Read-only fields a register works out itself, shown besides the form's.
DERIVED = {
    "actuals": ("met", "source", "recorded_by"),
    "measurements": ("recorded_by",),
}


def form_fields(kind: Kind) -> list[str]:
    return list(kind.form._meta.fields)


def _ref(kind: Kind, suffix: str = "") -> str:
    return "Register" + "".join(part.capitalize() for part in kind.name.split("_")) + suffix


class _Score(serializers.IntegerField):
    pass


@cache
def read_serializer(kind: Kind):
    fields = [
        "id",
        *([kind.parent_field] if kind.parent else []),
        *form_fields(kind),
        *DERIVED.get(kind.key, ()),
    ]
    attrs = {}
    if kind.key == "risks":
        attrs["score"] = serializers.IntegerField(read_only=True, help_text="Likelihood × impact (1–25).")
        fields.append("score")
    meta = type(
        "Meta",
        (),
        {
            "model": kind.model,
            "fields": [*fields, "version", "created_at", "updated_at"],
            "read_only_fields": [*fields, "version", "created_at", "updated_at"],
            "ref_name": _ref(kind),
        },
    )
    return type(_ref(kind) + "Serializer", (serializers.ModelSerializer,), {"Meta": meta, **attrs})


def _write_fields(kind: Kind) -> dict:
    attrs = {}
    user_fields = ("owner", "reviewed_by")
    for name in form_fields(kind):
        if name in user_fields:
            attrs[name] = serializers.PrimaryKeyRelatedField(
                queryset=get_user_model().objects.all(),
                allow_null=True,
                required=False,
                help_text="A member of this project (a user id), or null.",
            )
        elif name in kind.m2m:
            attrs[name] = serializers.PrimaryKeyRelatedField(
                queryset=Service.objects.all(),
                many=True,
                required=False,
                help_text="Services of this project (ids).",
            )
    return attrs


@cache
def write_serializer(kind: Kind, *, update: bool):
    """Input of create (required as on the form) or of update (PATCH: what changes, with the `version`
    you read or its ETag as If-Match). The form checks the rest (members, the project's services, one
    figure per month)."""
    fields = form_fields(kind)
    attrs = _write_fields(kind)
    extra = {}
    if update:
        extra = {name: {"required": False} for name in fields}
        attrs["version"] = serializers.IntegerField(
            min_value=1,
            required=False,
            help_text="The version you read (a stale one gets 409); may be sent as If-Match instead.",
        )
    if kind.key == "actuals":
        attrs["month"] = serializers.DateField(
            required=not update, help_text="Any day of the month the figure covers (stored as its first day)."
        )
    meta = type(
        "Meta",
        (),
        {
            "model": kind.model,
            "fields": [*fields, *(["version"] if update else [])],
            "extra_kwargs": extra,
            "ref_name": _ref(kind, "Update" if update else "Create"),
        },
    )
    return type(
        _ref(kind, "Update" if update else "Create") + "Serializer",
        (serializers.ModelSerializer,),
        {"Meta": meta, **attrs},
    )


class ContextSerializer(serializers.ModelSerializer):
    # null until the lead first records the determination (GET answers the defaults then)
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = ContextDetermination
        fields = [
            "climate_change", "climate_change_reason", "summary", "reviewed_on", "reviewed_by", "review_date",
            "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
        ref_name = "RegisterContext"


class ContextUpdateSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (none the first time)."
    )

    class Meta:
        model = ContextDetermination
        fields = [
            "climate_change",
            "climate_change_reason",
            "summary",
            "reviewed_on",
            "reviewed_by",
            "review_date",
            "version",
        ]
        extra_kwargs = {name: {"required": False} for name in fields}
        ref_name = "RegisterContextUpdate"


def all_kinds() -> list[Kind]:
    return list(KINDS.values())
