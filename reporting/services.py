"""Writes of the reporting app: requesting a report, building its file,
deleting expired files. Keyword-only arguments; Celery work is queued with
``transaction.on_commit``."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programmes.models import FundingConvention, Partner
from programmes.permissions import can_request_reports, coordinator_partner_id

from .exporters import get_exporter
from .models import ReportRequest, ReportStatus
from .selectors import ReportScope, report_data, report_sources_for_user

logger = logging.getLogger(__name__)


def may_run_report(*, user, partner_id, convention_id=None, format):
    """Whether ``user`` may have this report: managers for any partner,
    coordinators for their own partner only, and only with a format their
    role may run. Checked when requesting and again when building."""
    if not can_request_reports(user):
        return False
    try:
        exporter = get_exporter(format)
    except ValueError:
        return False
    if not exporter.may_run(user):
        return False
    own_partner = coordinator_partner_id(user)
    if own_partner is not None and partner_id != own_partner:
        return False
    if partner_id is not None and not Partner.objects.visible_to(user).filter(pk=partner_id).exists():
        return False
    return convention_id is None or FundingConvention.objects.visible_to(user).filter(pk=convention_id).exists()


def report_request_create(
    *,
    user,
    period,
    format,
    partner=None,
    convention=None,
    rounding=None,
    budget_basis=None,
    language=None,
    quarter="",
):
    """Record a report request and queue the task that builds its file once
    the request is committed. A coordinator's request is always for their
    own partner, whatever ``partner`` says."""
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
        format=format,
        language=_supported_language(language or translation.get_language()),
    )
    request.full_clean()
    with transaction.atomic():
        request.save()
        transaction.on_commit(lambda: _enqueue(request.pk))
    return request


def _supported_language(code):
    """One of ``settings.LANGUAGES`` ("en-gb" → "en"; unknown → the default)."""
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _enqueue(report_request_id):
    from .tasks import build_report

    build_report.delay(report_request_id)


def _scope_of(request):
    return ReportScope(
        period=request.period,
        partner=request.partner,
        convention=request.convention,
        rounding=request.rounding,
        budget_basis=request.budget_basis,
    )


def _file_name(request, exporter):
    return f"report-{request.pk}-{request.period}.{exporter.extension}".replace(" – ", "_").replace(" ", "")


def report_build(*, report_request_id):
    """Build the file of a request. Safe to run twice: a request already
    built is left as it is; a rerun after a crash replaces a half-built
    attempt instead of adding a second file. The requester's rights are
    checked again, and the file is rendered in the requester's language."""
    with transaction.atomic():
        request = (
            ReportRequest.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=report_request_id)
            .first()
        )
        if request is None or request.status == ReportStatus.DONE:
            return request
        request.status = ReportStatus.RUNNING
        request.started_at = timezone.now()
        request.save(update_fields=["status", "started_at"])

    user = request.requested_by
    if not user.is_active or not may_run_report(
        user=user, partner_id=request.partner_id, convention_id=request.convention_id, format=request.format
    ):
        return _fail(request, _("You are no longer allowed to run this report."))
    try:
        exporter = get_exporter(request.format)
        with translation.override(request.language):
            scope = _scope_of(request)
            content = exporter.build(report_data(report_sources_for_user(user, scope), scope))
    except Exception:
        logger.exception("Report request %s failed", report_request_id)
        return _fail(request, _("The report could not be built. Please try again or contact support."))

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


def _fail(request, message):
    ReportRequest.objects.filter(pk=request.pk).update(
        status=ReportStatus.FAILED, error=str(message), finished_at=timezone.now()
    )
    request.refresh_from_db()
    return request


def report_files_delete_expired(*, now=None):
    """Delete the files of expired requests (the records stay, for the
    history of who asked for what). Returns how many files were deleted."""
    deleted = 0
    for request in ReportRequest.objects.expired(now).exclude(file=""):
        request.file.delete(save=False)
        ReportRequest.objects.filter(pk=request.pk).update(file="")
        deleted += 1
    return deleted
