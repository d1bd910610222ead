"""The access log: who read or exported what, when, from where.

Append-only from the application: rows are created, never changed or deleted
(``save`` of an existing row, ``delete`` and queryset ``update``/``delete``
raise). It holds no personal data of mentees or mentors beyond record ids, so
the data-protection officer can search it without seeing the records.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    MENTEE_VIEW = "mentee_view", _("Opened a mentee's page")
    MIGRATION_BACKGROUND_VIEW = "migration_background_view", _("Saw a migration background")
    HISTORY_VIEW = "history_view", _("Opened a record's history")
    PERSONAL_DATA_EXPORT = "personal_data_export", _("Exported a person's data (access request)")
    PERSON_ERASE = "person_erase", _("Erased a person's identity")
    LIST_EXPORT = "list_export", _("Exported a list")
    REPORT_DOWNLOAD = "report_download", _("Downloaded a report")
    API_LIST_READ = "api_list_read", _("Read a list through the API")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove access-log rows."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # As it was at the time: the account may be renamed or removed later.
    username = models.CharField(_("username"), max_length=150)
    role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AccessAction.choices, db_index=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    partner_id = models.BigIntegerField(_("partner id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="access_log_object"),
            models.Index(fields=["username", "-at"], name="access_log_user"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")
