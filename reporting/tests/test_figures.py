"""Each figure against the hand-counted data of ``conftest.hand_counted``.

Period 2019Q1 (1 Jan – 31 Mar 2019). Partner A (minimum 2 held meetings a
month), partner B (minimum 1):

=====  ==========  ==========  ==================  =====================================
duo    start       end         primary outcome     meetings held (by month)
=====  ==========  ==========  ==================  =====================================
d1 A   2018-10-01  2019-02-15  job CDI (+ follow-up training)   Jan 3, Feb 1
d2 A   2018-11-01  2019-03-10  job CDD 2 months, early (+ CDI, self-employment follow-ups)
d3 A   2018-09-01  2019-01-20  self-employment
d4 A   2018-08-01  2019-02-28  training
d5 A   2018-07-01  2019-03-31  none
d6 A   2019-01-15  active      —                   Feb 2, Mar 1 (+1 cancelled)
d7 A   2019-02-01  active      —                   Feb 2, Mar 2
d8 A   2018-06-01  2018-12-31  job CDI (closed before the period)
d9 A   2019-04-01  active      (after the period)
e1 B   2018-12-01  2019-01-31  job CDD 6 months (+ CDI follow-up)  Dec 3, Jan 1
e2 B   2019-03-01  active      —                   Mar 1
e3 B   2018-10-01  2019-02-10  unknown, lost contact
=====  ==========  ==========  ==================  =====================================

Duo-months (whole months active, every day; a duo is not active on its end
date, so a duo closed on a month's last day does not count that month):
A: d1 Jan; d2 Jan Feb; d4 Jan (closed 28 Feb); d5 Jan Feb (closed 31 Mar);
d6 Feb Mar; d7 Feb Mar = 10, reached: d1 Jan, d6 Feb, d7 Feb Mar = 4.
B: e1 none (closed 31 Jan), e2 Mar, e3 Jan = 2, reached e2 Mar = 1.

Convention 2019 (100,000 EUR, 100 duos a year), split A 60,000 / 60, B 40,000 / 40;
d6, d7, e2 started under it in 2019Q1, d9 in 2019Q2.
"""

import datetime
from decimal import Decimal

import pytest

from duos.models import Duo
from programmes.models import FundingConvention
from reporting import figures as f
from reporting.figures import FigureContext, FigureSources, Period, Rounding
from reporting.figures.values import rate_figure
from tests.factories import FundingConventionFactory

from .factories import closed_duo, meetings

Q1 = Period.quarter("2019Q1")
EMPTY = Period.quarter("2010Q1")

pytestmark = pytest.mark.django_db


def duos_of(partner=None):
    duos = Duo.objects.all()
    return duos.filter(partner=partner) if partner else duos


def fig(numerator, denominator, value):
    return (numerator, denominator, None if value is None else Decimal(value))


def as_tuple(figure):
    return (figure.numerator, figure.denominator, figure.value)


RATES = [
    # figure, partner A, partner B, total
    ("employment_rate", fig(2, 5, "40.0"), fig(1, 2, "50.0"), fig(3, 7, "42.9")),
    ("employment_rate_incl_self_employment", fig(3, 5, "60.0"), fig(1, 2, "50.0"), fig(4, 7, "57.1")),
    ("positive_outcome_rate", fig(4, 5, "80.0"), fig(1, 2, "50.0"), fig(5, 7, "71.4")),
    ("stable_job_rate", fig(1, 5, "20.0"), fig(1, 2, "50.0"), fig(2, 7, "28.6")),
    ("cdi_share", fig(1, 2, "50.0"), fig(0, 1, "0.0"), fig(1, 3, "33.3")),
    ("completion_rate", fig(4, 5, "80.0"), fig(1, 2, "50.0"), fig(5, 7, "71.4")),
    ("meeting_cadence_compliance", fig(4, 10, "40.0"), fig(1, 2, "50.0"), fig(5, 12, "41.7")),
]
COUNTS = [
    ("duos_started", 2, 1, 3),
    ("duos_closed", 5, 2, 7),
    ("duos_active_at_end", 2, 1, 3),
    ("closed_without_outcome", 0, 0, 0),
    ("closed_lost_contact", 0, 1, 1),
]


