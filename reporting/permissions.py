"""Who may have which report: the one place the reporting app decides it.

Rows come from ``ReportRequest.objects.visible_to(user)`` (a request the user
may not see is a 404, as anywhere in the workspace); the file, and a new run,
from ``can_download_report``, which asks ``may_run_report`` again because a
role, a partner or an exporter's roles may have changed since the request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentoring.types import AnyUser
from programmes.models import FundingConvention, Partner
from programmes.permissions import can_request_reports, coordinator_partner_id, is_manager

from .exporters import get_exporter

if TYPE_CHECKING:
    from .models import ReportRequest


def may_run_report(*, user: AnyUser, partner_id: int | None, convention_id: int | None = None, format: str) -> bool:
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


def can_download_report(user: AnyUser, report_request: ReportRequest) -> bool:
    """Whether ``user`` may have ``report_request``'s file: a manager any
    report; anyone else a report they requested, if they may still run it
    (a coordinator only for their own partner). ``report_request`` is one
    ``visible_to(user)`` returned."""
    if is_manager(user):
        return True
    return report_request.requested_by_id == user.pk and may_run_report(
        user=user,
        partner_id=report_request.partner_id,
        convention_id=report_request.convention_id,
        format=report_request.format,
    )
