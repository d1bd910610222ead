"""What a figure is asked for: a period, a view of it and the day it is read.

Two views of a period (docs/figures.md, "How to read them"), and every
figure says which:

* **closed in the period** (``FigureView.CLOSED``): rates count the duos
  whose closure date falls in the period;
* **cohort** (``FigureView.COHORT``): the duos started in the period,
  followed to their outcome as of a report date (``as_of``, by default the
  last day of the period). The 2018 press release's figures are cohort
  figures ("171 duos created, of which 152 closed; 77 found a job").
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .period import Period, month_last_day


class FigureView(models.TextChoices):
    CLOSED = "closed", gettext_lazy("Closed in the period")
    COHORT = "cohort", gettext_lazy("Started in the period (cohort)")


@dataclass(frozen=True)
class FigureContext:
    """A period, its view and, for a cohort, the day outcomes are read on.

    ``today`` is the day the figures are computed (the cadence figure counts
    only months that have ended before it); tests pass it, the application
    leaves it to ``timezone.localdate()``.
    """

    period: Period
    view: str = FigureView.CLOSED
    as_of: datetime.date | None = None
    today: datetime.date | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.view == FigureView.COHORT and self.as_of is None:
            object.__setattr__(self, "as_of", self.period.date_to)
        if self.view != FigureView.COHORT:
            object.__setattr__(self, "as_of", None)
        if self.today is None:
            object.__setattr__(self, "today", timezone.localdate())

    @property
    def is_cohort(self) -> bool:
        return self.view == FigureView.COHORT

    @property
    def cohort_as_of(self) -> datetime.date:
        """The as-of date of a cohort view (set by ``__post_init__``)."""
        assert self.as_of is not None, "only a cohort view has an as-of date"
        return self.as_of

    @property
    def today_date(self) -> datetime.date:
        """``today`` as given, or the local date (set by ``__post_init__``)."""
        assert self.today is not None
        return self.today

    @property
    def last_day(self) -> datetime.date:
        """The last day the figures look at: the period's end, or the cohort's as-of date."""
        return self.cohort_as_of if self.is_cohort else self.period.date_to

    def with_period(self, period: Period) -> "FigureContext":
        """The same view of another period (a cohort keeps its distance to the as-of date)."""
        as_of = None
        if self.is_cohort:
            as_of = period.date_to + (self.cohort_as_of - self.period.date_to)
        return FigureContext(period=period, view=self.view, as_of=as_of, today=self.today)

    def cadence_window(self) -> tuple[datetime.date, datetime.date] | None:
        """``(first day, last day)`` of the calendar months the cadence figure
        counts: wholly inside the period (for a cohort: from the period's start
        to the as-of date) and ended before ``today`` (the current month is not a
        missed month). ``None`` when no such month exists."""
        start = self.period.date_from
        end = min(self.last_day, self.today_date.replace(day=1) - datetime.timedelta(days=1))
        first = start if start.day == 1 else month_last_day(start) + datetime.timedelta(days=1)
        last = end if end == month_last_day(end) else end.replace(day=1) - datetime.timedelta(days=1)
        if first > last:
            return None
        return first, last

    def describe(self) -> str:
        """What the figures count, in words: "Period 2019Q1; rates count the
        duos closed in the period" or "Duos started in the period ... (cohort),
        outcomes as of ..."."""
        if not self.is_cohort:
            return _("Period %(period)s; rates count the duos closed in the period") % {"period": self.period.label()}
        return _("Duos started in the period %(period)s (cohort), outcomes as of %(as_of)s") % {
            "period": self.period.label(),
            "as_of": date_format(self.cohort_as_of, "SHORT_DATE_FORMAT"),
        }

    def as_dict(self) -> dict[str, str]:
        data = {**self.period.as_dict(), "view": str(self.view)}
        if self.is_cohort:
            data["as_of"] = self.cohort_as_of.isoformat()
        return data
