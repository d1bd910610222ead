"""The figures after closure against hand-counted data, period 2019Q2
(2019-04-01 to 2019-06-30). A follow-up counts in the period it falls due in:

* at 3 months for duos closed 2019-01-01 .. 2019-03-31,
* at 6 months for duos closed 2018-10-01 .. 2018-12-31,
* at 12 months for duos closed 2018-04-01 .. 2018-06-30.

Partner A's programme asks for 3, 6 and 12 months; partner B's for 6 only.

| duo | closed     | closure outcome | follow-ups                       | counts in                          |
| a1  | 2018-11-15 | job (CDI)       | 3: job, 6: job                   | retention 6 (job); completion      |
| a2  | 2018-12-31 | none            | 6: none                          | retention 6 (known); completion    |
| a3  | 2018-10-01 | job (CDD)       | 6: lost contact                  | retention 6 unknown; completion    |
| a4  | 2018-10-20 | job (CDI)       | -                                | retention 6 unknown; completion due |
| a5  | 2018-05-10 | none            | 12: self-employed                | retention 12 (job); employed 12    |
| a6  | 2018-06-30 | job (CDD)       | -                                | retention 12 unknown; employed 12  |
| a7  | 2018-04-01 | none            | 3: none, 6: job, 12: none        | retention 12 (known); employed 12  |
| a8  | 2018-06-15 | training        | 3: training, 12: lost contact    | retention 12 unknown; not employed |
| a9  | 2019-02-10 | job (CDI)       | 3: job                           | completion (3 months)              |
| a10 | 2019-03-31 | none            | -                                | completion due (3 months)          |
| a11 | cancelled  | job             | 6: job                           | nothing (cancelled)                |
| a12 | 2018-09-30 | job             | 6: job (due 2019-03-30)          | nothing                            |
| a13 | 2018-07-01 | job             | -  (12 due 2019-07-01)           | nothing                            |
| b1  | 2018-11-30 | none            | 6: job                           | retention 6 (job); completion      |
| b2  | 2019-01-15 | job             | -  (B asks no 3-month follow-up) | nothing                            |
| b3  | 2018-05-20 | lost contact    | -  (B asks no 12-month one)      | employed 12 (not employed)         |

Retention at 6: 2 / 3 (a1, b1 over a1, a2, b1), unknowns 2 (a3, a4).
Retention at 12: 1 / 2 (a5 over a5, a7), unknowns 2 (a6, a8).
Employed within 12 months: 3 / 5 (a5, a6, a7 over a5, a6, a7, a8, b3).
Completion: 8 / 11 (3 months: a9 of a9, a10; 6: a1, a2, a3, b1 of those and a4;
12: a5, a7, a8 of those and a6).
"""

import datetime

import pytest

from duos.models import Duo
from followups.figures import follow_up_counts
from followups.selectors import offsets_in_use
from reporting.figures import Period
from tests.factories import ProgrammeFactory

from .hand_counted import build_hand_counted_follow_ups, day, duo

pytestmark = pytest.mark.django_db

Q2 = Period.quarter("2019Q2")


@pytest.fixture
def hand_counted_follow_ups(partner_a, partner_b):
    return build_hand_counted_follow_ups(partner_a, partner_b)


def totals(grouped):
    total = {}
    for row in grouped.values():
        for key, value in row.items():
            total[key] = total.get(key, 0) + value
    return total


def figures(row):
    return {
        "retention_6": (row["retention_6__numerator"], row["retention_6__denominator"], row["retention_6__unknown"]),
        "retention_12": (
            row["retention_12__numerator"],
            row["retention_12__denominator"],
            row["retention_12__unknown"],
        ),
        "employed_within_12": (row["employed_within_12__numerator"], row["employed_within_12__denominator"]),
        "follow_up_completion": (row["follow_up_completion__numerator"], row["follow_up_completion__denominator"]),
    }


def test_hand_counted_figures(hand_counted_follow_ups, django_assert_num_queries):
    partners = hand_counted_follow_ups
    offsets = offsets_in_use()
    with django_assert_num_queries(1):
        grouped = follow_up_counts(Duo.objects.all(), period=Q2, offsets=offsets)
    assert figures(totals(grouped)) == {
        "retention_6": (2, 3, 2),
        "retention_12": (1, 2, 2),
        "employed_within_12": (3, 5),
        "follow_up_completion": (8, 11),
    }
    assert figures(grouped[partners["a"].pk]) == {
        "retention_6": (1, 2, 2),
        "retention_12": (1, 2, 2),
        "employed_within_12": (3, 4),
        "follow_up_completion": (7, 10),
    }
    assert figures(grouped[partners["b"].pk]) == {
        "retention_6": (1, 1, 0),
        "retention_12": (0, 0, 0),
        "employed_within_12": (0, 1),
        "follow_up_completion": (1, 1),
    }


def test_a_period_without_follow_ups_has_no_denominator(hand_counted_follow_ups):
    grouped = follow_up_counts(Duo.objects.all(), period=Period.quarter("2015Q1"), offsets=offsets_in_use())
    assert grouped == {}


def test_one_query_whatever_the_duos(hand_counted_follow_ups, django_assert_num_queries):
    programme = ProgrammeFactory(partner=hand_counted_follow_ups["a"])
    for index in range(20):
        duo(programme, (day("2018-10-01") + datetime.timedelta(days=index)).isoformat(), "job", "cdi", [(6, "job")])
    with django_assert_num_queries(1):
        grouped = follow_up_counts(Duo.objects.all(), period=Q2, offsets=[3, 6, 12])
    assert figures(totals(grouped))["retention_6"] == (22, 23, 2)
