"""The score, part by part, against sums worked out by hand (default weights:
languages 30, sector 25, distance 20 within 10 km, capacity 10, wait 15 at
180 days)."""

from decimal import Decimal
from types import SimpleNamespace

from matching import scoring
from matching.choices import parse_language_names
from matching.communes import CENTRES, Commune, distance_km
from matching.models import MatchingWeights


def person(pk=1, languages=(), sector="", commune=""):
    return SimpleNamespace(pk=pk, spoken_languages=list(languages), sector=sector, commune=commune)


MENTEE = person(languages=["fr", "ar"], sector="it", commune=Commune.IXELLES)


def test_every_part_of_two_mentors_by_hand():
    weights = MatchingWeights()
    # Speaks 1 of the mentee's 2 languages: 30 x 1/2 = 15.0; same sector: 25.0;
    # Ixelles - Saint-Gilles 2.0 km: 20 x (1 - 2/10) = 16.0; 2 of 3 places
    # free: 10 x 2/3 = 6.7; runs a duo, so no wait: 0.0. Score 62.7.
    a = scoring.score(
        mentee=MENTEE,
        mentor=person(pk=7, languages=["fr", "nl"], sector="it", commune=Commune.SAINT_GILLES),
        weights=weights,
        active_duos=1,
        capacity=3,
        mentor_waiting_days=0,
    )
    assert {p.key: p.points for p in a.parts} == {
        "languages": Decimal("15.0"),
        "sector": Decimal("25.0"),
        "distance": Decimal("16.0"),
        "capacity": Decimal("6.7"),
        "waiting": Decimal("0.0"),
    }
    assert a.score == Decimal("62.7")
    assert a.part("languages").value == "1/2 (French)"
    assert a.part("distance").value == "2.0 km"
    # Speaks both: 30.0; another sector: 0; no commune: 0; all 3 places free:
    # 10.0; waited 90 of 180 days: 7.5. Score 47.5.
    b = scoring.score(
        mentee=MENTEE,
        mentor=person(pk=3, languages=["ar", "fr", "en"], sector="health"),
        weights=weights,
        active_duos=0,
        capacity=3,
        mentor_waiting_days=90,
    )
    assert [p.points for p in b.parts] == [Decimal(v) for v in ("30.0", "0.0", "0.0", "10.0", "7.5")]
    assert b.score == Decimal("47.5")
    assert b.part("distance").value == "commune not recorded"
    assert [s.mentor.pk for s in scoring.rank([b, a])] == [7, 3]
    assert a.parts_dict()["distance"] == {"fraction": 0.8, "weight": 20, "points": "16.0", "value": 2.0}


def test_weights_are_programme_data_and_caps_hold():
    weights = MatchingWeights(languages=0, sector=0, distance=50, capacity=0, waiting=10, distance_reach_km=4)
    far = scoring.score(
        mentee=MENTEE,
        mentor=person(commune=Commune.BERCHEM),  # 7.0 km from Ixelles, past the 4 km reach
        weights=weights,
        active_duos=0,
        capacity=1,
        mentor_waiting_days=400,  # capped at 180 days: the whole 10 points
    )
    assert [p.points for p in far.parts] == [Decimal(v) for v in ("0.0", "0.0", "0.0", "0.0", "10.0")]
    # Same commune: 50 x 1 = 50.0.
    near = scoring.score(
        mentee=MENTEE,
        mentor=person(commune=Commune.IXELLES),
        weights=weights,
        active_duos=0,
        capacity=1,
        mentor_waiting_days=0,
    )
    assert near.part("distance").points == Decimal("50.0")


def test_equal_scores_rank_the_longer_wait_first_then_by_id():
    weights = MatchingWeights(waiting=0)  # the wait scores nothing: all three score the same

    def scored(pk, days):
        return scoring.score(
            mentee=MENTEE, mentor=person(pk=pk), weights=weights, active_duos=0, capacity=1, mentor_waiting_days=days
        )

    ranked = scoring.rank([scored(1, 10), scored(3, 10), scored(2, 40)])
    assert [(s.mentor.pk, s.rank) for s in ranked] == [(2, 1), (1, 2), (3, 3)]


def test_communes_and_distances():
    assert len(Commune.values) == len(CENTRES) == 19
    assert distance_km(Commune.IXELLES, Commune.IXELLES) == 0.0
    assert distance_km(Commune.IXELLES, Commune.SAINT_GILLES) == distance_km(Commune.SAINT_GILLES, Commune.IXELLES)
    assert distance_km(Commune.BRUSSELS, "") is None
    # The Region is some 15 km across: no two centres farther apart.
    assert max(distance_km(a, b) for a in CENTRES for b in CENTRES) < 16


def test_free_text_languages_become_codes():
    assert parse_language_names("Français, arabe et Wolof") == (["fr", "ar"], "Wolof")
    assert parse_language_names("Dutch / English") == (["nl", "en"], "")
    assert parse_language_names("") == ([], "")
