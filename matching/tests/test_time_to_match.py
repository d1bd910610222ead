"""The time-to-match figure against hand-counted data (PostgreSQL and SQLite
run the same window-function SQL)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duos.models import Duo, DuoStatus
from programmes.tests.world import use_fast_password_hasher
from reporting.figures import FigureContext, FigureSources, Period, figure_set, get
from reporting.figures.matching import time_to_match
from tests.factories import DuoFactory, MenteeFactory, ProgrammeFactory, UserFactory

D = datetime.date
Q1 = Period(D(2025, 1, 1), D(2025, 3, 31))


def match(programme, registered, start, **duo):
    mentee = MenteeFactory(partner=programme.partner, registered_on=registered)
    return DuoFactory(programme=programme, mentee=mentee, start_date=start, **duo)


@pytest.fixture
def hand_counted(partner_a, partner_b):
    """Q1 2025. Partner A: 10, 40, 50 days, one registered after the start
    (0 days), one whose first duo was cancelled (50 days to the next):
    0, 10, 40, 50, 50 -> median 40 of 5. Not matched in Q1: a mentee's second
    duo, a duo starting in Q2. Partner B: 30 days, median 30 of 1. Together:
    0, 10, 30, 40, 50, 50 -> median (30 + 40) / 2 = 35 of 6."""
    a = ProgrammeFactory(partner=partner_a)
    b = ProgrammeFactory(partner=partner_b)
    match(a, D(2025, 1, 1), D(2025, 1, 11))  # 10
    match(a, D(2024, 12, 1), D(2025, 1, 10))  # 40
    match(a, D(2025, 1, 20), D(2025, 3, 11))  # 50
    match(a, D(2025, 3, 20), D(2025, 3, 10))  # registered after: 0
    cancelled = match(a, D(2025, 1, 1), D(2025, 1, 5), status=DuoStatus.CANCELLED)
    DuoFactory(programme=a, mentee=cancelled.mentee, start_date=D(2025, 2, 20))  # 50
    again = match(a, D(2024, 1, 1), D(2024, 2, 1), closed=True)  # matched in 2024
    DuoFactory(programme=a, mentee=again.mentee, start_date=D(2025, 2, 1))  # second duo: no match
    match(a, D(2025, 1, 1), D(2025, 4, 2))  # Q2
    match(b, D(2025, 1, 1), D(2025, 1, 31))  # 30
    return partner_a, partner_b


def test_medians_per_partner_and_in_total(hand_counted):
    partner_a, partner_b = hand_counted
    with CaptureQueriesContext(connection) as queries:
        medians = time_to_match(Duo.objects.all(), Q1)
    assert len(queries) == 1
    assert medians == {partner_a.pk: (40, 5), partner_b.pk: (30, 1), "total": (35, 6)}

    figures = figure_set(
        sources=FigureSources(duos=Duo.objects.all(), partners=[partner_a, partner_b], conventions=[]),
        context=FigureContext(period=Q1),
        keys=["time_to_match"],
    )
    total = figures.total["time_to_match"]
    assert (total.value, total.denominator, str(total.value)) == (35, 6, "35.0")
    assert [row["time_to_match"].value for _partner, row in figures.partners] == [40, 30]


def test_no_match_in_the_period_has_no_value(hand_counted):
    figures = figure_set(
        sources=FigureSources(duos=Duo.objects.all(), partners=list(hand_counted), conventions=[]),
        context=FigureContext(period=Period(D(2023, 1, 1), D(2023, 3, 31))),
        keys=["time_to_match"],
    )
    assert figures.total["time_to_match"].value is None and figures.total["time_to_match"].denominator == 0
    assert get("time_to_match").links("denominator") and not get("time_to_match").links("numerator")


def test_the_dashboard_card_and_its_list_of_first_duos(client, settings, hand_counted):
    use_fast_password_hasher(settings)
    partner_a, _b = hand_counted
    client.force_login(UserFactory(username="coord", role="coordinator", partner=partner_a))
    response = client.get(reverse("reporting:dashboard"), {"quarter": "2025Q1"})
    card = next(card for card in response.context["cards"] if card["key"] == "time_to_match")
    assert (card["figure"].value, card["figure"].denominator) == (40, 5)  # partner A's only
    html = response.content.decode()
    assert "median of 5 mentees" in html
    listed = client.get(card["denominator_url"])
    assert listed.context["paginator"].count == 5
