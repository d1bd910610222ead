"""Writes of the reporting app: requesting a report (and retrying a failed
one), building its file, queueing again what waited too long, deleting
expired files. Keyword-only arguments; Celery work is queued with
``transaction.on_commit`` and never fails the request when the broker is down
(``mentoring.background``)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentoring.background import claim, enqueue_row, hard_time_limit, requeue_waiting
from programmes.models import FundingConvention, Partner
from programmes.permissions import coordinator_partner_id

from .exporters import Exporter, get_exporter, report_file_name
from .figures import FigureView, Period
from .models import ReportRequest, ReportStatus
from .periods import clean_period, clean_view
from .permissions import can_download_report, may_run_report
from .selectors import ReportScope, default_funder, funders_of, report_data, report_sources_for_user

logger = logging.getLogger(__name__)


def report_request_create(
    *,
    user: User,
    period: Period,
    format: str,
    partner: Partner | None = None,
    convention: FundingConvention | None = None,
    rounding: str | None = None,
    budget_basis: str | None = None,
    language: str | None = None,
    quarter: str = "",
    view: str = FigureView.CLOSED,
    as_of: datetime.date | None = None,
    funder: str = "",
) -> ReportRequest:
    """Record a report request and queue the task that builds its file once
    the request is committed. ``period``, ``view`` and ``as_of`` are checked
    again (``reporting.periods``): a report that passes is one that can be
    built. A coordinator's request is always for their own partner, whatever
    ``partner`` says. Raises ``ValidationError`` keyed by field, nothing written."""
    view, as_of = clean_view(
        period=clean_period(date_from=period.date_from, date_to=period.date_to), view=view, as_of=as_of
    )
    if not funder and convention is None:  # the report says whose money it counted
        funder = default_funder(funders_of(FundingConvention.objects.visible_to(user)))
    own_partner = coordinator_partner_id(user)
    if own_partner is not None:
        partner = Partner.objects.get(pk=own_partner)
    if not may_run_report(
        user=user,
        partner_id=partner.pk if partner else None,
        convention_id=convention.pk if convention else None,
        format=format,
    ):
        raise PermissionDenied
    request = ReportRequest(
        requested_by=user,
        date_from=period.date_from,
        date_to=period.date_to,
        quarter=quarter or period.quarter_label or "",
        partner=partner,
        convention=convention,
        rounding=rounding or ReportRequest._meta.get_field("rounding").default,
        budget_basis=budget_basis or ReportRequest._meta.get_field("budget_basis").default,
        view=view,
        as_of=as_of,
        funder=funder or "",
        format=format,
        language=_supported_language(language or translation.get_language()),
    )
    request.full_clean()
    with transaction.atomic():
        request.save()
        transaction.on_commit(lambda: _enqueue(request.pk))
    return request


def report_request_retry(*, user: User, report_request: ReportRequest) -> ReportRequest:
    """Send a failed request to the workers again, as it was asked. Only its
    requester may, if they may still run it; anything but a failed request
    raises ``ValidationError``."""
    if report_request.requested_by_id != user.pk or not can_download_report(user, report_request):
        raise PermissionDenied
    with transaction.atomic():
        updated = ReportRequest.objects.filter(pk=report_request.pk, status=ReportStatus.FAILED).update(
            status=ReportStatus.PENDING,
            error="",
            started_at=None,
            finished_at=None,
            queued_at=None,
            queue_attempts=0,
            task_id="",
        )
        if not updated:
            raise ValidationError(_("Only a failed report can be retried."))
        report_request.refresh_from_db()
        transaction.on_commit(lambda: _enqueue(report_request.pk))
    return report_request


def _supported_language(code: str | None) -> str:
    """One of ``settings.LANGUAGES`` ("en-gb" → "en"; unknown → the default)."""
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _build_task() -> Any:
    from .tasks import build_report

    return build_report


def _enqueue(report_request_id: int) -> None:
    """Hand the request to the workers (after the commit); never raises when
    the broker is down: the request then waits for ``report_requests_requeue``."""
    enqueue_row(ReportRequest, report_request_id, _build_task())


def _scope_of(request: ReportRequest) -> ReportScope:
    return ReportScope(
        period=request.period,
        view=request.view,
        as_of=request.as_of,
        partner=request.partner,
        convention=request.convention,
        funder=request.funder,
        rounding=request.rounding,
        budget_basis=request.budget_basis,
    )


def _file_name(request: ReportRequest, exporter: Exporter) -> str:
    return f"{request.pk}-{report_file_name(request, exporter)}"


BUILD_TASK = "reporting.tasks.build_report"


def report_build(*, report_request_id: int, task_id: str | None = None) -> ReportRequest | None:
    """Build the file of a request, once. The request is claimed first
    (``mentoring.background.claim``): a built or failed request is left as it
    is, a duplicate message is dropped while another attempt builds, and a
    rerun after a lost worker replaces the half-built attempt instead of
    adding a second file. The requester's rights are checked again, and the
    file is rendered in the requester's language. A build that reaches its
    soft time limit is marked failed with a reason the requester reads.
    Returns the request as it is now (``None`` if it does not exist)."""
    request = claim(
        ReportRequest.objects.select_related("requested_by"),
        report_request_id,
        task_id=task_id,
        time_limit=hard_time_limit(BUILD_TASK),
    )
    if request is None:
        return ReportRequest.objects.filter(pk=report_request_id).first()

    user = request.requested_by
    if not user.is_active or not may_run_report(
        user=user, partner_id=request.partner_id, convention_id=request.convention_id, format=request.format
    ):
        return _fail(request, "forbidden")
    try:
        exporter = get_exporter(request.format)
        with translation.override(request.language):
            scope = _scope_of(request)
            sources_for = lambda other: report_sources_for_user(user, other)  # noqa: E731
            content = exporter.build(report_data(sources_for(scope), scope, sources_for=sources_for))
    except SoftTimeLimitExceeded:
        logger.warning("Report request %s reached its time limit", report_request_id)
        return _fail(request, "too_long")
    except Exception:
        logger.exception("Report request %s failed", report_request_id)
        return _fail(request, "error")

    with transaction.atomic():
        request = ReportRequest.objects.select_for_update().get(pk=report_request_id)
        if request.status == ReportStatus.DONE:  # another run finished first
            return request
        if request.file:
            request.file.delete(save=False)
        request.file.save(_file_name(request, exporter), ContentFile(content), save=False)
        request.status = ReportStatus.DONE
        request.error = ""
        request.finished_at = timezone.now()
        request.expires_at = request.finished_at + datetime.timedelta(hours=settings.REPORT_FILE_TTL_HOURS)
        request.save()
    return request


def failure_reason(reason_key: str) -> str:
    """What the requester reads when their report failed, in the active language."""
    minutes = max(1, round(settings.REPORT_BUILD_TIME_LIMIT / 60))
    reasons = {
        "forbidden": _("You are no longer allowed to run this report."),
        "error": _("The report could not be built. Please try again or contact support."),
        "too_long": _(
            "The report took longer than %(minutes)s minutes to build and was stopped. "
            "Try again, or ask for a shorter period."
        )
        % {"minutes": minutes},
        "stopped": _(
            "The build stopped before it finished (it took too long, or the background service stopped). "
            "Please try again."
        ),
        "no_worker": _(
            "No worker took up the report: the background service seems to be down. Please try again later."
        ),
    }
    return reasons[reason_key]


def _fail(request: ReportRequest, reason_key: str, *, status: str = ReportStatus.RUNNING) -> ReportRequest:
    """Mark ``request`` failed, if it is still ``status``, with the reason in
    the requester's language."""
    with translation.override(request.language):
        message = str(failure_reason(reason_key))
    ReportRequest.objects.filter(pk=request.pk, status=status).update(
        status=ReportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    request.refresh_from_db()
    return request


def report_requests_requeue(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queue again the requests that waited too long (the broker was down, or
    lost its messages); fail those that can no longer finish. Run every minute
    by ``reporting.tasks.requeue_waiting_reports``."""

    def fail(request: ReportRequest, reason_key: str) -> None:
        _fail(request, reason_key, status=request.status)

    return requeue_waiting(ReportRequest.objects.all(), _build_task(), now=now, fail=fail)


def report_files_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of expired requests (the records stay, for the
    history of who asked for what). Returns how many files were deleted."""
    deleted = 0
    for request in ReportRequest.objects.expired(now).exclude(file=""):
        request.file.delete(save=False)
        ReportRequest.objects.filter(pk=request.pk).update(file="")
        deleted += 1
    return deleted
