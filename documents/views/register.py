from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kernel import pagecache
from kernel.access import get_project_for_user

from .. import selectors
from ..exports import register_workbook
from ..forms import RegisterFilterForm
from ..permissions import can_create_document

PAGE_SIZE = 25  # rows of the register a page shows
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request, project):
    form = RegisterFilterForm(
        request.GET or None, project=project, clauses=selectors.register_clauses(project)
    )
    filters = form.filters() if form.is_bound else {}
    return form, filters, selectors.register(project, filters)


def _filter_query(request) -> str:
    query = request.GET.copy()
    for name in list(query):
        if name not in RegisterFilterForm.base_fields:
            del query[name]
    return query.urlencode()


REGISTER_DATA = ("form", "page", "filtered", "coverage", "records")


def register(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project

    def compute():
        form, filters, documents = _filtered(request, project)
        coverage = selectors.mandatory_coverage(project)
        return {
            "form": form,
            "page": Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page")),
            "filtered": any(v for v in filters.values()),
            "coverage": coverage,
            "records": coverage.records,
        }

    # Read inside the template's cached part (kernel/pagecache.py): on a hit none of the
    # register's queries runs.
    data = pagecache.lazy(compute)
    return render(
        request,
        "documents/register.html",
        {
            "project": project,
            "today": timezone.localdate(),
            **{name: pagecache.lazy(lambda name=name: data[name]) for name in REGISTER_DATA},
            "can_create": can_create_document(access),
            # The filters only (the cached part's key holds these, not the whole query string).
            "export_query": _filter_query(request),
        },
    )


def register_export(request, project_id):
    access = get_project_for_user(request, project_id)
    _form, _filters, documents = _filtered(request, access.project)
    response = HttpResponse(register_workbook(access.project, documents), content_type=XLSX)
    filename = f"document-register-{access.project.pk}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
