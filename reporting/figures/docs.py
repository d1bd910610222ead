"""``docs/figures.md``, the newcomer's page on the figures, written from the
registry (``python manage.py figures_doc``); a test checks that the committed
page is current."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from .registry import DENOMINATOR, NUMERATOR, REGISTRY
from .values import Unit

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "figures.md"

INTRO = """\
# The figures

<!-- Written by `python manage.py figures_doc` from the figure registry; do not edit by hand. -->

Every figure of the dashboard and the reports is defined once, in the figure registry
(`reporting/figures/registry.py`, entries in `reporting/figures/definitions.py` and, for the
figures after the duo, `reporting/figures/after_closure.py`). This page is
written from it. Each definition has a **version**: it changes whenever the figure's meaning
does, and a published report records the versions it used (see `docs/publishing.md`:
published quarters keep each figure's numerator, denominator, value and version, and show
later corrections as restatements).

## How to read them

* **Two views of a period**, and every card and report says which. *Closed in the period*:
  rates count the duos whose closure date falls in the period. *Cohort*: the duos started in
  the period, followed to their outcome as of a report date (by default the period's last
  day); the 2018 press release's figures are cohort figures ("171 duos created, of which 152
  closed; 77 found a job").
* **Closed duos** are those of the view: closed in the period, or (cohort) started in the
  period and closed by the as-of date. Open duos are never in a denominator.
* **Active**: a duo is active on a day when it started on or before it and had not closed by
  then; a closed duo's end date is the day it stops. So the duos started in a period are those
  closed since plus those still active.
* A **cancelled** duo (entered by mistake) is in no figure.
* **Rates** show numerator / denominator; when the denominator is 0 there is no value (never a
  misleading 0 %). Rounding is half up to one decimal, or truncated as the press release did
  (77 / 152 = 50.66 % published as 50.6 %); each report says which.
* **Money** is counted per funder (the default funder is `REPORTING_DEFAULT_FUNDER`, Actiris);
  all funders added together only when asked for. A convention's amount and target are held
  by the partners' shares; what the shares leave is the one remaining partner's, or belongs to
  no single partner ("Not split between partners", its own row). Partner rows plus that row
  add up to the total. Money and targets are not counted per programme.
* **Drill-down**: on the dashboard, each numerator and denominator that counts duos (or
  duo-months) links to the duo list narrowed to exactly those duos
  (`/duos/?figure=<key>&part=numerator|denominator&date_from=...&date_to=...`, plus the view,
  as-of date, partner, programme, convention and funder); the list's count is the figure's.
  For duo-months the list shows each duo's months and their total; for follow-ups (follow-up
  completion) each duo's follow-ups and their total.
* **After the duo**: the follow-up figures count the follow-ups that fall due in the period
  (the closure date plus the offset: 3, 6 and 12 months unless the programme says otherwise),
  or, for a cohort, those of the duos started in the period that fell due by the as-of date.
  They never change the closure outcome the other figures count.

## The figures
"""

ADDING = """
## Adding a figure

A figure over duos is one `register(FigureDefinition(...))` entry: its key, label, unit,
numerator and denominator texts, version, and two functions of the `FigureContext` that return
the `Q` condition on `Duo` rows of its numerator and of its denominator (see
`reporting/figures/predicates.py` for `closed_duos`, `started_duos`, `outcome_is`...). The
dashboard table, every export, the drill-down links and this page follow; run
`python manage.py figures_doc` and commit the page. A figure over other rows (follow-ups, say)
first registers its `Family` (`reporting/figures/families.py`): how to count a batch of its
figures in a fixed number of queries, grouped by partner, and how to narrow the duo list to one
part of one figure.

To read every figure of a period and scope, with their values and versions:
`reporting.selectors.figure_set_for_user(user, ReportScope(period=..., view=..., ...))` returns a
`FigureSet` (`partners`, `not_split`, `total`: `{key: Figure(numerator, denominator, value,
unit)}`); `FigureSet.as_dict()` adds `definitions: {key: version}`.
"""

UNITS: dict[str, str] = {
    Unit.COUNT: "a count of duos",
    Unit.PERCENT: "a percentage",
    Unit.EUR: "EUR per duo",
    Unit.DAYS: "days (a median)",
}
COUNTS = {
    "duos": "duos",
    "duo-months": "duo-months",
    "follow-ups": "follow-ups",
    "eur": "EUR",
    "target": "target duos",
    "days": "days",
    None: "—",
}


def figures_markdown() -> str:
    """The page, in English."""
    with translation.override("en"):
        lines = [INTRO]
        for definition in REGISTRY.values():
            lines.append(f"### {definition.label}\n")
            lines.append(
                f"`{definition.key}` · version {definition.version} · {UNITS[definition.unit]} · "
                f"computed by the `{definition.family}` family\n"
            )
            lines.append(f"* **Numerator** ({COUNTS[definition.counts[0]]}): {definition.numerator_text}.")
            if definition.is_count:
                lines.append("* **Denominator**: none (a count: its value is the numerator).")
            else:
                lines.append(f"* **Denominator** ({COUNTS[definition.counts[1]]}): {definition.denominator_text}.")
            parts = [part for part in (NUMERATOR, DENOMINATOR) if definition.links(part)]
            lines.append(f"* **Links to the duo list**: {', '.join(parts) if parts else 'none'}.")
            if definition.quality:
                shown = ", ".join(f"`{key}`" for key in definition.quality)
                lines.append(f"* **Shown beside it** (data quality): {shown}.")
            for choice in definition.choices:
                lines.append(f"* {choice}")
            lines.append("")
        lines.append(ADDING)
        return "\n".join(lines).rstrip() + "\n"
