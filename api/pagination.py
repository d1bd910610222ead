"""Cursor pagination: pages follow opaque ``next``/``previous`` links, stay
correct while rows are added, and cost the same on page 1 and page 2,000
(no OFFSET, no COUNT)."""

from django.conf import settings
from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Newest records first (by id, which only grows). ``page_size`` may ask
    for up to ``API_MAX_PAGE_SIZE`` rows."""

    ordering = "-pk"
    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE
