"""Report exporters: small classes in a registry (after pretix's exporters).

An exporter has an ``identifier`` (the file format users pick), a ``title``,
says which users may run it (``may_run``) and turns a ``ReportData`` into
bytes (``build``), in the active language. The Celery task and the
``report`` command pick one from ``EXPORTERS``; neither knows how a file is
laid out. Every figure, label and definition comes from the figure registry.

``EXPORTERS`` is the only list of formats: the ``ReportRequest.format``
field's choices, the request form and the ``report`` command read it
(``requestable_format_choices``, ``DEFAULT_FORMAT``); a new exporter is one
class with ``@register``.

Exports are meant for circulation beyond the partner: duos appear under a
pseudonymous id only (no names, no job-seeker numbers, no migration
background, no free-text notes). No cell of an export starts a formula
(``cells``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.text import slugify

from mentoring.types import AnyUser, Text
from programmes.permissions import can_request_reports

from ..figures import ALL_FUNDERS, FigureView

if TYPE_CHECKING:
    from programmes.models import FundingConvention, Partner, Programme

    from ..figures import Period
    from ..models import ReportRequest
    from ..selectors import ReportData

EXPORTERS: dict[str, Exporter] = {}

# What a report request is built as unless the user picks another format.
DEFAULT_FORMAT = "xlsx"


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    EXPORTERS[exporter_class.identifier] = exporter_class()
    return exporter_class


def get_exporter(identifier: str) -> Exporter:
    try:
        return EXPORTERS[identifier]
    except KeyError as exc:
        raise ValueError(identifier) from exc


def requestable_format_choices() -> list[tuple[str, Text]]:
    """``[(identifier, title)]`` of the exporters a report request may name
    (``requestable``), the default format first, then in registration order:
    the choices of ``ReportRequest.format`` and of the request form."""
    requestable = [exporter for exporter in EXPORTERS.values() if exporter.requestable]
    requestable.sort(key=lambda exporter: exporter.identifier != DEFAULT_FORMAT)
    return [(exporter.identifier, exporter.title) for exporter in requestable]


class Exporter:
    identifier: str = ""
    title: Text = ""
    extension: str = ""
    content_type = "application/octet-stream"
    # False for formats of the ``report`` command only: no request, no role may run it.
    requestable = True

    def may_run(self, user: AnyUser) -> bool:
        """Managers for every partner, coordinators for their own."""
        return self.requestable and can_request_reports(user)

    def build(self, data: ReportData) -> bytes:
        raise NotImplementedError


def file_name(
    *,
    period: Period,
    extension: str,
    language: str,
    view: str = FigureView.CLOSED,
    as_of: datetime.date | None = None,
    partner: Partner | None = None,
    programme: Programme | None = None,
    convention: FundingConvention | None = None,
    funder: str = "",
) -> str:
    """A file name that says period, view, scope (and the funder, when not
    the default one) and language: ``mentoring-2019Q2-all-partners-fr.xlsx``,
    ``mentoring-2013-01-01_2017-12-31-cohort-as-of-2017-12-31-team4job-en.csv``."""
    parts = ["mentoring", period.slug()]
    if view == FigureView.COHORT:
        parts += ["cohort", "as-of", (as_of or period.date_to).isoformat()]
    parts.append(partner.slug if partner is not None else "all-partners")
    for narrowing in (programme, convention):
        if narrowing is not None:
            parts.append(narrowing.slug)
    if funder == ALL_FUNDERS:
        parts.append("all-funders")
    elif funder and funder != settings.REPORTING_DEFAULT_FUNDER:
        parts.append(slugify(funder)[:30])
    parts.append(language)
    return "-".join(part for part in parts if part) + "." + extension


def report_file_name(request: ReportRequest, exporter: Exporter) -> str:
    """The download name of a ``ReportRequest``'s file."""
    return file_name(
        period=request.period,
        extension=exporter.extension,
        language=request.language,
        view=request.view,
        as_of=request.as_of,
        partner=request.partner,
        convention=request.convention,
        funder=request.funder,
    )


from . import tables, workbook  # noqa: E402  (register the exporters)
from .cells import duo_pseudonym  # noqa: E402
from .workbook import QuarterlyXlsxExporter  # noqa: E402

__all__ = [
    "DEFAULT_FORMAT",
    "EXPORTERS",
    "Exporter",
    "QuarterlyXlsxExporter",
    "duo_pseudonym",
    "file_name",
    "get_exporter",
    "report_file_name",
    "requestable_format_choices",
    "tables",
    "workbook",
]