@pytest.mark.parametrize(("key", "expected_a", "expected_b", "expected_total"), RATES)
def test_rates_per_partner_and_total(hand_counted, partner_a, partner_b, key, expected_a, expected_b, expected_total):
    assert as_tuple(f.total_figure(key, duos_of(partner_a), period=Q1)) == expected_a
    assert as_tuple(f.total_figure(key, duos_of(partner_b), period=Q1)) == expected_b
    assert as_tuple(f.total_figure(key, duos_of(), period=Q1)) == expected_total


@pytest.mark.parametrize(("key", "a", "b", "total"), COUNTS)
def test_counts(hand_counted, partner_a, partner_b, key, a, b, total):
    assert as_tuple(f.total_figure(key, duos_of(partner_a), period=Q1)) == (a, None, a)
    assert as_tuple(f.total_figure(key, duos_of(partner_b), period=Q1)) == (b, None, b)
    assert as_tuple(f.total_figure(key, duos_of(), period=Q1)) == (total, None, total)


def test_every_figure_is_tested_here():
    assert {key for key, *_rest in RATES + COUNTS} | {
        "target_attainment",
        "budget_per_duo_planned",
        "budget_per_duo_actual",
        "time_to_match",  # against hand-counted mentees in matching/tests/test_time_to_match.py
    } | {
        # against hand-counted follow-ups in reporting/tests/test_after_closure.py
        "retention_6",
        "retention_6_unknown",
        "retention_12",
        "retention_12_unknown",
        "employed_within_12",
        "follow_up_completion",
    } == set(f.figure_keys())


def test_a_cancelled_duo_is_in_no_figure(hand_counted, partner_a, partner_b):
    """A duo entered by mistake: closed with a job in the period, many
    meetings, under the convention. Cancelled, it changes no figure."""
    before = _figure_set(partner_a, partner_b)
    duo = closed_duo(
        hand_counted["programme_a"],
        "2018-12-01",
        "2019-03-20",
        outcome="job",
        contract="cdi",
        convention=hand_counted["convention"],
    )
    for day in ("2019-01-07", "2019-01-14", "2019-02-04", "2019-02-11"):
        meetings(duo, day)
    assert _figure_set(partner_a, partner_b).as_dict() != before.as_dict()
    Duo.objects.filter(pk=duo.pk).update(status="cancelled")
    assert _figure_set(partner_a, partner_b).as_dict() == before.as_dict()
    active = closed_duo(hand_counted["programme_a"], "2019-01-05", "2019-01-06")
    Duo.objects.filter(pk=active.pk).update(status="cancelled", end_date=None, closure_reason="")
    assert _figure_set(partner_a, partner_b).as_dict() == before.as_dict()


def _figure_set(*partners, period=Q1, **kwargs):
    sources = FigureSources(
        duos=Duo.objects.all(), partners=list(partners), conventions=FundingConvention.objects.all()
    )
    return f.figure_set(sources=sources, context=FigureContext(period=period, **kwargs))


def test_multiplied_rows_trap_is_avoided(hand_counted):
    """d1 has four meetings and two outcomes, d2 three outcomes, e1 four
    meetings and two outcomes: a join of both relations would count them
    several times. The figures above already prove the counts; this checks
    the data really has the multi-valued rows."""
    assert Duo.objects.filter(meetings__isnull=False, outcomes__isnull=False).count() > Duo.objects.count()


def test_funding_figures(hand_counted):
    conventions = FundingConvention.objects.all()
    # 100 × 90 / 365 = 24.66 duos expected in 2019Q1; 3 started under the convention.
    attainment = f.funding_figure("target_attainment", duos_of(), period=Q1, conventions=conventions)
    assert attainment.numerator == 3
    assert attainment.value == Decimal("12.2")
    planned = f.funding_figure("budget_per_duo_planned", duos_of(), conventions=conventions)
    assert planned.value == Decimal("1000.00")
    # Divided by the duos started under the convention up to the end of the
    # period: d6, d7, e2 (d9 starts in April).
    actual = f.funding_figure("budget_per_duo_actual", duos_of(), period=Q1, conventions=conventions)
    assert (actual.numerator, actual.denominator, actual.value) == (Decimal("100000.00"), 3, Decimal("33333.33"))
    whole = Period(Q1.date_from, Period.quarter("2019Q4").date_to)
    actual = f.funding_figure("budget_per_duo_actual", duos_of(), period=whole, conventions=conventions)
    assert (actual.denominator, actual.value) == (4, Decimal("25000.00"))


