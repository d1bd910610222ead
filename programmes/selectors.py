"""Reads of partners, programmes and funding conventions with the counts their
screens show.

The duos app is built on this one (a duo belongs to a partner, a programme and
a convention), so this app does not import it: it reaches the duos that point
at its rows through their reverse relation (``related_name="duos"``), the way
the ORM offers it, and uses the duos' own queryset (``visible_to``,
``active``, ``closed``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mentoring.queries import count_subquery
from mentoring.types import AnyUser

from .models import FundingConvention, Partner, Programme


def _duos() -> Any:
    """The duos' queryset, reached through the partner's reverse relation
    (typed ``Any``: this app does not import the duos' queryset class)."""
    return Partner._meta.get_field("duos").related_model._default_manager.all()


def partners_with_counts(queryset: QuerySet[Partner]) -> QuerySet[Partner]:
    """``queryset`` (partners) annotated with ``active_duos``, ``closed_duos``
    and ``programme_count``: one subquery per count, so the joins never
    multiply each other."""
    return queryset.annotate(
        active_duos=count_subquery(_duos().active(), "partner"),
        closed_duos=count_subquery(_duos().closed(), "partner"),
        programme_count=count_subquery(Programme.objects.all(), "partner"),
    )


def programmes_with_counts(queryset: QuerySet[Programme], *, closed: bool = False) -> QuerySet[Programme]:
    """``queryset`` (programmes) with their partner, annotated with
    ``active_duos`` (and ``closed_duos`` when ``closed``)."""
    counts = {"active_duos": count_subquery(_duos().active(), "programme")}
    if closed:
        counts["closed_duos"] = count_subquery(_duos().closed(), "programme")
    return queryset.select_related("partner").annotate(**counts)


def convention_list_for_user(user: AnyUser) -> QuerySet[FundingConvention]:
    """Conventions ``user`` may see, with ``duo_count``: the number of *their*
    duos under each. ``visible_to`` joins shares and duos for a coordinator;
    taking only its ids keeps that join (and its DISTINCT) away from the
    annotated rows."""
    visible = FundingConvention.objects.visible_to(user)
    return FundingConvention.objects.filter(pk__in=visible.values("pk")).annotate(
        duo_count=count_subquery(_duos().visible_to(user), "convention")
    )
