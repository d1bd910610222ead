"""Reminder e-mails: each user's choice (daily, weekly, never; and the
language of the e-mails), and one row per digest, the "sent-digest record"
that makes sending idempotent per user and day (``unique`` on user and date)
and that a lost worker's digest is queued again from (``mentoring.background``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.background import BackgroundWork


class Frequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Once a week")
    NEVER = "never", _("Never")


class DigestKind(models.TextChoices):
    COORDINATOR = "coordinator", _("What needs doing in your partner's duos")
    STAFF = "staff", _("Counts per partner")


class DigestPreference(models.Model):
    """A user's reminder e-mails. Without a row: coordinators get a daily
    digest, Actiris staff and managers a weekly one (``default_frequency``),
    in the site's default language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name=_("user"),
    )
    frequency = models.CharField(_("reminder e-mails"), max_length=10, choices=Frequency.choices)
    language = models.CharField(_("language of the e-mails"), max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return f"{self.user}: {self.frequency}"


class DigestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being sent")
    SENT = "sent", _("Sent")
    EMPTY = "empty", _("Nothing to send")
    FAILED = "failed", _("Failed")


class Digest(BackgroundWork):
    """One user's digest for one day: planned (a row first), then sent by a
    Celery task (``reminders.tasks.send_digest``), or found empty. The row
    keeps what was sent (the counts per list), never the e-mail itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests", verbose_name=_("user")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=DigestKind.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    status = models.CharField(_("status"), max_length=10, choices=DigestStatus.choices, default=DigestStatus.PENDING)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "user_id"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="one_digest_per_user_and_day")]
        indexes = [models.Index(fields=["status", "queued_at"], name="digest_waiting")]

    def __str__(self):
        return f"{self.user} {self.date}"
