"""Writes of the imports app: uploading a file (a row first), previewing it,
confirming, discarding or retrying it, the run itself, and the periodic
clean-up. Keyword-only arguments; Celery work is queued with
``transaction.on_commit`` and never fails the web request when the broker
is down (``mentoring.background``)."""

from __future__ import annotations

import datetime
import logging
import pathlib
import uuid
from collections.abc import Callable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentoring.background import claim, enqueue_row, hard_time_limit, requeue_waiting
from mentoring.types import AnyUser
from programmes.models import Partner
from programmes.permissions import can_import_records, coordinator_partner_id

from .engine import import_rows
from .models import ImportRequest, ImportStatus
from .reader import FileRejected, read_spreadsheet

logger = logging.getLogger(__name__)

RUN_TASK = "imports.tasks.run_import"
PROGRESS_KEY = "imports:progress:%s"
PROGRESS_TTL_SECONDS = 3600


def may_import(*, user: AnyUser, partner_id: int | None) -> bool:
    """Whether ``user`` may import records of partner ``partner_id``: a
    coordinator for their own partner, Actiris roles for any partner they
    see. Checked at upload, at confirmation and again by the task."""
    if partner_id is None or not can_import_records(user):
        return False
    own_partner = coordinator_partner_id(user)
    if own_partner is not None:
        return partner_id == own_partner
    return Partner.objects.visible_to(user).filter(pk=partner_id).exists()


def runs_in_background(total_rows: int) -> bool:
    """Files over ``IMPORT_SYNC_MAX_ROWS`` rows are run by a Celery task."""
    return total_rows > settings.IMPORT_SYNC_MAX_ROWS


def import_request_create(
    *, user: User, partner: Partner | None, uploaded_file: UploadedFile, parsed: Any, language: str | None = None
) -> ImportRequest | None:
    """Save the upload as an ``ImportRequest`` with its file, then preview it:
    at once for a small file, by a Celery task (queued on commit) for a larger
    one. A coordinator's import is always for their own partner. ``parsed``
    is the file already read (``reader.read_spreadsheet``) by the upload
    form. Returns the request."""
    own_partner = coordinator_partner_id(user)
    if own_partner is not None:
        partner = Partner.objects.get(pk=own_partner)
    if partner is None or not may_import(user=user, partner_id=partner.pk):
        raise PermissionDenied
    request = ImportRequest(
        partner=partner,
        requested_by=user,
        file_name=pathlib.Path(uploaded_file.name or "import").name[:255],
        file_size=uploaded_file.size or 0,
        total_rows=parsed.total_rows,
        language=_supported_language(language or translation.get_language()),
    )
    # A random name on disk: the upload's own name may say whom it is about.
    suffix = pathlib.Path(uploaded_file.name or "").suffix.lower()[:6]
    uploaded_file.seek(0)
    request.file.save(f"{uuid.uuid4().hex}{suffix}", uploaded_file, save=False)
    with transaction.atomic():
        request.save()
        if runs_in_background(parsed.total_rows):
            transaction.on_commit(lambda: _enqueue(request.pk))
    if runs_in_background(parsed.total_rows):
        return request
    return import_process(import_request_id=request.pk, parsed=parsed)


def import_confirm(*, user: User, import_request: ImportRequest) -> ImportRequest | None:
    """Ask for the import of a previewed file (its uploader only): run at
    once for a small file, queued for a larger one. Anything but a preview
    without errors that changes something raises ``ValidationError``."""
    _check_owner(user, import_request)
    with transaction.atomic():
        current = ImportRequest.objects.select_for_update().get(pk=import_request.pk)
        if not current.can_confirm:
            raise ValidationError(_("This file cannot be imported: look at its preview."))
        current.status = ImportStatus.PENDING
        current.confirmed_at = timezone.now()
        _reset_queue(current)
        current.save()
        if runs_in_background(current.total_rows):
            transaction.on_commit(lambda: _enqueue(current.pk))
    if runs_in_background(current.total_rows):
        return current
    return import_process(import_request_id=current.pk)


