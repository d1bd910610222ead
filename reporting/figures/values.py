"""The value a figure takes: numerator, denominator and value, rounded once.

A rate has a denominator; when it is 0 the figure has *no denominator* and its
value is ``None`` (never a division by zero, never a misleading 0 %). A count
(``duos_started``...) has ``numerator`` = the count, ``denominator`` = ``None``
and ``value`` = the count. Money is in EUR with two decimals, rounded half-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ONE_DECIMAL = Decimal("0.1")
CENTS = Decimal("0.01")
HUNDRED = Decimal(100)


class Rounding(models.TextChoices):
    """How rates are rounded to one decimal. The 2018 press release truncated
    (77 / 152 = 50.66 % was published as 50.6 %); half-up is the default."""

    HALF_UP = "half-up", _("Half up (50.66 % → 50.7 %)")
    TRUNCATE = "truncate", _("Truncate (50.66 % → 50.6 %)")


class Unit(models.TextChoices):
    COUNT = "count", _("duos")
    PERCENT = "percent", _("%")
    EUR = "eur", _("EUR")
    DAYS = "days", _("days")


def round_rate(value: Decimal | int | float, rounding: str = Rounding.HALF_UP) -> Decimal:
    """``value`` (a Decimal percentage) to one decimal, half-up or truncated."""
    mode = ROUND_DOWN if rounding == Rounding.TRUNCATE else ROUND_HALF_UP
    return Decimal(value).quantize(ONE_DECIMAL, rounding=mode)


def round_money(value: Decimal | int) -> Decimal:
    """EUR with two decimals, half-up, whatever the rate rounding mode."""
    return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figure:
    """One figure: what was counted, over what, and the rounded result."""

    numerator: int | Decimal | None
    denominator: int | Decimal | None
    value: int | Decimal | None
    unit: str = Unit.PERCENT

    @property
    def has_denominator(self) -> bool:
        return self.unit == Unit.COUNT or self.value is not None

    def as_dict(self) -> dict[str, int | Decimal | None]:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


def count_figure(count: int) -> Figure:
    """A plain count: numerator and value are the count, there is no denominator."""
    count = count or 0
    return Figure(numerator=count, denominator=None, value=count, unit=Unit.COUNT)


def rate_figure(
    numerator: int | Decimal, denominator: int | Decimal | None, rounding: str = Rounding.HALF_UP
) -> Figure:
    """``numerator / denominator`` as a percentage with one decimal; ``None``
    when the denominator is 0 (no denominator)."""
    numerator = numerator or 0
    denominator = denominator or 0
    if not denominator:
        return Figure(numerator=numerator, denominator=denominator, value=None)
    value = round_rate(Decimal(numerator) * HUNDRED / Decimal(denominator), rounding)
    if not isinstance(denominator, int):  # a pro-rata target: shown with two decimals
        denominator = Decimal(denominator).quantize(CENTS, rounding=ROUND_HALF_UP)
    return Figure(numerator=numerator, denominator=denominator, value=value)


def money_per_duo_figure(amount: Decimal | None, duos: int | Decimal | None) -> Figure:
    """``amount`` EUR over ``duos`` (a count or a pro-rata Decimal), in EUR
    with two decimals; ``None`` when there are no duos to divide by, or no
    amount is known (a convention share without an amount)."""
    amount = round_money(amount or 0)
    if not duos or not amount:
        return Figure(numerator=amount, denominator=duos or 0, value=None, unit=Unit.EUR)
    denominator = duos if isinstance(duos, int) else round_money(duos)
    return Figure(numerator=amount, denominator=denominator, value=round_money(amount / Decimal(duos)), unit=Unit.EUR)


def median_days_figure(median: Decimal | None, count: int | None) -> Figure:
    """A median in days (one decimal) over ``count`` rows (mentees); no value
    when nothing was counted."""
    count = count or 0
    if not count or median is None:
        return Figure(numerator=None, denominator=count, value=None, unit=Unit.DAYS)
    return Figure(numerator=median, denominator=count, value=median, unit=Unit.DAYS)
