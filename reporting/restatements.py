"""Restatements: a published quarter whose figures today differ from those it
published, and the corrections that made the difference.

``scope_rows`` lists a report's figures per scope (total, partners, not split,
conventions, funders), as they are published (``reporting.publishing``) and as
they are compared here. ``restatement_of`` compares one publication with the
figures computed today over the same scope and settings (the registry's
families: a fixed number of queries, see ``reporting.figures``), and lists the
``DuoCorrection`` rows made after publication on the duos it counted or that
the quarter counts now. ``restatements_for_report`` does it for the
publications a new report must list: only the quarters that a correction
touched since they were published (found in one query), each compared in a
fixed number of queries.

Partner isolation: whoever reads a restatement reads it through sources they
may see (``selectors.report_sources_for_user``). Narrowed to one partner (a
coordinator, or a report for one partner) only that partner's row is compared
and only that partner's corrections are listed; the published total, the other
partners and the conventions are never read.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from duos.models import DuoCorrection

from .figures import NOT_SPLIT, Figure, get
from .figures.values import CENTS, ONE_DECIMAL, Unit
from .published import PublicationStatus, PublishedFigure, PublishedReport, ScopeKind
from .selectors import ReportScope, convention_table, figure_set_for

# Corrections listed per restated quarter (the duo pages list every one).
CORRECTIONS_SHOWN = 50


def scope_rows(figures, conventions, *, single_partner=None):
    """``[(scope, kind, partner, convention, funder, {key: Figure or None})]``
    of a ``FigureSet`` and its ``convention_table`` rows: each partner, the
    not-split row, the total, each convention and each funder's subtotal
    (money figures only). Narrowed to ``single_partner``: that partner's row only."""
    if single_partner is not None:
        row = dict(figures.partners).get(single_partner, figures.total)
        return [(f"partner:{single_partner.pk}", ScopeKind.PARTNER, single_partner, None, "", row)]
    rows = [(f"partner:{partner.pk}", ScopeKind.PARTNER, partner, None, "", row) for partner, row in figures.partners]
    if figures.not_split is not None:
        rows.append((NOT_SPLIT, ScopeKind.NOT_SPLIT, None, None, "", figures.not_split))
    rows.append(("total", ScopeKind.TOTAL, None, None, "", figures.total))
    for row in conventions:
        convention = row.get("convention")
        if convention is not None:
            rows.append((f"convention:{convention.id}", ScopeKind.CONVENTION, None, convention, "", row["figures"]))
        else:
            rows.append((f"funder:{row['funder']}", ScopeKind.FUNDER, None, None, row["funder"], row["figures"]))
    return rows


def _plain(number, unit=None, *, is_value=False):
    """A stored Decimal back as the figure had it: whole numbers as ``int``,
    rates with one decimal, money and pro-rata parts with two."""
    if number is None:
        return None
    if is_value and unit == Unit.PERCENT:
        return number.quantize(ONE_DECIMAL)
    if is_value and unit == Unit.EUR:
        return number.quantize(CENTS)
    if number == number.to_integral_value():
        return int(number)
    return number.quantize(CENTS)


def published_figure(row):
    """The ``Figure`` a ``PublishedFigure`` row stored."""
    return Figure(
        numerator=_plain(row.numerator),
        denominator=_plain(row.denominator),
        value=_plain(row.value, row.unit, is_value=True),
        unit=row.unit,
    )


def _same(published, current):
    if current is None:
        return False

    def parts(figure):
        return tuple(None if part is None else Decimal(part) for part in (figure.numerator, figure.value))

    denominators = (published.denominator, current.denominator)
    same_denominator = denominators[0] == denominators[1] or (
        None not in denominators and Decimal(denominators[0]) == Decimal(denominators[1])
    )
    return parts(published) == parts(current) and same_denominator


def made_by_name(correction):
    """Who made a correction, as the duo's page names them."""
    user = correction.made_by
    return "" if user is None else user.get_full_name() or user.get_username()


def scope_label(row):
    """What a published scope is called on the page and in the report."""
    from django.utils.translation import gettext as _

    if row.kind == ScopeKind.PARTNER:
        return row.partner.name
    if row.kind == ScopeKind.CONVENTION:
        return row.convention.name
    if row.kind == ScopeKind.FUNDER:
        return _("Total of %(funder)s") % {"funder": row.funder}
    return str(ScopeKind(row.kind).label)


@dataclass
class RestatedFigure:
    """One figure of one scope whose current value differs from the published one."""

    scope: str
    scope_label: str
    key: str
    published: Figure
    current: Figure | None
    version: str

    @property
    def info(self):
        return get(self.key)

    @property
    def version_changed(self):
        return self.info.version != self.version


@dataclass
class Restatement:
    """A publication compared with today: ``figures`` that differ (empty:
    not restated) and the ``corrections`` made since, newest first (at most
    ``CORRECTIONS_SHOWN``; ``more_corrections`` when there were more)."""

    publication: PublishedReport
    figures: list = field(default_factory=list)
    corrections: list = field(default_factory=list)
    more_corrections: bool = False

    @property
    def is_restated(self):
        return bool(self.figures)

    def as_dict(self):
        """For the JSON report: the quarter, each figure published and
        current, and the corrections (duos under their pseudonymous id)."""
        from .exporters.cells import duo_pseudonym

        return {
            "quarter": self.publication.quarter,
            "published_at": self.publication.published_at.isoformat(),
            "figures": [
                {
                    "scope": item.scope,
                    "figure": item.key,
                    "version": item.version,
                    "published": item.published.as_dict(),
                    "current": None if item.current is None else item.current.as_dict(),
                }
                for item in self.figures
            ],
            "corrections": [
                {
                    "duo": duo_pseudonym(correction.duo_id),
                    "kind": correction.kind,
                    "reason": correction.reason,
                    "made_by": made_by_name(correction),
                    "made_at": correction.made_at.isoformat(),
                }
                for correction in self.corrections
            ],
        }

    @property
    def quarter(self):
        return self.publication.quarter