def test_figure_set_per_partner_and_total(hand_counted, partner_a, partner_b, django_assert_max_num_queries):
    # Duo rows 1, duo-months 2, funding 4 (conventions, shares, funded partners, duos per convention),
    # follow-ups 2 (the offsets in use, one aggregate).
    with django_assert_max_num_queries(9):
        result = _figure_set(partner_a, partner_b)
    rows = {partner.slug: figures for partner, figures in result.partners}
    for key, expected_a, expected_b, expected_total in RATES:
        assert as_tuple(rows["partner-a"][key]) == expected_a, key
        assert as_tuple(rows["partner-b"][key]) == expected_b, key
        assert as_tuple(result.total[key]) == expected_total, key
    assert as_tuple(rows["partner-a"]["duos_started"]) == (2, None, 2)
    assert as_tuple(result.total["duos_closed"]) == (7, None, 7)
    # Shares: A 60 a year → 14.79 in Q1, 2 started; B 40 → 9.86, 1 started.
    assert rows["partner-a"]["target_attainment"].value == Decimal("13.5")
    assert rows["partner-b"]["target_attainment"].value == Decimal("10.1")
    assert result.total["target_attainment"].value == Decimal("12.2")
    assert rows["partner-a"]["budget_per_duo_actual"].value == Decimal("30000.00")
    assert rows["partner-b"]["budget_per_duo_actual"].value == Decimal("40000.00")
    assert rows["partner-a"]["budget_per_duo_planned"].value == Decimal("1000.00")
    assert result.not_split is None  # the convention is wholly split
    payload = result.as_dict()
    assert set(payload["total"]) == set(f.figure_keys())
    assert payload["definitions"] == f.versions()


def test_figure_set_narrowed_to_one_partner_totals_that_partner(hand_counted, partner_a):
    sources = FigureSources(
        duos=Duo.objects.filter(partner=partner_a),
        partners=[partner_a],
        conventions=FundingConvention.objects.all(),
        single_partner=partner_a,
    )
    result = f.figure_set(sources=sources, context=FigureContext(period=Q1))
    (_, row) = result.partners[0]
    assert {key: as_tuple(row[key]) for key in f.figure_keys()} == {
        key: as_tuple(result.total[key]) for key in f.figure_keys()
    }


def test_empty_period_has_no_denominator(hand_counted, partner_a, partner_b):
    sources = FigureSources(
        duos=Duo.objects.all(),
        partners=[partner_a, partner_b],
        conventions=FundingConvention.objects.filter(period_start__lte=EMPTY.date_to, period_end__gte=EMPTY.date_from),
    )
    result = f.figure_set(sources=sources, context=FigureContext(period=EMPTY))
    for key in f.figure_keys():
        figure = result.total[key]
        if figure.unit == "count":
            assert figure.value == 0, key
        else:
            assert figure.value is None, key
            assert not figure.has_denominator


def test_no_data_at_all(db):
    assert f.total_figure("employment_rate", Duo.objects.all(), period=Q1).value is None
    assert f.total_figure("meeting_cadence_compliance", Duo.objects.all(), period=Q1).value is None
    assert f.total_figure("duos_started", Duo.objects.all(), period=Q1).value == 0


def test_cadence_without_a_whole_month_has_no_denominator(hand_counted):
    period = Period(Q1.date_from.replace(day=2), Q1.date_from.replace(day=30))
    assert f.total_figure("meeting_cadence_compliance", Duo.objects.all(), period=period).value is None


@pytest.mark.parametrize(
    ("numerator", "denominator", "half_up", "truncated"),
    [(77, 152, "50.7", "50.6"), (85, 152, "55.9", "55.9"), (212, 383, "55.4", "55.3"), (297, 535, "55.5", "55.5")],
)
def test_rounding_modes(numerator, denominator, half_up, truncated):
    assert rate_figure(numerator, denominator).value == Decimal(half_up)
    assert rate_figure(numerator, denominator, Rounding.TRUNCATE).value == Decimal(truncated)


