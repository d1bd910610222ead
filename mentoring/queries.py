"""Query expressions every app's selectors share."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_subquery(rows: QuerySet, field: str) -> Coalesce:
    """The number of ``rows`` (a queryset, already filtered as the caller
    needs, e.g. the duos the user may see) whose ``field`` (a foreign key, or
    a lookup path ending in one) is the outer row, as one correlated COUNT
    subquery; 0 when there are none. Counting in a subquery never joins the
    rows into the outer query, so several counts never multiply each other."""
    counted = rows.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