def publication_scope(publication, *, partner=None):
    """The ``ReportScope`` a publication was computed for (narrowed to ``partner``)."""
    return ReportScope(
        period=publication.period,
        partner=partner,
        rounding=publication.rounding,
        budget_basis=publication.budget_basis,
        funder=publication.funder,
    )


def corrections_since(publication, duos):
    """Corrections made after ``publication`` of the duos among ``duos`` (what
    the reader may see) that it counted, or that its quarter counts now (a
    reopened duo, an end date moved into the quarter). Newest first; one query."""
    period = publication.period
    counted = PublishedReport.duos.through.objects.filter(publishedreport_id=publication.pk).values("duo_id")
    in_quarter_now = Q(duo__start_date__lte=period.date_to) & (
        Q(duo__end_date__isnull=True) | Q(duo__end_date__gte=period.date_from)
    )
    return (
        DuoCorrection.objects.filter(duo__in=duos.values("pk"), made_at__gt=publication.published_at)
        .filter(Q(duo_id__in=counted) | in_quarter_now)
        .select_related("made_by", "duo__partner")
        .order_by("-made_at", "-pk")
    )


def restatement_of(publication, sources, *, current=None, conventions=None):
    """Compare ``publication`` with today's figures of ``sources`` (built with
    ``publication_scope``; ``current`` and ``conventions``: that figure set and
    its ``convention_table`` when the caller has them already). Queries: the
    published figures, the corrections, and the figure set (plus the
    convention table) when not given: a fixed number whatever the number of
    partners, duos, figures or corrections."""
    scope = publication_scope(publication, partner=sources.single_partner)
    single = sources.single_partner
    if current is None:
        current = figure_set_for(sources, scope)
    if conventions is None:
        conventions = [] if single is not None else convention_table(sources, scope)
    now = {scope_key: row for scope_key, *_rest, row in scope_rows(current, conventions, single_partner=single)}
    published = PublishedFigure.objects.filter(report=publication).select_related("partner", "convention")
    if single is not None:
        published = published.filter(scope=f"partner:{single.pk}")
    result = Restatement(publication=publication)
    for row in published:
        before = published_figure(row)
        after = now.get(row.scope, {}).get(row.key)
        if not _same(before, after):
            result.figures.append(
                RestatedFigure(
                    scope=row.scope,
                    scope_label=scope_label(row),
                    key=row.key,
                    published=before,
                    current=after,
                    version=row.version,
                )
            )
    corrections = list(corrections_since(publication, sources.duos)[: CORRECTIONS_SHOWN + 1])
    for correction in corrections:
        correction.made_by_name = made_by_name(correction)
    result.corrections = corrections[:CORRECTIONS_SHOWN]
    result.more_corrections = len(corrections) > CORRECTIONS_SHOWN
    return result


def current_publication(period):
    """The current publication of ``period`` when it is a quarter, else ``None`` (one query)."""
    if not period.quarter_label:
        return None
    return PublishedReport.objects.filter(quarter=period.quarter_label, status=PublicationStatus.PUBLISHED).first()


def corrected_since(duos):
    """An ``Exists`` over ``PublishedReport`` rows: a correction of one of
    ``duos`` made after the publication, of a duo it counted or that its
    quarter counts now (as ``corrections_since``, for many publications in one
    query)."""
    membership = PublishedReport.duos.through.objects.filter(
        publishedreport_id=OuterRef(OuterRef("pk")), duo_id=OuterRef("duo_id")
    )
    return Exists(
        DuoCorrection.objects.filter(duo__in=duos.values("pk"), made_at__gt=OuterRef("published_at"))
        .filter(
            Exists(membership)
            | (
                Q(duo__start_date__lte=OuterRef("date_to"))
                & (Q(duo__end_date__isnull=True) | Q(duo__end_date__gte=OuterRef("date_from")))
            )
        )
        .values("pk")
    )


def publications_touched(*, until, duos):
    """The current publications of quarters ending on or before ``until`` with
    at least one correction (of ``duos``) made after they were published: one
    query, whatever the number of publications."""
    return list(
        PublishedReport.objects.filter(status=PublicationStatus.PUBLISHED, date_to__lte=until)
        .filter(corrected_since(duos))
        .order_by("date_from")
    )


def restatements_for_report(scope, sources_for):
    """The restated quarters a report of ``scope`` lists: published quarters
    ending by the end of its period that a correction touched since, compared
    with today over what ``sources_for(scope)`` may see (narrowed to the
    report's partner, if any). Returns ``[Restatement]`` with differences only.
    Queries: one to find the quarters, then a fixed number per touched quarter."""
    base = sources_for(ReportScope(period=scope.period, partner=scope.partner))
    result = []
    for publication in publications_touched(until=scope.period.date_to, duos=base.duos):
        sources = sources_for(publication_scope(publication, partner=scope.partner))
        restatement = restatement_of(publication, sources)
        if restatement.is_restated:
            result.append(restatement)
    return result