def test_rate_rounds_half_up_exactly():
    assert rate_figure(1, 8).value == Decimal("12.5")  # 12.5 exact
    assert rate_figure(1, 16).value == Decimal("6.3")  # 6.25 → 6.3, not banker's 6.2


def test_planned_budget_worked_check(db):
    convention = FundingConventionFactory(
        amount=Decimal("1762500.00"),
        period_start=Period.quarter("2018Q2").date_to.replace(day=1),
        period_end=Period.quarter("2019Q4").date_to,
        target_duos_per_year=855,
    )
    conventions = FundingConvention.objects.filter(pk=convention.pk)
    by_days = f.funding_figure("budget_per_duo_planned", Duo.objects.none(), conventions=conventions)
    assert by_days.value == Decimal("1299.50")
    assert by_days.denominator == Decimal("1356.29")  # 855 × (214/365 + 365/365)
    by_months = f.funding_figure(
        "budget_per_duo_planned", Duo.objects.none(), conventions=conventions, budget_basis="months"
    )
    assert by_months.value == Decimal("1301.94")  # 855 × 19 / 12


def test_quarters_and_previous_period():
    q = Period.quarter("2018Q3")
    assert (q.date_from.isoformat(), q.date_to.isoformat()) == ("2018-07-01", "2018-09-30")
    assert q.previous() == Period.quarter("2018Q2")
    assert Period.quarter("2019Q1").previous() == Period.quarter("2018Q4")
    five_years = Period(Period.quarter("2013Q1").date_from, Period.quarter("2017Q4").date_to)
    assert five_years.previous() == Period(Period.quarter("2008Q1").date_from, Period.quarter("2012Q4").date_to)
    odd = Period(q.date_from.replace(day=2), q.date_to)
    assert odd.previous().days == odd.days and odd.previous().date_to < odd.date_from
    with pytest.raises(ValueError):
        Period.quarter("2019Q5")


def test_share_without_amount_or_target_gives_no_partner_budget(hand_counted, partner_a, partner_b):
    """A convention whose shares give no amount or target belongs to no single
    partner: the partner rows have no budget and no target (their duos count
    against no amount of theirs), the "not split" row has them, and the rows
    add up to the total."""
    from programmes.models import ConventionShare

    ConventionShare.objects.update(amount=None, target_duos_per_year=None)
    result = _figure_set(partner_a, partner_b)
    row_a = dict(result.partners)[partner_a]
    assert row_a["budget_per_duo_actual"].value is None
    assert row_a["budget_per_duo_planned"].value is None
    assert (row_a["target_attainment"].numerator, row_a["target_attainment"].value) == (0, None)
    assert as_tuple(result.not_split["target_attainment"]) == (3, Decimal("24.66"), Decimal("12.2"))
    assert as_tuple(result.not_split["budget_per_duo_actual"]) == (
        Decimal("100000.00"),
        3,
        Decimal("33333.33"),
    )
    assert result.not_split["employment_rate"] is None  # duo figures belong to partners
    assert as_tuple(result.total["budget_per_duo_actual"]) == as_tuple(result.not_split["budget_per_duo_actual"])


@pytest.mark.parametrize("view", ["closed", "cohort"])
def test_quarterly_trend_counts_what_each_quarters_figures_count(hand_counted, view, django_assert_max_num_queries):
    from reporting.figures.breakdowns import quarterly_trend

    quarters = [Period.quarter(label) for label in ("2018Q2", "2018Q3", "2018Q4", "2019Q1", "2019Q2")]
    as_of = datetime.date(2019, 6, 30) if view == "cohort" else None
    context = FigureContext(period=quarters[-1], view=view, as_of=as_of)
    with django_assert_max_num_queries(2):
        trend = quarterly_trend(Duo.objects.all(), quarters=quarters, context=context, rounding=Rounding.HALF_UP)
    for quarter, started, employment in trend:
        kwargs = {"period": quarter, "view": view, "as_of": as_of}
        assert as_tuple(started) == as_tuple(f.total_figure("duos_started", duos_of(), **kwargs))
        assert as_tuple(employment) == as_tuple(f.total_figure("employment_rate", duos_of(), **kwargs))
    assert sum(started.value for _q, started, _r in trend) == 12
