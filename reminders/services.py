"""Writes of the reminders: a user's preference, planning the day's digests
(one row per user and day: the second run of a day plans nothing), and
sending one digest. Keyword-only arguments; Celery work is queued with
``transaction.on_commit`` and never fails when the broker is down
(``mentoring.background``)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentoring.background import claim, enqueue_row, hard_time_limit, requeue_waiting

from .digests import digest_content, digest_kind_of, digest_message
from .models import Digest, DigestPreference, DigestStatus, Frequency

logger = logging.getLogger(__name__)

SEND_TASK = "reminders.tasks.send_digest"


def _enqueue_all(digest_ids: list[int]) -> None:
    for digest_id in digest_ids:
        _enqueue(digest_id)


def default_frequency(kind: str | None) -> str:
    """Coordinators get a daily digest, Actiris roles a weekly one, unless they choose."""
    frequencies: dict[str | None, str] = {"coordinator": Frequency.DAILY, "staff": Frequency.WEEKLY}
    return frequencies.get(kind, Frequency.NEVER)


def preference_of(user: User) -> tuple[str, str]:
    """``(frequency, language)`` of ``user``: their choice, else the defaults."""
    preference = DigestPreference.objects.filter(user=user).first()
    if preference is not None:
        return preference.frequency, preference.language
    return default_frequency(digest_kind_of(user)), settings.LANGUAGE_CODE


def digest_preference_set(*, user: User, frequency: str, language: str) -> DigestPreference:
    """Record ``user``'s choice: ``frequency`` (``Frequency``) and the
    ``language`` of the e-mails (one of ``LANGUAGES``)."""
    errors = {}
    if frequency not in Frequency.values:
        errors["frequency"] = [_("Choose how often you want the reminder e-mails.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the languages offered.")]
    if errors:
        raise ValidationError(errors)
    preference, _created = DigestPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency, "language": language}
    )
    return preference


def is_digest_day(frequency: str, day: datetime.date) -> bool:
    """Daily: every day; weekly: on ``REMINDER_WEEKLY_DAY`` (1 = Monday ... 7 = Sunday)."""
    if frequency == Frequency.DAILY:
        return True
    return frequency == Frequency.WEEKLY and day.isoweekday() == settings.REMINDER_WEEKLY_DAY


def recipients(day: datetime.date) -> list[tuple[Any, str, str, str]]:
    """``[(user, kind, frequency, language)]``: the active users with a role and
    an e-mail address whose choice sends them a digest on ``day``."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .select_related("membership", "digest_preference")
        .order_by("pk")
    )
    found = []
    for user in users:
        kind = digest_kind_of(user)
        if kind is None:
            continue
        preference = getattr(user, "digest_preference", None)
        frequency = preference.frequency if preference else default_frequency(kind)
        language = preference.language if preference else settings.LANGUAGE_CODE
        if is_digest_day(frequency, day):
            found.append((user, kind, frequency, language))
    return found


def digests_plan(*, day: datetime.date, enqueue: bool = True) -> list[Digest]:
    """Create the digests of ``day`` (a ``date``) that do not exist yet, one
    per recipient, and queue them after the commit. Idempotent: a user has one
    digest a day (a unique constraint), so a second run plans nothing and
    nothing is sent twice. Returns the digests created."""
    created = []
    with transaction.atomic():
        existing = set(Digest.objects.filter(date=day).values_list("user_id", flat=True))
        for user, kind, frequency, _language in recipients(day):
            if user.pk in existing:
                continue
            digest, new = Digest.objects.get_or_create(
                user=user, date=day, defaults={"kind": kind, "frequency": frequency}
            )
            if new:
                created.append(digest)
        if enqueue:
            ids = [digest.pk for digest in created]
            transaction.on_commit(lambda: _enqueue_all(ids))
    return created


def digests_plan_if_time(*, now: datetime.datetime | None = None) -> list[Digest]:
    """What the periodic task runs (every 15 minutes): plan today's digests
    once the local time has reached ``REMINDER_DIGEST_HOUR``."""
    now = timezone.localtime(now)
    if now.hour < settings.REMINDER_DIGEST_HOUR:
        return []
    return digests_plan(day=now.date())


def _send_task() -> Any:
    from .tasks import send_digest

    return send_digest


def _enqueue(digest_id: int) -> None:
    enqueue_row(Digest, digest_id, _send_task())


def digest_send(*, digest_id: int, task_id: str | None = None, connection: Any = None) -> Digest | None:
    """Send digest ``digest_id`` once: claimed first (a duplicate message is
    dropped), its content computed for its day, nothing sent when there is
    nothing to do (status "empty"). A failure to send leaves it waiting, to be
    queued again by ``digests_requeue``. Returns the digest, or ``None`` when
    there was nothing to do with it."""
    digest = claim(
        Digest.objects.select_related("user"), digest_id, task_id=task_id, time_limit=hard_time_limit(SEND_TASK)
    )
    if digest is None:
        return None
    user = digest.user
    kind = digest_kind_of(user)
    frequency, language = preference_of(user)
    if kind is None or not user.is_active or not user.email or not is_digest_day(frequency, digest.date):
        return _finish(digest, DigestStatus.EMPTY, {})  # no longer a recipient: nothing to send
    content = digest_content(user, kind=kind, day=digest.date)
    if not content.has_something:
        return _finish(digest, DigestStatus.EMPTY, content.counts)
    with translation.override(language):
        message = digest_message(user, content, connection=connection)
    try:
        message.send()
    except Exception as exc:  # SMTP down, refused...: wait for the requeue
        logger.warning("Digest %s could not be sent: %s", digest_id, exc)
        Digest.objects.filter(pk=digest.pk, status=DigestStatus.RUNNING).update(
            status=DigestStatus.PENDING, error=str(exc)[:500], queued_at=timezone.now()
        )
        return None
    return _finish(digest, DigestStatus.SENT, content.counts)


def _finish(digest: Digest, status: str, counts: dict[str, int]) -> Digest:
    now = timezone.now()
    Digest.objects.filter(pk=digest.pk).update(
        status=status, counts=counts, error="", sent_at=now if status == DigestStatus.SENT else None
    )
    digest.refresh_from_db()
    return digest


def digests_requeue(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queue again the digests that waited too long; fail those that cannot
    finish any more. Run every minute by ``reminders.tasks.requeue_waiting_digests``."""

    def fail(digest: Digest, reason_key: str) -> None:
        Digest.objects.filter(pk=digest.pk, status=digest.status).update(status=DigestStatus.FAILED, error=reason_key)

    return requeue_waiting(Digest.objects.all(), _send_task(), now=now, fail=fail)
