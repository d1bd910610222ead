"""Mentors and mentees."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from .. import bounds
from ..models import Duo, MigrationBackground
from .common import check_unchanged


def _birth_date_against_duos(*, person_field, person):
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


def _lock_and_check(person, opened_version):
    """Lock an existing person's row and refuse the save when it changed since
    ``opened_version`` (see ``common.check_unchanged``)."""
    if person.pk is None:
        return
    current = type(person).objects.select_for_update().filter(pk=person.pk).first()
    if current is not None:
        check_unchanged(current, opened_version)


def mentor_save(*, mentor, opened_version=None):
    """Create or update a mentor; ``mentor.partner`` is set by the caller from
    the coordinator's partner, never from user input. The field bounds
    (``bounds.validate_birth_date``) and, for a mentor with duos, the age at
    their starts apply; ``opened_version`` refuses a save over a newer one."""
    mentor.full_clean()
    errors = _birth_date_against_duos(person_field="mentor", person=mentor)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_and_check(mentor, opened_version)
        mentor.save()
    return mentor


def mentee_save(*, mentee, has_migration_background=None, opened_version=None):
    """Create or update a mentee and, apart from it, its migration background
    (special-category data kept in its own table). ``has_migration_background``
    is ``True``/``False`` to record an answer, ``None`` for "not recorded"
    (an existing record is then removed).

    The job-seeker number has the configured format
    (``bounds.validate_jobseeker_number``) and is unique per partner; a clash,
    including one with a concurrent save, is reported on that field.
    ``opened_version`` refuses a save over a newer one.
    """
    clash_message = _("This partner already has a mentee with this job-seeker number.")
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
