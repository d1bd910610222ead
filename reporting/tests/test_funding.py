"""Money and targets: counted per funder, only against the duos of the
convention parts that carry the amount or target, pro rata by the days of
each calendar year, and with partner rows that add up to the total."""

import datetime
from decimal import Decimal

import pytest

from duos.models import Duo
from programmes.models import FundingConvention
from reporting import figures as f
from reporting.figures import ALL_FUNDERS, FigureContext, FigureSources, Period
from reporting.figures.funding import month_fraction, year_fraction
from reporting.selectors import ReportScope, figure_set_for_user
from tests.factories import ConventionShareFactory, FundingConventionFactory, PartnerFactory, ProgrammeFactory

from .factories import active_duo

pytestmark = pytest.mark.django_db

D = datetime.date


def test_days_of_each_calendar_year():
    assert year_fraction(D(2019, 1, 1), D(2019, 12, 31)) == 1
    assert year_fraction(D(2020, 1, 1), D(2020, 12, 31)) == 1  # 366 / 366
    assert year_fraction(D(2020, 1, 1), D(2020, 1, 1)) == Decimal(1) / Decimal(366)
    assert year_fraction(D(2019, 12, 31), D(2020, 1, 1)) == Decimal(1) / 365 + Decimal(1) / 366
    assert year_fraction(D(2018, 6, 1), D(2019, 12, 31)) == Decimal(214) / 365 + 1


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2018, 6, 1), D(2019, 12, 31), Decimal(19)),
        (D(2019, 1, 1), D(2019, 1, 31), Decimal(1)),
        (D(2019, 2, 1), D(2019, 2, 28), Decimal(1)),
        (D(2019, 1, 28), D(2019, 2, 27), Decimal(4) / 31 + Decimal(27) / 28),  # 31 days
        (D(2019, 1, 30), D(2019, 2, 28), Decimal(2) / 31 + Decimal(28) / 28),  # 30 days
        (D(2019, 1, 31), D(2019, 2, 28), Decimal(1) / 31 + 1),
        (D(2020, 2, 1), D(2020, 2, 29), Decimal(1)),
    ],
)
def test_months_by_calendar_month_shares(start, end, months):
    assert month_fraction(start, end) == months


def test_a_longer_period_never_counts_fewer_months():
    start = D(2019, 1, 1)
    counts = [month_fraction(start, start + datetime.timedelta(days=days)) for days in range(800)]
    assert all(shorter < longer for shorter, longer in zip(counts, counts[1:], strict=False))
    ends = [month_fraction(D(2019, 3, 31) - datetime.timedelta(days=days), D(2019, 3, 31)) for days in range(400)]
    assert all(shorter < longer for shorter, longer in zip(ends, ends[1:], strict=False))


def test_month_end_periods_by_months_basis(db):
    """ "Budget by months": 2019-01-28..2019-02-27 (31 days) counts more
    months than 2019-01-30..2019-02-28 (30 days)."""
    longer = FundingConventionFactory(
        amount=Decimal("1200.00"), period_start=D(2019, 1, 28), period_end=D(2019, 2, 27), target_duos_per_year=12
    )
    shorter = FundingConventionFactory(
        amount=Decimal("1200.00"), period_start=D(2019, 1, 30), period_end=D(2019, 2, 28), target_duos_per_year=12
    )

    def planned(convention):
        return f.funding_figure(
            "budget_per_duo_planned",
            Duo.objects.none(),
            conventions=FundingConvention.objects.filter(pk=convention.pk),
            budget_basis="months",
        )

    assert planned(longer).denominator == Decimal("1.09")  # 12 × (4/31 + 27/28) / 12
    assert planned(shorter).denominator == Decimal("1.06")  # 12 × (2/31 + 28/28) / 12
    assert planned(longer).value < planned(shorter).value


def test_leap_year_pro_rata(db):
    convention = FundingConventionFactory(
        amount=Decimal("36600.00"), period_start=D(2020, 1, 1), period_end=D(2020, 12, 31), target_duos_per_year=366
    )
    programme = ProgrammeFactory()
    for day in ("2020-01-05", "2020-01-20"):
        active_duo(programme, day, convention=convention)
    conventions = FundingConvention.objects.filter(pk=convention.pk)
    january = Period(D(2020, 1, 1), D(2020, 1, 31))
    attainment = f.funding_figure("target_attainment", Duo.objects.all(), period=january, conventions=conventions)
    assert attainment.denominator == Decimal("31.00")  # 366 × 31 / 366, not / 365
    planned = f.funding_figure("budget_per_duo_planned", Duo.objects.all(), conventions=conventions)
    assert (planned.denominator, planned.value) == (Decimal("366.00"), Decimal("100.00"))


@pytest.fixture
def three_funders(db):
    """Partner A and B. Actiris 2019: 100,000 / 100 a year, split: A's share
    60,000 / 60, B's share gives no amount or target (so what A's share
    leaves, 40,000 / 40, is B's: B is the only other partner); a foundation
    funds A alone (no split, one partner: all A's); another Actiris convention
    (20,000 / 20) is shared by A and B without a split: it belongs to no
    single partner."""
    a, b = PartnerFactory(name="A", slug="a"), PartnerFactory(name="B", slug="b")
    programme_a, programme_b = ProgrammeFactory(partner=a), ProgrammeFactory(partner=b)
    year = {"period_start": D(2019, 1, 1), "period_end": D(2019, 12, 31)}
    split = FundingConventionFactory(slug="split", amount=Decimal("100000"), target_duos_per_year=100, **year)
    ConventionShareFactory(convention=split, partner=a, amount=Decimal("60000"), target_duos_per_year=60)
    ConventionShareFactory(convention=split, partner=b, amount=None, target_duos_per_year=None)
    foundation = FundingConventionFactory(
        slug="foundation", funder="Foundation", amount=Decimal("50000"), target_duos_per_year=10, **year
    )
    shared = FundingConventionFactory(slug="shared", amount=Decimal("20000"), target_duos_per_year=20, **year)
    for convention, programme, starts in (
        (split, programme_a, ["2019-01-10", "2019-02-10", "2019-04-10"]),
        (split, programme_b, ["2019-01-15", "2019-03-15"]),
        (foundation, programme_a, ["2019-02-01"]),
        (shared, programme_a, ["2019-01-20"]),
        (shared, programme_b, ["2019-02-20", "2019-03-01"]),
    ):
        for start in starts:
            active_duo(programme, start, convention=convention)
    return {"a": a, "b": b, "split": split, "foundation": foundation, "shared": shared}


