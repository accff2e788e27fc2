"""Page-number pagination on every list: `?page=` and `?page_size=` (at most 100).

Pages rather than cursors: the lists keep the web pages' orderings (open tasks before done ones,
by due date), which are expressions a cursor cannot encode."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
