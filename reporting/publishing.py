"""Publishing a finished quarter's report, and reading its files back.

``quarter_publish`` computes the quarter's report as a manager sees it (every
partner, closed in the period, the default funder), builds its files (XLSX
and JSON, in the language chosen) and stores, in one transaction, the figures
per scope with their definitions' versions, the files' bytes with their
SHA-256 and the duos the figures counted (``reporting.published``). Publishing
a quarter again supersedes the current publication, which stays listed.

A publication is never deleted (``published_report_delete`` refuses, as do the
model, its querysets and the admin): what was sent to the funder stays on
record, and later corrections show as restatements (``reporting.restatements``).
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programmes.permissions import can_publish_reports

from .exporters import file_name, get_exporter
from .figures import BudgetBasis, Rounding, get
from .figures.predicates import counted, rows_of
from .periods import clean_period
from .published import PublicationStatus, PublishedFigure, PublishedFile, PublishedReport
from .restatements import scope_rows
from .selectors import ReportScope, report_data, report_sources_for_user

logger = logging.getLogger(__name__)

# The files of a publication: the workbook people read and the JSON machines read.
PUBLISHED_FORMATS = ("xlsx", "json")


class PublishedFileCorrupted(Exception):
    """A stored file's bytes no longer match the SHA-256 recorded when it was published."""


def _user_name(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _published_file_name(period, exporter, language, funder, published_at):
    """``mentoring-2019Q1-all-partners-fr-published-2026-11-29-1402.xlsx``."""
    name = file_name(period=period, extension=exporter.extension, language=language, funder=funder)
    stem = name[: -len(exporter.extension) - 1]
    return f"{stem}-published-{timezone.localtime(published_at):%Y-%m-%d-%H%M}.{exporter.extension}"


def _figure_rows(report, data):
    rows = []
    for scope, kind, partner, convention, funder, figures in scope_rows(data.figures, data.conventions):
        for key, figure in figures.items():
            if figure is None:  # does not apply to this row (money of the not-split row's duos...)
                continue
            rows.append(
                PublishedFigure(
                    report=report,
                    scope=scope,
                    kind=kind,
                    partner=partner,
                    convention_id=None if convention is None else convention.id,
                    funder=funder,
                    key=key,
                    unit=figure.unit,
                    numerator=figure.numerator,
                    denominator=figure.denominator,
                    value=figure.value,
                    version=get(key).version,
                )
            )
    return rows


def quarter_publish(*, user, quarter, language, rounding=Rounding.HALF_UP, note="", today=None):
    """Publish ``quarter`` (``"2019Q1"``) as ``user``, a manager, with rates
    rounded by ``rounding`` and files in ``language``. The quarter must have
    ended before ``today``. The current publication of the quarter, if any, is
    superseded by the new one. Raises ``PermissionDenied`` for anyone but a
    manager and ``ValidationError`` keyed by ``quarter``, ``rounding`` or
    ``language``, nothing written. Returns the new ``PublishedReport``."""
    if not can_publish_reports(user):
        raise PermissionDenied
    period = clean_period(quarter=quarter)
    today = today or timezone.localdate()
    errors = {}
    if period.date_to >= today:
        errors["quarter"] = [
            _("%(quarter)s has not ended yet: a quarter is published once it is over.")
            % {"quarter": period.quarter_label}
        ]
    if rounding not in Rounding.values:
        errors["rounding"] = [_("Choose how rates are rounded.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose the language of the report.")]
    if errors:
        raise ValidationError(errors)

    scope = ReportScope(period=period, rounding=rounding, budget_basis=BudgetBasis.DAYS)

    def sources_for(other):
        return report_sources_for_user(user, other)

    try:
        with transaction.atomic():
            # Lock the quarter's current publication: two managers publishing
            # at once supersede one after the other (a first publication is
            # kept single by the partial unique index instead).
            previous = list(
                PublishedReport.objects.select_for_update().filter(
                    quarter=period.quarter_label, status=PublicationStatus.PUBLISHED
                )
            )
            sources = sources_for(scope)
            with translation.override(language):
                data = report_data(sources, scope, sources_for=sources_for)
                contents = {identifier: get_exporter(identifier).build(data) for identifier in PUBLISHED_FORMATS}
            now = timezone.now()
            for old in previous:
                old.status, old.superseded_at = PublicationStatus.SUPERSEDED, now
                old.save(update_fields=["status", "superseded_at"])
            report = PublishedReport.objects.create(
                quarter=period.quarter_label,
                date_from=period.date_from,
                date_to=period.date_to,
                published_at=now,
                published_by=user,
                published_by_name=_user_name(user),
                note=note.strip(),
                funder=sources.funder,
                rounding=rounding,
                budget_basis=scope.budget_basis,
                language=language,
            )
            for old in previous:
                old.superseded_by = report
                old.save(update_fields=["superseded_by"])
            PublishedFigure.objects.bulk_create(_figure_rows(report, data), batch_size=500)
            files = []
            for identifier, content in contents.items():
                exporter = get_exporter(identifier)
                files.append(
                    PublishedFile(
                        report=report,
                        format=identifier,
                        name=_published_file_name(period, exporter, language, sources.funder, now),
                        content_type=exporter.content_type,
                        content=content,
                        size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(),
                    )
                )
            PublishedFile.objects.bulk_create(files)
            through = PublishedReport.duos.through
            duo_ids = counted(sources.duos).filter(rows_of(scope.context)).order_by().values_list("pk", flat=True)
            through.objects.bulk_create(
                (through(publishedreport_id=report.pk, duo_id=duo_id) for duo_id in duo_ids.iterator(chunk_size=2000)),
                batch_size=2000,
            )
    except IntegrityError as exc:  # another manager published the same quarter at the same moment
        raise ValidationError(
            {
                "quarter": [
                    _("%(quarter)s was published by someone else just now. Reload the page.") % {"quarter": quarter}
                ]
            }
        ) from exc
    logger.info("Quarter %s published (publication %s)", report.quarter, report.pk)
    return report


def published_report_delete(*, user, report):
    """Always refused: a published report is kept for ever (what the funder
    received stays on record; publishing the quarter again supersedes it and
    keeps both). Raises ``ValidationError``."""
    raise ValidationError(
        _("A published report is kept for ever and cannot be deleted. Publish the quarter again to supersede it.")
    )


def published_file_content(published_file):
    """The file's bytes, checked against the SHA-256 recorded at publication:
    raises ``PublishedFileCorrupted`` rather than serve other bytes."""
    content = bytes(published_file.content)
    if hashlib.sha256(content).hexdigest() != published_file.sha256:
        logger.error("Published file %s does not match its SHA-256", published_file.pk)
        raise PublishedFileCorrupted(published_file.pk)
    return content


def published_reports_for_user(user):
    """The publications ``user`` may list and download: every one for a
    manager, none for anyone else (they hold every partner's figures). Each
    says whether a correction touched its duos since (``corrected_since``:
    the publication's page then shows whether its figures changed)."""
    if not can_publish_reports(user):
        return PublishedReport.objects.none()
    from duos.models import Duo

    from .restatements import corrected_since

    files = PublishedFile.objects.defer("content").order_by("pk")
    return (
        PublishedReport.objects.select_related("superseded_by")
        .prefetch_related(Prefetch("files", queryset=files))
        .annotate(corrected_since=corrected_since(Duo.objects.visible_to(user)))
    )
