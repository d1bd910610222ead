"""The score of a mentor for a mentee: transparent, part by part.

Only mentors who pass the programme's hard rules are scored
(``matching.selectors.candidate_mentors``). Each part is a *fraction* between
0 and 1 times the programme's *weight* for it (``MatchingWeights``), rounded
to one decimal; the score is the sum of the rounded parts, so the parts shown
add up to the score shown. A part whose data is missing (no commune, no
sector) scores 0 and says so.

=============  ===========================================================
part           fraction
=============  ===========================================================
languages      languages of the mentee the mentor speaks / languages of
               the mentee (0 when the mentee's are not recorded)
sector         1 when the mentor's sector is the one the mentee looks for
distance       1 − km between their communes / the reach (0 from the reach
               on; ``matching.communes``)
capacity       free places of the mentor / duos the programme allows a mentor
waiting        days the mentor has waited / the longest wait counted (1 from
               there on). A mentor waits from the end of their last duo, or
               from their record's creation if they never had one; a mentor
               running a duo does not wait.
=============  ===========================================================

The mentee's own wait orders the waiting list (longest first) and is
recorded with each choice; it is the same for every mentor, so it does not
change their order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .choices import Language, labels
from .communes import distance_km

PARTS = ("languages", "sector", "distance", "capacity", "waiting")
PART_LABELS = {
    "languages": _("Languages in common"),
    "sector": _("Sector"),
    "distance": _("Distance"),
    "capacity": _("Free capacity"),
    "waiting": _("Mentor's wait"),
}
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class ScorePart:
    """One part: ``fraction`` in [0, 1], ``weight`` (points at most),
    ``points`` (weight × fraction, one decimal), ``value`` (what was compared,
    for people to read: written only when shown, from ``describe``) and
    ``raw`` (the same, for the record)."""

    key: str
    fraction: float
    weight: int
    points: Decimal
    describe: Callable
    raw: object = None

    @property
    def label(self):
        return PART_LABELS[self.key]

    @property
    def value(self):
        return self.describe()

    def as_dict(self):
        return {
            "fraction": round(self.fraction, 4),
            "weight": self.weight,
            "points": str(self.points),
            "value": self.raw,
        }


@dataclass
class Suggestion:
    """A scored mentor; ``rank`` is set once all are sorted (1: best)."""

    mentor: object
    parts: list = field(default_factory=list)
    rank: int = 0

    @property
    def score(self):
        return sum((part.points for part in self.parts), Decimal(0))

    def part(self, key):
        return next(part for part in self.parts if part.key == key)

    def parts_dict(self):
        return {part.key: part.as_dict() for part in self.parts}


def points(weight, fraction):
    """``weight`` × ``fraction``, half-up to one decimal."""
    return (Decimal(weight) * Decimal(str(fraction))).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _part(key, weight, fraction, describe, raw):
    fraction = max(0.0, min(1.0, float(fraction)))
    return ScorePart(
        key=key, fraction=fraction, weight=weight, points=points(weight, fraction), describe=describe, raw=raw
    )


def languages_part(mentee, mentor, weight):
    mentee_languages = set(mentee.spoken_languages or ())
    common = sorted(mentee_languages & set(mentor.spoken_languages or ()))
    if not mentee_languages:
        return _part("languages", weight, 0, lambda: str(_("the mentee's languages are not recorded")), common)

    def describe():
        value = f"{len(common)}/{len(mentee_languages)}"
        return f"{value} ({labels(common, Language)})" if common else value

    return _part("languages", weight, len(common) / len(mentee_languages), describe, common)


def sector_part(mentee, mentor, weight):
    if not mentee.sector or not mentor.sector:
        return _part("sector", weight, 0, lambda: str(_("not recorded")), None)
    same = mentee.sector == mentor.sector
    return _part("sector", weight, 1 if same else 0, lambda: str(_("same") if same else _("different")), same)


def distance_part(mentee, mentor, weight, reach_km):
    km = distance_km(mentee.commune, mentor.commune)
    if km is None:
        return _part("distance", weight, 0, lambda: str(_("commune not recorded")), None)
    return _part("distance", weight, 1 - km / reach_km, lambda: str(_("%(km)s km")) % {"km": number_format(km, 1)}, km)


def capacity_part(active_duos, capacity, weight):
    free = max(0, capacity - active_duos)
    return _part("capacity", weight, free / capacity, lambda: f"{free}/{capacity}", free)


def waiting_part(days, cap_days, weight):
    days = max(0, days)

    def describe():
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}

    return _part("waiting", weight, min(days, cap_days) / cap_days, describe, days)


def score(*, mentee, mentor, weights, active_duos, capacity, mentor_waiting_days):
    """A ``Suggestion`` of ``mentor`` for ``mentee`` with its five parts.
    ``weights``: a ``MatchingWeights``; ``active_duos``: the mentor's active
    duos; ``capacity``: the programme's ``max_active_duos_per_mentor``;
    ``mentor_waiting_days``: see the module docstring. No query."""
    return Suggestion(
        mentor=mentor,
        parts=[
            languages_part(mentee, mentor, weights.languages),
            sector_part(mentee, mentor, weights.sector),
            distance_part(mentee, mentor, weights.distance, weights.distance_reach_km),
            capacity_part(active_duos, capacity, weights.capacity),
            waiting_part(mentor_waiting_days, weights.waiting_cap_days, weights.waiting),
        ],
    )


def rank(suggestions):
    """``suggestions`` best first, ranked 1, 2, ...: by score, then the longer
    wait, then the mentor's id (a stable order for equal scores)."""
    ordered = sorted(suggestions, key=lambda s: (-s.score, -(s.part("waiting").raw or 0), s.mentor.pk))
    for position, suggestion in enumerate(ordered, start=1):
        suggestion.rank = position
    return ordered
