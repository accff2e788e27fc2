"""The pages every register has, written once and driven by its Kind (registers/kinds.py): the list
with filters and pagination, the detail with history, create, edit (versioned_edit) and delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.history import history_entries

from .. import permissions, selectors, services
from ..display import cell, field_rows
from ..forms import FilterForm
from ..kinds import KINDS, SECTIONS, section_of
from . import extras

PAGE_SIZE = 25


def _form(kind, access, data=None, *, instance=None, parent=None, initial=None):
    kwargs = {"project": access.project, "instance": instance, "initial": initial}
    if kind.key == "actuals":
        kwargs["target"] = parent if parent is not None else instance.target
    elif kind.key == "measurements":
        kwargs["objective"] = parent if parent is not None else instance.objective
    return kind.form(data, **kwargs)


def list_url(kind, project) -> str:
    return reverse(f"registers:{kind.name}_list", args=[project.pk])


def back_url(kind, obj, project) -> str:
    """Where a child record's pages lead back to: its parent's page."""
    if kind.parent:
        return (
            getattr(obj, kind.parent_field).get_absolute_url() if obj is not None else list_url(kind, project)
        )
    return list_url(kind, project)


def _columns(kind):
    wanted = kind.list_columns or tuple(c.header for c in kind.columns[:6])
    return [c for c in kind.columns if c.header in wanted]


def entry_list(request, project_id, kind):
    kind = KINDS[kind]
    access = get_project_for_user(request, project_id)
    project = access.project
    form = FilterForm(
        request.GET or None,
        project=project,
        choices=[(s.field, s.label, s.choices) for s in kind.filters],
        owner=True,
    )
    filters = form.filters() if form.is_bound else {}
    filters.pop("page", None)
    rows = selectors.entry_list(kind, project, filters, today=timezone.localdate())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = _columns(kind)
    table = [(obj, [cell(c.value(obj)) for c in columns]) for obj in page]
    return render(
        request,
        "registers/entry_list.html",
        {
            "project": project,
            "kind": kind,
            "form": form,
            "page": page,
            "headers": [c.header for c in columns],
            "table": table,
            "filtered": bool(filters),
            "sections": SECTIONS,
            "nav_section": section_of(kind),
            "can_create": permissions.can_create(access),
            "can_import": permissions.can_import(access) and kind.importable,
            "export_query": request.GET.urlencode(),
        },
    )


def entry_detail(request, project_id, pk, kind):
    kind = KINDS[kind]
    access = get_project_for_user(request, project_id)
    obj = selectors.entry_detail(kind, access.project, pk)
    may_edit = permissions.can_edit(access, kind, obj)
    return render(
        request,
        "registers/entry_detail.html",
        {
            "project": access.project,
            "kind": kind,
            "obj": obj,
            "fields": field_rows(obj, kind.detail_fields),
            "history": history_entries(obj),
            "can_edit": may_edit,
            "can_delete": permissions.can_delete(access),
            "back_url": back_url(kind, obj, access.project),
            "sections": SECTIONS,
            "nav_section": section_of(kind),
            "extra_template": f"registers/partials/{kind.key}_extra.html",
            **extras.context(kind, obj, access),
        },
    )


def entry_create(request, project_id, kind, parent_id=None):
    kind = KINDS[kind]
    access = get_project_for_user(request, project_id)
    parent = None
    if kind.parent:
        parent = selectors.entry_for_parent(kind, access.project, parent_id)
        access.require(permissions.can_create_child(access, KINDS[kind.parent], parent))
    else:
        access.require(permissions.can_create(access))
    initial = {"owner": request.user.pk} if not access.is_lead else None
    form = _form(kind, access, request.POST or None, parent=parent, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = services.entry_create(
                    kind=kind,
                    project=access.project,
                    parent=parent,
                    data=form.cleaned_data,
                    user=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("%(noun)s “%(entry)s” added.") % {"noun": capfirst(kind.noun), "entry": obj}
                )
                if kind.key == "actuals" or kind.key == "measurements":
                    return redirect(getattr(obj, kind.parent_field).get_absolute_url())
                return redirect(obj.get_absolute_url())
        status = 422
    return render(
        request,
        "registers/entry_form.html",
        {
            "project": access.project,
            "kind": kind,
            "form": form,
            "parent": parent,
            "cancel_url": parent.get_absolute_url() if parent is not None else list_url(kind, access.project),
            "sections": SECTIONS,
        },
        status=status,
    )


def entry_edit(request, project_id, pk, kind):
    kind = KINDS[kind]
    access = get_project_for_user(request, project_id)
    obj = selectors.entry_detail(kind, access.project, pk)
    access.require(permissions.can_edit(access, kind, obj))
    form = _form(kind, access, request.POST or None, instance=obj)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.entry_update(
            kind=kind, project=access.project, obj=obj, data=data, expected_version=version, user=request.user
        ),
        on_conflict=lambda current: conflict_form(
            kind.form,
            current,
            noun=kind.noun,
            project=access.project,
            **({"target": obj.target} if kind.key == "actuals" else {}),
            **({"objective": obj.objective} if kind.key == "measurements" else {}),
        ),
    )
    if edit.saved:
        messages.success(
            request, _("%(noun)s “%(entry)s” saved.") % {"noun": capfirst(kind.noun), "entry": edit.result}
        )
        return redirect(_after_save(kind, edit.result))
    return render(
        request,
        "registers/entry_form.html",
        {
            "project": access.project,
            "kind": kind,
            "form": edit.form,
            "obj": obj,
            "cancel_url": _after_save(kind, obj),
            "history": history_entries(obj) if kind.key in ("actuals", "measurements") else None,
            "sections": SECTIONS,
        },
        status=edit.status,
    )


def _after_save(kind, obj) -> str:
    if kind.key in ("actuals", "measurements"):
        return getattr(obj, kind.parent_field).get_absolute_url()
    return obj.get_absolute_url()


def entry_delete(request, project_id, pk, kind):
    kind = KINDS[kind]
    access = get_project_for_user(request, project_id)
    obj = selectors.entry_detail(kind, access.project, pk)
    access.require(permissions.can_delete(access))
    after = back_url(kind, obj, access.project)
    if request.method == "POST":
        label = str(obj)
        services.entry_delete(kind=kind, project=access.project, obj=obj, user=request.user)
        messages.success(
            request, _("%(noun)s “%(entry)s” deleted.") % {"noun": capfirst(kind.noun), "entry": label}
        )
        return redirect(after)
    return render(
        request,
        "confirm_delete.html",
        {
            "title": _("Delete %(noun)s “%(entry)s”?") % {"noun": kind.noun, "entry": obj},
            "body": extras.delete_warning(kind, obj),
            "confirm_label": _("Delete %(noun)s") % {"noun": kind.noun},
            "cancel_url": _after_save(kind, obj)
            if kind.key in ("actuals", "measurements")
            else obj.get_absolute_url(),
        },
    )