def _figures(user, **scope):
    return figure_set_for_user(user, ReportScope(period=Period.quarter("2019Q1"), **scope))


def ratio(figure):
    return (figure.numerator, figure.denominator, figure.value)


def test_money_counts_only_the_default_funder(three_funders, manager_user):
    figures = _figures(manager_user)
    assert figures.funder == "Actiris"
    rows = {partner.slug: row for partner, row in figures.partners}
    # A: 60,000 over A's duos under the split convention up to 31 March (2).
    assert ratio(rows["a"]["budget_per_duo_actual"]) == (Decimal("60000.00"), 2, Decimal("30000.00"))
    # B: what A's share leaves of the split convention, over B's 2 duos under it.
    assert ratio(rows["b"]["budget_per_duo_actual"]) == (Decimal("40000.00"), 2, Decimal("20000.00"))
    # The unsplit shared convention (20,000 over A's 1 and B's 2 duos) belongs to no single partner.
    assert ratio(figures.not_split["budget_per_duo_actual"]) == (Decimal("20000.00"), 3, Decimal("6666.67"))
    assert ratio(figures.total["budget_per_duo_actual"]) == (Decimal("120000.00"), 7, Decimal("17142.86"))
    # Each partner's duos under another funder's convention are in none of these.
    assert figures.total["duos_started"].value == 8


@pytest.mark.parametrize("key", ["budget_per_duo_actual", "target_attainment"])
def test_partner_rows_and_the_not_split_row_add_up_to_the_total(three_funders, manager_user, key):
    figures = _figures(manager_user)
    rows = [row[key] for _partner, row in figures.partners] + [figures.not_split[key]]
    assert sum(row.numerator for row in rows) == figures.total[key].numerator
    # Pro-rata targets are shown with two decimals: each row rounds its own.
    assert abs(sum(row.denominator for row in rows) - figures.total[key].denominator) <= Decimal("0.01") * len(rows)


def test_target_attainment_counts_only_the_duos_of_parts_with_a_target(three_funders, manager_user):
    figures = _figures(manager_user)
    rows = {partner.slug: row for partner, row in figures.partners}
    # A: 2 duos started in Q1 under its share (the foundation's and the
    # shared convention's duos count against other targets).
    assert ratio(rows["a"]["target_attainment"]) == (2, Decimal("14.79"), Decimal("13.5"))  # 60 × 90 / 365
    assert ratio(rows["b"]["target_attainment"]) == (2, Decimal("9.86"), Decimal("20.3"))  # 40 × 90 / 365
    assert ratio(figures.not_split["target_attainment"]) == (3, Decimal("4.93"), Decimal("60.8"))  # 20 × 90 / 365


def test_all_funders_only_when_asked(three_funders, manager_user):
    figures = _figures(manager_user, funder=ALL_FUNDERS)
    assert figures.funder == ALL_FUNDERS
    assert ratio(figures.total["budget_per_duo_actual"]) == (Decimal("170000.00"), 8, Decimal("21250.00"))
    foundation = _figures(manager_user, funder="Foundation")
    rows = {partner.slug: row for partner, row in foundation.partners}
    assert ratio(rows["a"]["budget_per_duo_actual"]) == (Decimal("50000.00"), 1, Decimal("50000.00"))
    assert foundation.not_split is None


def test_a_convention_in_scope_sets_the_funder(three_funders, manager_user):
    figures = _figures(manager_user, convention=three_funders["foundation"])
    assert figures.funder == "Foundation"
    assert figures.total["budget_per_duo_actual"].value == Decimal("50000.00")


def test_a_coordinators_total_is_their_partners_money(three_funders, coordinator_a):
    # Partner "A" of the fixture is not coordinator_a's partner: give them the same.
    coordinator_a.membership.partner = three_funders["a"]
    coordinator_a.membership.save()
    figures = _figures(coordinator_a)
    assert figures.not_split is None
    assert ratio(figures.total["budget_per_duo_actual"]) == (Decimal("60000.00"), 2, Decimal("30000.00"))


def test_money_is_not_counted_for_a_programme(three_funders, manager_user):
    programme = three_funders["a"].programmes.first()
    figures = _figures(manager_user, programme=programme)
    assert figures.total["budget_per_duo_actual"] is None
    assert figures.total["duos_started"].value == 4  # its duos under every convention


def test_figure_sources_cache_funding_reads(three_funders, django_assert_num_queries):
    sources = FigureSources(duos=Duo.objects.all(), partners=[], conventions=list(FundingConvention.objects.all()))
    context = FigureContext(period=Period.quarter("2019Q1"))
    f.figure_set(sources=sources, context=context, keys=["target_attainment"])
    with django_assert_num_queries(0):
        f.figure_set(sources=sources, context=context, keys=["budget_per_duo_actual"])
