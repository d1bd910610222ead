"""Report requests: the service, the task (run eagerly here) and expiry."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from programmes.models import Membership
from reporting.figures import Period
from reporting.models import ReportRequest, ReportStatus
from reporting.services import report_build, report_files_delete_expired, report_request_create
from reporting.tasks import build_report, delete_expired_report_files

pytestmark = pytest.mark.django_db

Q1 = Period.quarter("2019Q1")


def files_under(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_request_is_queued_on_commit_and_built(
    hand_counted, manager_user, media_root, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = report_request_create(user=manager_user, period=Q1, format="xlsx", language="en")
    assert request.status == ReportStatus.PENDING
    assert len(callbacks) == 1  # nothing is queued before the commit
    callbacks[0]()
    request.refresh_from_db()
    assert request.status == ReportStatus.DONE
    assert request.quarter == "2019Q1"
    assert request.expires_at > timezone.now()
    workbook = load_workbook(io.BytesIO(request.file.read()))
    assert workbook.sheetnames[0] == "Summary"


def test_second_run_does_not_duplicate(hand_counted, manager_user, media_root):
    request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    build_report.apply(args=[request.pk])
    request.refresh_from_db()
    first_name, first_files = request.file.name, files_under(media_root)
    build_report.apply(args=[request.pk])
    request.refresh_from_db()
    assert request.file.name == first_name
    assert files_under(media_root) == first_files
    assert len(first_files) == 1
    assert ReportRequest.objects.count() == 1


def test_rerun_after_crash_replaces_the_half_built_attempt(hand_counted, manager_user, media_root):
    request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    report_build(report_request_id=request.pk)
    ReportRequest.objects.filter(pk=request.pk).update(status=ReportStatus.RUNNING)  # as if the worker died
    report_build(report_request_id=request.pk)
    request.refresh_from_db()
    assert request.status == ReportStatus.DONE
    assert len(files_under(media_root)) == 1


def test_coordinator_request_is_forced_to_their_partner(hand_counted, coordinator_a, partner_b, media_root):
    request = report_request_create(user=coordinator_a, period=Q1, format="csv", partner=partner_b, language="en")
    assert request.partner == coordinator_a.membership.partner


def test_staff_cannot_request(hand_counted, staff_user):
    with pytest.raises(PermissionDenied):
        report_request_create(user=staff_user, period=Q1, format="xlsx")


def test_json_is_not_offered_to_users(hand_counted, manager_user):
    with pytest.raises(PermissionDenied):
        report_request_create(user=manager_user, period=Q1, format="json")


def test_task_rechecks_rights(hand_counted, coordinator_a, partner_b, media_root):
    request = report_request_create(user=coordinator_a, period=Q1, format="csv", language="en")
    # The coordinator moved to another partner before the task ran.
    Membership.objects.filter(user=coordinator_a).update(partner=partner_b)
    report_build(report_request_id=request.pk)
    request.refresh_from_db()
    assert request.status == ReportStatus.FAILED
    assert not request.file
    assert files_under(media_root) == []


def test_task_renders_in_requesters_language(hand_counted, manager_user, media_root, monkeypatch):
    from django.utils import translation

    from reporting.exporters import EXPORTERS

    seen = []
    original = EXPORTERS["csv"].build
    monkeypatch.setattr(
        EXPORTERS["csv"], "build", lambda data: seen.append(translation.get_language()) or original(data)
    )
    request = report_request_create(user=manager_user, period=Q1, format="csv", language="nl")
    report_build(report_request_id=request.pk)
    assert seen == ["nl"]
    assert translation.get_language() == "en"


def test_expired_files_are_deleted(hand_counted, manager_user, media_root):
    request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    report_build(report_request_id=request.pk)
    assert len(files_under(media_root)) == 1
    assert report_files_delete_expired() == 0
    ReportRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert delete_expired_report_files.apply().get() == 1
    request.refresh_from_db()
    assert not request.file
    assert not request.is_downloadable
    assert files_under(media_root) == []


def test_beat_schedule_declares_the_cleanup(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reporting.tasks.delete_expired_report_files" in tasks


def test_budget_basis_reaches_the_file(hand_counted, manager_user, media_root):
    request = report_request_create(user=manager_user, period=Q1, format="xlsx", budget_basis="months", language="en")
    report_build(report_request_id=request.pk)
    request.refresh_from_db()
    notes = load_workbook(io.BytesIO(request.file.read()))["Notes"]
    text = " ".join(str(cell.value) for row in notes.iter_rows() for cell in row if cell.value)
    assert "By months (target × calendar months / 12)" in text


def test_language_defaults_to_a_supported_one(hand_counted, manager_user):
    from django.utils import translation

    with translation.override("en-gb"):
        request = report_request_create(user=manager_user, period=Q1, format="csv")
    assert request.language == "en"
    assert report_request_create(user=manager_user, period=Q1, format="csv", language="xx").language == "en"
