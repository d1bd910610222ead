"""Erasure of a person's identity (GDPR art. 17, on request) and retention
(pseudonymising people whose last duo closed more than ``RETENTION_YEARS``
ago). Both keep every record and every figure: they overwrite the fields listed
in ``privacy.registry.PERSONAL_DATA``, on the live tables and in the history."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from duos.models import Duo, DuoStatus, Mentee, Mentor, MigrationBackground

from .models import Erasure, ErasureReason, PersonKind
from .registry import DUOS, OWN_DUOS, PERSONAL_DATA, SELF

# Any: the plugin cannot follow annotations made on a union of two models' querysets.
PERSON_MODELS: dict[str, Any] = {
    PersonKind.MENTEE: Mentee,
    PersonKind.MENTOR: Mentor,
}
CHUNK = 500


def person_kind_of(person: Mentee | Mentor) -> str:
    return PersonKind.MENTEE if isinstance(person, Mentee) else PersonKind.MENTOR


def _scrub(kind: str, person_ids: Sequence[int]) -> None:
    """Overwrite the personal fields of people ``person_ids`` of ``kind`` and of
    their duos' rows, live and historical: one UPDATE per registry entry and table."""
    duo_ids = list(Duo.objects.filter(**{f"{kind}_id__in": person_ids}).values_list("pk", flat=True))
    for entry in PERSONAL_DATA:
        if kind not in entry.people:
            continue
        model = entry.model_class()
        by_link: dict[str, dict[str, Any]] = {
            SELF: {"id__in": person_ids},
            OWN_DUOS: {"id__in": duo_ids},
            DUOS: {"duo_id__in": duo_ids},
        }
        filters = by_link[entry.link]
        model._default_manager.filter(**filters).update(**entry.values())
        model.history.filter(**filters).update(**entry.values())
    if kind == PersonKind.MENTEE:
        # Special-category data: removed outright (its history holds no value).
        MigrationBackground.objects.filter(mentee_id__in=person_ids).delete()


@transaction.atomic
def person_erase(*, person: Mentee | Mentor, by: User, reason: str = ErasureReason.REQUEST) -> Erasure:
    """Erase ``person``'s identity (a ``Mentee`` or ``Mentor``): names, contact
    details, job-seeker number, birth date kept as a year, free-text notes, the
    migration background; in their duos' rows and in every history table too.
    Dates, statuses and outcomes stay, so every figure stays the same.

    Raises ``ValidationError`` if the person is in an active duo (close it
    first) or was erased already; nothing is written then."""
    kind = person_kind_of(person)
    if Erasure.objects.filter(person_kind=kind, person_id=person.pk).exists():
        raise ValidationError(_("This person's identity was erased already."))
    if Duo.objects.filter(**{kind: person}, status=DuoStatus.ACTIVE).exists():
        raise ValidationError(_("This person is in an active duo: close the duo before erasing their identity."))
    _scrub(kind, [person.pk])
    return Erasure.objects.create(
        person_kind=kind, person_id=person.pk, partner_id=person.partner_id, reason=reason, by=by.get_username()
    )


def retention_cutoff(*, today: datetime.date | None = None, years: int | None = None) -> datetime.date:
    """The day before which a person's last duo must have closed for retention."""
    today = today or timezone.localdate()
    return today - relativedelta(years=settings.RETENTION_YEARS if years is None else years)


def retention_candidates(*, today: datetime.date | None = None, years: int | None = None) -> dict[str, QuerySet]:
    """People to pseudonymise, by kind: not erased yet, in no active duo, and
    whose last duo ended before the cut-off (or, never matched, registered
    before it). A querysets per kind, ordered by id."""
    cutoff = retention_cutoff(today=today, years=years)
    candidates = {}
    for kind, model in PERSON_MODELS.items():
        duos = Duo.objects.filter(**{kind: OuterRef("pk")}).order_by()
        last_end = duos.values(kind).annotate(last=Max("end_date")).values("last")
        erased = Erasure.objects.filter(person_kind=kind, person_id=OuterRef("pk"))
        candidates[kind] = (
            model.objects.annotate(
                last_end=Subquery(last_end),
                active=Exists(duos.filter(status=DuoStatus.ACTIVE)),
                erased=Exists(erased),
            )
            .filter(active=False, erased=False, created_at__date__lt=cutoff)
            .filter(Q(last_end__lt=cutoff) | Q(last_end__isnull=True))
            .order_by("pk")
        )
    return candidates


def retention_apply(
    *, today: datetime.date | None = None, years: int | None = None, dry_run: bool = False
) -> dict[str, list[tuple[int, int]]]:
    """Pseudonymise the ``retention_candidates`` (in chunks of 500, one
    transaction each). Returns ``{kind: [(id, partner_id), ...]}``, the people
    affected (or, with ``dry_run``, who would be). Safe to run twice."""
    affected = {}
    for kind, queryset in retention_candidates(today=today, years=years).items():
        people = list(queryset.values_list("pk", "partner_id"))
        affected[kind] = people
        if dry_run:
            continue
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            with transaction.atomic():
                _scrub(kind, [pk for pk, _partner in chunk])
                Erasure.objects.bulk_create(
                    [
                        Erasure(person_kind=kind, person_id=pk, partner_id=partner, reason=ErasureReason.RETENTION)
                        for pk, partner in chunk
                    ],
                    ignore_conflicts=True,
                )
    return affected
