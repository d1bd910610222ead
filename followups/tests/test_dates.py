"""Due dates: Python, PostgreSQL and SQLite count months the same way, and
``closure_range`` finds exactly the closure dates whose follow-up falls due in
a span (checked against brute force)."""

import datetime

import pytest
from django.db.models import DateField, F, IntegerField, Value

from duos.models import Duo
from followups.dates import AddMonths, add_months, closure_range
from tests.factories import DuoFactory

CASES = [
    (datetime.date(2019, 1, 31), 1, datetime.date(2019, 2, 28)),
    (datetime.date(2020, 1, 31), 1, datetime.date(2020, 2, 29)),  # leap year
    (datetime.date(2019, 8, 31), 6, datetime.date(2020, 2, 29)),
    (datetime.date(2019, 8, 30), 6, datetime.date(2020, 2, 29)),
    (datetime.date(2019, 8, 29), 6, datetime.date(2020, 2, 29)),
    (datetime.date(2019, 8, 28), 6, datetime.date(2020, 2, 28)),
    (datetime.date(2019, 3, 31), 3, datetime.date(2019, 6, 30)),
    (datetime.date(2019, 12, 15), 12, datetime.date(2020, 12, 15)),
    (datetime.date(2019, 11, 30), 3, datetime.date(2020, 2, 29)),
    (datetime.date(2018, 10, 31), 4, datetime.date(2019, 2, 28)),
    (datetime.date(2019, 5, 1), 60, datetime.date(2024, 5, 1)),
]


@pytest.mark.parametrize(("day", "months", "expected"), CASES)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.django_db
def test_database_counts_months_like_python():
    duo = DuoFactory(closed=True)
    queryset = Duo.objects.filter(pk=duo.pk)
    for day, months, expected in CASES:
        value = queryset.annotate(
            due=AddMonths(Value(day, output_field=DateField()), Value(months, output_field=IntegerField()))
        ).values_list("due", flat=True)
        assert value.get() == expected, (day, months)
    # Column references too, and every day of a year, for the offsets in use.
    for offset in (3, 6, 12):
        for day in (datetime.date(2019, 1, 1) + datetime.timedelta(days=n) for n in range(0, 366, 1)):
            Duo.objects.filter(pk=duo.pk).update(end_date=day)
            due = queryset.annotate(due=AddMonths(F("end_date"), Value(offset))).values_list("due", flat=True).get()
            assert due == add_months(day, offset), (day, offset)


@pytest.mark.parametrize("months", [1, 3, 6, 12])
@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        (datetime.date(2019, 4, 1), datetime.date(2019, 6, 30)),
        (datetime.date(2020, 2, 29), datetime.date(2020, 2, 29)),
        (datetime.date(2019, 2, 28), datetime.date(2019, 3, 31)),
        (datetime.date(2019, 3, 29), datetime.date(2019, 3, 31)),
        (datetime.date(2019, 1, 30), datetime.date(2019, 2, 2)),
    ],
)
def test_closure_range_is_exactly_the_closures_due_in_the_span(months, date_from, date_to):
    first = date_from - datetime.timedelta(days=3 * 366)
    days = [first + datetime.timedelta(days=n) for n in range((date_to - first).days + 40)]
    expected = sorted(day for day in days if date_from <= add_months(day, months) <= date_to)
    found = closure_range(date_from, date_to, months)
    if not expected:
        assert found is None
    else:
        assert found == (expected[0], expected[-1])
        assert len(expected) == (found[1] - found[0]).days + 1  # one unbroken range
