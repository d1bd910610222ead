"""The one home of every figure: ``REGISTRY`` maps a key to its
``FigureDefinition``.

A definition says what the figure is (label, unit, numerator and denominator
in words, the choices made in defining it, a version that changes whenever
its meaning does) and how it is counted: its ``family`` (the code that
computes a batch of figures in a fixed number of queries, ``families.py``)
and, for figures over duos, the condition of its numerator and of its
denominator. Dashboard cards, the report exporters (XLSX notes, CSV headers,
JSON), the drill-down links and ``docs/figures.md`` all read it; nothing else
lists the figures.

Adding a figure over duos is one entry (here in ``definitions.py``, or in a
module imported by ``reporting.figures``)::

    register(FigureDefinition(
        key="training_rate",
        label=_("Training rate"),
        unit=Unit.PERCENT,
        numerator_text=_("closed duos whose primary outcome is a training"),
        denominator_text=_("closed duos"),
        family=DUO_ROWS,
        numerator=lambda context: closed_duos(context) & outcome_is("training"),
        denominator=closed_duos,
        version="1",
    ))

and it appears on the dashboard table, in every export, in the docs and in
the drill-down. A figure over other rows (follow-ups, say) registers its own
``Family`` once (``families.register_family``), as ``after_closure`` does for
the follow-up figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mentoring.types import Text

from .values import Unit

# Family keys of the built-in families (``families.py``).
DUO_ROWS = "duo_rows"
DUO_MONTHS = "duo_months"
FUNDING = "funding"
MENTEE_MATCHES = "mentee_matches"

NUMERATOR, DENOMINATOR = "numerator", "denominator"


@dataclass(frozen=True)
class FigureDefinition:
    """One figure, defined once.

    ``numerator`` and ``denominator`` take a ``FigureContext`` and return what
    the family counts: for ``DUO_ROWS`` a ``Q`` on ``Duo`` rows (the duos
    counted; the same ``Q`` filters the drill-down list, so its count is the
    figure's). ``denominator`` ``None`` makes the figure a count (its value is
    the numerator). ``counts`` says what numerator and denominator count
    (``"duos"``, ``"duo-months"``, ``"follow-ups"``, ``"eur"``, ``"target"``):
    only parts that count duos, duo-months or follow-ups link to a list. ``quality`` names the
    data-quality counts shown beside the figure; ``choices`` are the
    definition choices a reader must know, shown in the reports' notes.
    """

    key: str
    label: Text
    unit: str
    numerator_text: Text
    denominator_text: Text
    family: str
    version: str
    # A function of the context (the family's kind of condition), or, for the
    # money figures, the name of a computed term: ``Any`` lets each family read its own.
    numerator: Any = None
    denominator: Any = None
    counts: tuple = ("duos", "duos")
    short_label: Text = ""
    choices: tuple = ()
    quality: tuple = ()
    group: str = "duos"

    @property
    def is_count(self) -> bool:
        return self.unit == Unit.COUNT

    def links(self, part: str) -> bool:
        """Whether ``part`` (numerator or denominator) opens a list of duos."""
        index = 0 if part == NUMERATOR else 1
        if self.is_count and part == DENOMINATOR:
            return False
        return self.counts[index] in ("duos", "duo-months", "follow-ups")


REGISTRY: dict[str, FigureDefinition] = {}


def register(definition: FigureDefinition) -> FigureDefinition:
    """Add ``definition`` to the registry (its key must be new); returns it."""
    if definition.key in REGISTRY:
        raise ValueError(f"Figure {definition.key!r} is already registered.")
    REGISTRY[definition.key] = definition
    return definition


def get(key: str) -> FigureDefinition:
    """The definition of ``key``; ``KeyError`` for an unknown key."""
    return REGISTRY[key]


def figure_keys() -> tuple[str, ...]:
    """Every figure key, in the order figures are shown."""
    return tuple(REGISTRY)


def definitions(keys: Iterable[str] | None = None) -> list[FigureDefinition]:
    """The definitions of ``keys`` (all when ``None``), in registry order."""
    if keys is None:
        return list(REGISTRY.values())
    wanted = set(keys)
    return [definition for key, definition in REGISTRY.items() if key in wanted]


def versions() -> dict[str, str]:
    """``{figure key: definition version}`` of every registered figure."""
    return {key: definition.version for key, definition in REGISTRY.items()}
