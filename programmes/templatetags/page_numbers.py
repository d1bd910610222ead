"""The page numbers a list's pagination shows (``partials/pagination.html``)."""

from django import template

register = template.Library()


@register.simple_tag
def page_numbers(page, on_each_side=2, on_ends=1):
    """The numbers of the pages around ``page`` and at both ends, with
    ``None`` for each gap: for page 10 of 50, ``[1, None, 8, 9, 10, 11, 12,
    None, 50]``. A list of ints and ``None``.

    It reads only the paginator's page count, which the page itself already
    counted: no query (the list views' query counts stay flat)."""
    return [
        None if number == page.paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends)
    ]
