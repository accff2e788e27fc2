"""Page-number pagination on every list: `?page=` and `?page_size=` (at most 100).

Pages rather than cursors: the lists keep the web pages' orderings (open tasks before done ones,
by due date), which are expressions a cursor cannot encode.

Both parameters are whole numbers from 1, as the schema says: anything else is refused with 422
rather than quietly replaced by the default; a page_size above 100 is served as 100, a page past the
end is 404."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination


def _whole_number(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw, 10)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({name: _("A whole number from 1.")})
    return value


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        _whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
