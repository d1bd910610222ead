"""Month arithmetic for follow-ups, the same in Python and in both databases.

A follow-up at ``n`` months is due ``n`` calendar months after the closure
date, on the same day of the month, or on the month's last day when that day
does not exist (31 August + 6 months = 28 or 29 February), as
``dateutil.relativedelta`` counts. ``AddMonths`` computes the same in SQL on
PostgreSQL and on SQLite (whose own ``date(d, '+6 months')`` would give
3 March), and ``closure_range`` turns "due between two days" back into a range
of closure dates, so that filters can use the index on ``Duo.end_date``.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import DateField, Func

ONE_DAY = datetime.timedelta(days=1)


def add_months(day, months):
    """``day`` plus ``months`` calendar months, clamped to the month's end."""
    return day + relativedelta(months=months)


def closure_range(date_from, date_to, months):
    """The closure dates whose follow-up at ``months`` is due between
    ``date_from`` and ``date_to`` (both included), as ``(first, last)``, or
    ``None`` when no closure date gives a due date in that span (e.g. 29 to
    31 March for one month: 28 February + 1 month is 28 March, 1 March + 1 is
    1 April). ``add_months`` never decreases, so the dates form one range."""
    first = date_from - relativedelta(months=months)
    while add_months(first, months) < date_from:
        first += ONE_DAY
    while add_months(first - ONE_DAY, months) >= date_from:
        first -= ONE_DAY
    last = date_to - relativedelta(months=months)
    while add_months(last + ONE_DAY, months) <= date_to:
        last += ONE_DAY
    while add_months(last, months) > date_to:
        last -= ONE_DAY
    return (first, last) if first <= last else None


class AddMonths(Func):
    """SQL ``date + months`` (both expressions), clamped to the month's end
    like ``add_months``. PostgreSQL's interval arithmetic clamps already;
    SQLite's ``date()`` overflows into the next month, so there the day is
    added to the first of the target month and capped at its last day."""

    arity = 2
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra_context):
        day, months = self.source_expressions
        day_sql, day_params = compiler.compile(day)
        months_sql, months_params = compiler.compile(months)
        return f"(({day_sql}) + make_interval(months => ({months_sql})::integer))::date", (*day_params, *months_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        day, months = self.source_expressions
        day_sql, day_params = compiler.compile(day)
        months_sql, months_params = compiler.compile(months)
        target = f"date({day_sql}, 'start of month', '+' || ({months_sql}) || ' months'"
        sql = (
            f"min({target}, '+' || (CAST(strftime('%%d', {day_sql}) AS INTEGER) - 1) || ' days'), "
            f"date({day_sql}, 'start of month', '+' || (({months_sql}) + 1) || ' months', '-1 day'))"
        )
        params = (*day_params, *months_params, *day_params, *day_params, *months_params)
        return sql, params
