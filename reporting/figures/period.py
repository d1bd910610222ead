"""Reporting periods: two dates, both included, and the quarters people pick."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

QUARTER_RE = re.compile(r"^(?P<year>\d{4})\s*-?\s*Q(?P<quarter>[1-4])$", re.IGNORECASE)


def month_last_day(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Period:
    """From ``date_from`` to ``date_to``, both days included."""

    date_from: datetime.date
    date_to: datetime.date

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValueError(_("The end of the period is before its start."))

    @classmethod
    def quarter(cls, label: str) -> Period:
        """``Period.quarter("2018Q3")`` → 1 July to 30 September 2018."""
        match = QUARTER_RE.match(label.strip())
        if not match:
            raise ValueError(_("A quarter is written like 2018Q3."))
        year, quarter = int(match["year"]), int(match["quarter"])
        first = datetime.date(year, 3 * quarter - 2, 1)
        return cls(first, month_last_day(first.replace(month=3 * quarter)))

    @classmethod
    def quarter_of(cls, day: datetime.date) -> Period:
        return cls.quarter(f"{day.year}Q{(day.month - 1) // 3 + 1}")

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def quarter_label(self) -> str | None:
        """``"2018Q3"`` when the period is exactly one quarter, else ``None``."""
        candidate = Period.quarter_of(self.date_from)
        if candidate == self:
            return f"{self.date_from.year}Q{(self.date_from.month - 1) // 3 + 1}"
        return None

    @property
    def whole_months(self) -> int | None:
        """How many calendar months the period spans when it runs from a 1st
        to a month's last day (a quarter, a year...), else ``None``."""
        if self.date_from.day != 1 or self.date_to != month_last_day(self.date_to):
            return None
        return (self.date_to.year - self.date_from.year) * 12 + self.date_to.month - self.date_from.month + 1

    def previous(self) -> Period:
        """The period of the same length just before this one: the previous
        quarter, year or run of whole months when the period is made of whole
        months, else the same number of days."""
        months = self.whole_months
        if months:
            last = self.date_from - datetime.timedelta(days=1)
            first = last.replace(day=1)
            for _ in range(months - 1):
                first = (first - datetime.timedelta(days=1)).replace(day=1)
            return Period(first, last)
        length = datetime.timedelta(days=self.days)
        return Period(self.date_from - length, self.date_to - length)

    def overlap_days(self, start: datetime.date, end: datetime.date) -> int:
        """Days of ``start``..``end`` (both included) that fall in this period."""
        first, last = max(start, self.date_from), min(end, self.date_to)
        return max((last - first).days + 1, 0)

    def quarters(self) -> list[Period]:
        """The quarters that overlap the period, in order (for trend charts)."""
        quarters = []
        current = Period.quarter_of(self.date_from)
        while current.date_from <= self.date_to:
            quarters.append(current)
            current = Period.quarter_of(current.date_to + datetime.timedelta(days=1))
        return quarters

    def as_dict(self) -> dict[str, str]:
        data = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.quarter_label:
            data["quarter"] = self.quarter_label
        return data

    def label(self) -> str:
        """``2019Q2``, or both days in the user's date format."""
        if self.quarter_label:
            return self.quarter_label
        return "{} – {}".format(
            date_format(self.date_from, "SHORT_DATE_FORMAT"), date_format(self.date_to, "SHORT_DATE_FORMAT")
        )

    def slug(self) -> str:
        """For file names: ``2019Q2``, or ``2019-01-01_2019-06-30``."""
        return self.quarter_label or f"{self.date_from.isoformat()}_{self.date_to.isoformat()}"

    def __str__(self) -> str:
        return self.quarter_label or f"{self.date_from.isoformat()} – {self.date_to.isoformat()}"
