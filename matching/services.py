"""Writes of matching: choosing a suggested mentor starts the duo through
``duos.services.duo_create`` (every rule of a duo applies) and records the
choice, its rank and score parts (``MatchChoice``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duos.services import duo_create

from .models import MatchChoice
from .selectors import suggestions_for


def match_choose(*, mentee, mentor, programme, start_date, convention=None, chosen_by, today):
    """Start the duo of ``mentee`` and ``mentor`` in ``programme`` on
    ``start_date`` and record the choice. The mentor must be among the
    suggestions ranked for ``today`` (else ``ValidationError`` on ``mentor``);
    the duo's own rules are ``duo_create``'s (its ``ValidationError`` keyed by
    field). Returns the ``MatchChoice``; nothing is written on an error."""
    suggestions = suggestions_for(mentee=mentee, programme=programme, today=today)
    chosen = suggestions.rank_of(mentor.pk)
    if chosen is None:
        raise ValidationError(
            {"mentor": [_("This mentor is no longer among the suggestions: reload the page and choose again.")]}
        )
    with transaction.atomic():
        duo = duo_create(
            programme=programme,
            mentor=mentor,
            mentee=mentee,
            start_date=start_date,
            convention=convention,
            today=today,
        )
        choice = MatchChoice(
            partner_id=programme.partner_id,
            programme=programme,
            mentee=mentee,
            mentor=mentor,
            duo=duo,
            rank=chosen.rank,
            candidates=len(suggestions.ranked),
            score=chosen.score,
            parts=chosen.parts_dict(),
            mentee_waiting_days=suggestions.mentee_waiting_days,
            chosen_by=chosen_by,
        )
        choice.full_clean()
        choice.save()
    return choice