def import_recheck(*, user: User, import_request: ImportRequest, language: str | None = None) -> ImportRequest | None:
    """Preview a previewed file again (its uploader only), in ``language``
    (the messages are written in the language of the run): after the
    records changed, or to read the messages in another language."""
    _check_owner(user, import_request)
    with transaction.atomic():
        current = ImportRequest.objects.select_for_update().get(pk=import_request.pk)
        if current.status != ImportStatus.PREVIEWED or not current.file:
            raise ValidationError(_("Only a preview whose file is still there can be checked again."))
        current.status = ImportStatus.PENDING
        current.confirmed_at = None
        current.language = _supported_language(language or current.language)
        _reset_queue(current)
        current.save()
        if runs_in_background(current.total_rows):
            transaction.on_commit(lambda: _enqueue(current.pk))
    if runs_in_background(current.total_rows):
        return current
    return import_process(import_request_id=current.pk)


def import_retry(*, user: User, import_request: ImportRequest) -> ImportRequest:
    """Send a failed preview or import to the workers again (its uploader only)."""
    _check_owner(user, import_request)
    with transaction.atomic():
        current = ImportRequest.objects.select_for_update().get(pk=import_request.pk)
        if not current.can_retry:
            raise ValidationError(_("Only a failed import whose file is still there can be tried again."))
        current.status = ImportStatus.PENDING
        current.error = ""
        _reset_queue(current)
        current.save()
        transaction.on_commit(lambda: _enqueue(current.pk))
    return current


def import_discard(*, user: User, import_request: ImportRequest) -> ImportRequest:
    """Give up a previewed or failed import: its file is deleted at once."""
    _check_owner(user, import_request)
    with transaction.atomic():
        current = ImportRequest.objects.select_for_update().get(pk=import_request.pk)
        if not current.can_discard:
            raise ValidationError(_("This import can no longer be discarded."))
        if current.file:
            current.file.delete(save=False)
        current.status = ImportStatus.DISCARDED
        current.finished_at = timezone.now()
        current.save()
    return current


def _check_owner(user: User, import_request: ImportRequest) -> None:
    if import_request.requested_by_id != user.pk or not may_import(user=user, partner_id=import_request.partner_id):
        raise PermissionDenied


def _reset_queue(request: ImportRequest) -> None:
    request.queued_at = None
    request.queue_attempts = 0
    request.task_id = ""
    request.started_at = None
    request.finished_at = None


def _supported_language(code: str | None) -> str:
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _run_task() -> Any:
    from .tasks import run_import

    return run_import


def _enqueue(import_request_id: int) -> None:
    enqueue_row(ImportRequest, import_request_id, _run_task())


# --- the run ------------------------------------------------------------------------


def progress_of(import_request_id: int) -> tuple[int, ...] | None:
    """``(done, total)`` of a run in progress, or ``None`` when unknown (it
    is kept in the cache: the run's own transaction is not visible)."""
    value = cache.get(PROGRESS_KEY % import_request_id)
    return tuple(value) if value else None


def _progress_writer(import_request_id: int) -> Callable[[int, int], None]:
    def write(done: int, total: int) -> None:
        cache.set(PROGRESS_KEY % import_request_id, (done, total), PROGRESS_TTL_SECONDS)

    return write


