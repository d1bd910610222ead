"""Mentors and mentees."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q, UniqueConstraint
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from programmes.models import Partner

from .. import bounds
from ..models import Duo, Mentee, Mentor, MigrationBackground
from ..search import SearchText, normalise
from .common import Errors, check_unchanged

# A new mentor or mentee who looks like one already recorded by the partner
# (same name and birth date) needs the coordinator's confirmation
# (``confirm_duplicate``): it is more often a second entry of one person than
# a namesake born the same day.
DUPLICATE_CODE = "possible_duplicate"


def possible_duplicates(person: Mentor | Mentee, *, limit: int = 5) -> list[Mentor | Mentee]:
    """The people of ``person``'s partner, never another partner's, that
    ``person`` (a ``Mentor`` or a ``Mentee``, saved or not) may duplicate: the
    same first and last name, accents and case aside, and the same birth date;
    for a mentee also the same job-seeker number. ``person`` itself is left
    out. A list of at most ``limit`` records, oldest first (two queries at
    most: none when the partner or the names are missing)."""
    if not person.partner_id or not (person.first_name and person.last_name):
        return []
    condition = Q()
    if person.birth_date:
        name = normalise(f"{person.first_name.strip()} {person.last_name.strip()}")
        condition |= Q(search_name=name, birth_date=person.birth_date)
    number = getattr(person, "jobseeker_number", "")
    if number:
        condition |= Q(jobseeker_number=number)
    if not condition:
        return []
    return list(
        type(person)
        .objects.filter(partner_id=person.partner_id)
        .exclude(pk=person.pk)
        .alias(search_name=SearchText("first_name", "last_name"))
        .filter(condition)
        .order_by("pk")[:limit]
    )


def _check_duplicate(person: Mentor | Mentee, confirm_duplicate: bool | None, message: str) -> None:
    """Refuse a new ``person`` who looks like one already recorded
    (``possible_duplicates``) unless ``confirm_duplicate``; ``None`` means the
    caller does not ask (the import and the API: their rows carry the
    partner's own reference)."""
    if confirm_duplicate is None or confirm_duplicate or person.pk is not None:
        return
    if possible_duplicates(person):
        raise ValidationError(message, code=DUPLICATE_CODE)


def _birth_date_against_duos(*, person_field: str, person: Mentor | Mentee) -> Errors:
    """The bounds on ``person``'s birth date from the start dates of their
    duos (cancelled ones aside): 15 at the first, at most 100 at the last."""
    if person.pk is None or person.birth_date is None:
        return {}
    starts = (
        Duo.objects.not_cancelled()
        .filter(**{person_field: person})
        .aggregate(first=Min("start_date"), last=Max("start_date"))
    )
    return bounds.birth_date_against_duos_errors(
        birth_date=person.birth_date, first_start=starts["first"], last_start=starts["last"]
    )


def _lock_and_check(person: Mentor | Mentee, opened_version: datetime.datetime | None) -> None:
    """Lock an existing person's row and refuse the save when it changed since
    ``opened_version`` (see ``common.check_unchanged``)."""
    if person.pk is None:
        return
    current = type(person).objects.select_for_update().filter(pk=person.pk).first()
    if current is not None:
        check_unchanged(current, opened_version)


def mentor_save(
    *, mentor: Mentor, opened_version: datetime.datetime | None = None, confirm_duplicate: bool | None = None
) -> Mentor:
    """Create or update a mentor; ``mentor.partner`` is set by the caller from
    the coordinator's partner, never from user input. The field bounds
    (``bounds.validate_birth_date``) and, for a mentor with duos, the age at
    their starts apply; ``opened_version`` refuses a save over a newer one.
    With ``confirm_duplicate=False`` a new mentor with the name and birth date
    of one of the partner's mentors is refused (code ``DUPLICATE_CODE``) until
    the coordinator confirms (``True``)."""
    mentor.full_clean()
    errors = _birth_date_against_duos(person_field="mentor", person=mentor)
    if errors:
        raise ValidationError(errors)
    _check_duplicate(
        mentor,
        confirm_duplicate,
        _(
            "A mentor with the same name and birth date is already recorded (see below). If this is another "
            "person, tick the box and save again."
        ),
    )
    with transaction.atomic():
        _lock_and_check(mentor, opened_version)
        mentor.save()
    return mentor


def mentee_save(
    *,
    mentee: Mentee,
    has_migration_background: bool | None = None,
    opened_version: datetime.datetime | None = None,
    confirm_duplicate: bool | None = None,
) -> Mentee:
    """Create or update a mentee and, apart from it, its migration background
    (special-category data kept in its own table). ``has_migration_background``
    is ``True``/``False`` to record an answer, ``None`` for "not recorded"
    (an existing record is then removed).

    The job-seeker number has the configured format
    (``bounds.validate_jobseeker_number``) and is unique per partner; a clash,
    including one with a concurrent save, is reported on that field.
    ``opened_version`` refuses a save over a newer one. With
    ``confirm_duplicate=False`` a new mentee with the name and birth date of
    one of the partner's mentees is refused (code ``DUPLICATE_CODE``) until the
    coordinator confirms (``True``).
    """
    clash_message = _clash_message()
    clash = (
        type(mentee)
        .objects.filter(partner_id=mentee.partner_id, jobseeker_number=mentee.jobseeker_number)
        .exclude(pk=mentee.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"jobseeker_number": [clash_message]})
    mentee.full_clean()
    errors = _birth_date_against_duos(person_field="mentee", person=mentee)
    if errors:
        raise ValidationError(errors)
    _check_duplicate(
        mentee,
        confirm_duplicate,
        _(
            "A mentee with the same name and birth date is already recorded (see below). If this is another "
            "person, tick the box and save again."
        ),
    )
    is_new = mentee.pk is None
    try:
        with transaction.atomic():
            _lock_and_check(mentee, opened_version)
            mentee.save()
            if has_migration_background is None:
                MigrationBackground.objects.filter(mentee=mentee).delete()
            else:
                MigrationBackground.objects.update_or_create(
                    mentee=mentee, defaults={"has_migration_background": has_migration_background}
                )
    except IntegrityError as exc:  # a concurrent save took the number first
        if is_new:
            mentee.pk = None
        raise ValidationError({"jobseeker_number": [clash_message]}) from exc
    return mentee


def people_create_many(
    *, people: Sequence[Mentor | Mentee], backgrounds: Sequence[bool | None] | None = None
) -> list[Mentor | Mentee | ValidationError]:
    """Create several new mentors, or several new mentees, at once (the
    spreadsheet import), each judged as ``mentor_save`` / ``mentee_save``
    judge a new one after the ones before it were saved: the field bounds,
    the partner's unique reference or job-seeker number (with the same
    message), and the migration background apart (``backgrounds``: one
    ``True``/``False``/``None`` per mentee). A new person has no duo, so no
    age at a start to check. One query to find the numbers taken, one insert
    of the people and one of their history (``bulk_create_with_history``,
    naming the same user as a save), whatever their number.

    ``people``: unsaved ``Mentor`` or ``Mentee`` instances of one model, their
    partner set by the caller. Returns a list as long as ``people``: the saved
    person or the ``ValidationError`` that refused it."""
    if not people:
        return []
    model = type(people[0])
    key = "reference" if model is Mentor else "jobseeker_number"
    partners = {person.partner_id for person in people}
    known_partners = set(Partner.objects.filter(pk__in=partners).values_list("pk", flat=True))
    taken = set()
    for partner_id in known_partners:
        values = [getattr(person, key) for person in people if person.partner_id == partner_id]
        for start in range(0, len(values), 500):  # under SQLite's variable limit
            taken |= {
                (partner_id, value)
                for value in model.objects.filter(
                    partner_id=partner_id, **{f"{key}__in": values[start : start + 500]}
                ).values_list(key, flat=True)
            }
    results, new = [], []
    for person in people:
        result = _judge_new_person(person, key=key, taken=taken, known_partners=known_partners)
        results.append(result)
        if result is person:
            taken.add((person.partner_id, getattr(person, key)))
            new.append(person)
    with transaction.atomic():
        # The database's unique constraints stay the last word.
        bulk_create_with_history(new, model)
        if model is Mentee and backgrounds is not None:
            answers = [
                MigrationBackground(mentee_id=mentee.pk, has_migration_background=answer)
                for mentee, answer in zip(people, backgrounds, strict=True)
                if mentee.pk is not None and answer is not None
            ]
            bulk_create_with_history(answers, MigrationBackground)
    return results


def _judge_new_person(
    person: Mentor | Mentee, *, key: str, taken: set[tuple[int, str]], known_partners: set[int]
) -> Mentor | Mentee | ValidationError:
    """``mentor_save``'s or ``mentee_save``'s checks of a new ``person``, the
    numbers ``taken`` in memory: ``person`` or the ``ValidationError``."""
    clash = bool(getattr(person, key)) and (person.partner_id, getattr(person, key)) in taken
    if clash and isinstance(person, Mentee):  # checked first, as ``mentee_save`` does
        return ValidationError({"jobseeker_number": [_clash_message()]})
    errors: dict[str, list] = {}
    try:
        # The partner was looked up above; the unique rule is the ``taken`` set.
        exclude = ["partner"] if person.partner_id in known_partners else []
        person.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if clash:  # the unique constraint's own message, as ``full_clean`` gives it
        (constraint,) = [c for c in type(person)._meta.constraints if isinstance(c, UniqueConstraint)]
        error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
        errors = error.update_error_dict(errors)
    return ValidationError(errors) if errors else person


def _clash_message() -> str:
    return _("This partner already has a mentee with this job-seeker number.")
