"""Reads of matching: the waiting list, the mentors a programme's hard rules
allow for a mentee, and their ranked suggestions. Every read starts from what
the user may see (``visible_to``)."""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DateField, Exists, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from duos import bounds
from duos.models import Duo, DuoStatus, Mentee, Mentor
from duos.services import mentee_eligibility_errors

from . import scoring
from .models import MatchingWeights

# Suggestions shown on the page (all candidates are ranked; the rest are counted).
SHOWN = 15


def waiting_mentees(user):
    """The waiting list: mentees visible to ``user`` who have never had a duo
    (a cancelled duo, entered by mistake, does not count), longest waiting
    first (registration date, then id). A mentee whose duo ended early is not
    on it: they start again from their own page. One query per page."""
    counted_duos = Duo.objects.filter(mentee=OuterRef("pk")).exclude(status=DuoStatus.CANCELLED)
    return (
        Mentee.objects.visible_to(user)
        .filter(~Exists(counted_duos))
        .select_related("partner")
        .only(
            "first_name",
            "last_name",
            "jobseeker_number",
            "registered_on",
            "spoken_languages",
            "sector",
            "commune",
            "partner__name",
        )
        .order_by("registered_on", "pk")
    )


def _active_duos():
    rows = (
        Duo.objects.filter(mentor=OuterRef("pk"), status=DuoStatus.ACTIVE)
        .order_by()
        .values("mentor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _last_end():
    rows = (
        Duo.objects.filter(mentor=OuterRef("pk"), status=DuoStatus.CLOSED)
        .order_by()
        .values("mentor")
        .annotate(last=Max("end_date"))
        .values("last")
    )
    return Subquery(rows, output_field=DateField())


def candidate_mentors(*, programme, start_date):
    """Mentors of ``programme``'s partner who pass its hard rules on
    ``start_date``: the age bounds (general and the programme's minimum) and a
    free place (fewer active duos than ``max_active_duos_per_mentor``).
    Annotated with ``active_duos`` and ``waiting_since`` (the end of their
    last duo, or their record's creation day; ``None`` while running a duo).
    One query."""
    oldest_birth = start_date - relativedelta(years=bounds.MAX_AGE + 1)
    youngest_age = max(bounds.MIN_AGE, programme.mentor_min_age or 0)
    youngest_birth = start_date - relativedelta(years=youngest_age)
    return (
        Mentor.objects.filter(partner_id=programme.partner_id)
        .filter(birth_date__gt=oldest_birth, birth_date__lte=youngest_birth)
        .annotate(active_duos=_active_duos(), last_end=_last_end(), created_on=TruncDate("created_at"))
        .filter(active_duos__lt=programme.max_active_duos_per_mentor)
        .only(
            "first_name",
            "last_name",
            "partner_id",
            "birth_date",
            "employer",
            "job_title",
            "spoken_languages",
            "sector",
            "commune",
            "availability",
        )
        .order_by("pk")
    )


@dataclass
class SuggestionList:
    """What the suggestions page shows: the mentee's blocking rule errors (then
    no suggestion), the weights used, every candidate ranked, and the mentee's
    wait in days."""

    programme: object
    weights: object
    mentee_errors: list
    ranked: list
    mentee_waiting_days: int

    @property
    def shown(self):
        return self.ranked[:SHOWN]

    def rank_of(self, mentor_id):
        """The ``Suggestion`` of ``mentor_id``, or ``None`` if not a candidate."""
        return next((s for s in self.ranked if s.mentor.pk == mentor_id), None)


def mentor_waiting_days(mentor, today):
    """Days ``mentor`` has waited for a mentee on ``today`` (see ``scoring``)."""
    if mentor.active_duos:
        return 0
    since = mentor.last_end or mentor.created_on
    return max(0, (today - since).days)


def suggestions_for(*, mentee, programme, today):
    """The ranked mentors for ``mentee`` in ``programme`` for a duo starting
    ``today``: hard rules first (the mentee's own, then each mentor's), then
    the score (``scoring``). A fixed number of queries, whatever the number
    of mentors."""
    weights = MatchingWeights.for_programme(programme)
    errors = mentee_eligibility_errors(programme=programme, mentee=mentee, start_date=today)
    mentee_errors = [str(message) for messages in errors.values() for message in messages]
    ranked = []
    if not mentee_errors:
        suggestions = []
        # The query applies the mentor's rules (``mentor_eligibility_errors``
        # and the capacity, as bounds on the birth date and a count); the
        # chosen one is checked again by ``duo_create``.
        for mentor in candidate_mentors(programme=programme, start_date=today):
            suggestions.append(
                scoring.score(
                    mentee=mentee,
                    mentor=mentor,
                    weights=weights,
                    active_duos=mentor.active_duos,
                    capacity=programme.max_active_duos_per_mentor,
                    mentor_waiting_days=mentor_waiting_days(mentor, today),
                )
            )
        ranked = scoring.rank(suggestions)
    return SuggestionList(
        programme=programme,
        weights=weights,
        mentee_errors=mentee_errors,
        ranked=ranked,
        mentee_waiting_days=max(0, (today - mentee.registered_on).days),
    )