def import_process(*, import_request_id: int, task_id: str | None = None, parsed: Any = None) -> ImportRequest | None:
    """Preview (not confirmed) or import (confirmed) the file of a request,
    once. The request is claimed first (``mentoring.background.claim``), the
    uploader's rights are checked again, and the run speaks the uploader's
    language. An import that finds errors (the records changed since the
    preview) writes nothing and goes back to its preview with the errors.
    Returns the request as it is now."""
    request = claim(
        ImportRequest.objects.select_related("requested_by", "partner"),
        import_request_id,
        task_id=task_id,
        time_limit=hard_time_limit(RUN_TASK),
    )
    if request is None:
        return ImportRequest.objects.filter(pk=import_request_id).first()
    user = request.requested_by
    if not user.is_active or not may_import(user=user, partner_id=request.partner_id):
        return _fail(request, "forbidden")
    commit = request.is_import_stage
    progress = _progress_writer(request.pk)
    try:
        with translation.override(request.language):
            if parsed is None:
                if not request.file:
                    return _fail(request, "file_gone")
                with request.file.open("rb") as file:
                    parsed = read_spreadsheet(file)
            with transaction.atomic():
                report = import_rows(
                    partner=request.partner, parsed=parsed, commit=commit, user=user, progress=progress
                )
                result = report.as_dict()
                _finish(request, report=report, result=result, commit=commit)
    except SoftTimeLimitExceeded:
        logger.warning("Import request %s reached its time limit", import_request_id)
        return _fail(request, "too_long")
    except FileRejected as exc:
        return _fail(request, "rejected", detail=" ".join(exc.messages))
    except Exception:
        logger.exception("Import request %s failed", import_request_id)
        return _fail(request, "error")
    finally:
        cache.delete(PROGRESS_KEY % import_request_id)
    request.refresh_from_db()
    if request.status == ImportStatus.IMPORTED and request.file:
        request.file.delete(save=False)
        ImportRequest.objects.filter(pk=request.pk).update(file="")
        request.refresh_from_db()
    return request


def _finish(request: ImportRequest, *, report: Any, result: Any, commit: bool) -> None:
    """Record the run's outcome, in the transaction of the import itself: an
    import and its "imported" status are committed together."""
    now = timezone.now()
    if commit and report.committed:
        status, confirmed_at = ImportStatus.IMPORTED, request.confirmed_at
    else:
        status, confirmed_at = ImportStatus.PREVIEWED, None
    ImportRequest.objects.filter(pk=request.pk, status=ImportStatus.RUNNING).update(
        status=status, result=result, error="", finished_at=now, confirmed_at=confirmed_at
    )


def failure_reason(reason_key: str, detail: str = "") -> str:
    """What the uploader reads when their import failed, in the active language."""
    minutes = max(1, round(settings.IMPORT_RUN_TIME_LIMIT / 60))
    reasons = {
        "forbidden": _("You are no longer allowed to import records of this partner."),
        "error": _("The file could not be processed. Please try again or contact support."),
        "too_long": _(
            "The file took longer than %(minutes)s minutes to process and was stopped; nothing was written. "
            "Split it into smaller files."
        )
        % {"minutes": minutes},
        "stopped": _(
            "The processing stopped before it finished (it took too long, or the background service stopped); "
            "nothing was written. Please try again."
        ),
        "no_worker": _("No worker took up the file: the background service seems to be down. Please try again later."),
        "file_gone": _("The uploaded file is no longer there; upload it again."),
        "rejected": _("The file could not be read:"),
    }
    message = str(reasons[reason_key])
    return f"{message} {detail}".strip() if detail else message


def _fail(
    request: ImportRequest, reason_key: str, *, status: str = ImportStatus.RUNNING, detail: str = ""
) -> ImportRequest:
    """Mark ``request`` failed, if it is still ``status``, with the reason in
    the uploader's language; nothing of the run was kept."""
    with translation.override(request.language):
        message = failure_reason(reason_key, detail)
    ImportRequest.objects.filter(pk=request.pk, status=status).update(
        status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    request.refresh_from_db()
    return request


def import_requests_requeue(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queue again the requests that waited too long; fail those that can no
    longer finish. Run every minute by ``imports.tasks.requeue_waiting_imports``."""

    def fail(request: ImportRequest, reason_key: str) -> None:
        _fail(request, reason_key, status=request.status)

    return requeue_waiting(ImportRequest.objects.all(), _run_task(), now=now, fail=fail)


def import_files_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded files kept longer than ``IMPORT_FILE_TTL_HOURS``
    (previews never confirmed, failures): they hold personal data. The
    requests stay, for the history of who imported what. Returns how many
    files were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.IMPORT_FILE_TTL_HOURS)
    deleted = 0
    expired = ImportRequest.objects.filter(created_at__lte=cutoff).exclude(file="")
    for request in expired.exclude(status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]):
        request.file.delete(save=False)
        ImportRequest.objects.filter(pk=request.pk).update(file="")
        deleted += 1
    return deleted
