"""Import requests: an uploaded spreadsheet, its preview, and its import.

A request is a row first (``mentoring.background``): the upload is saved with
its file, then previewed (within the web request for a small file, by a Celery
task for a larger one); confirming it sends it back to the workers, which
import it, all or nothing. The file holds personal data: it is deleted once
imported or discarded, and at the latest ``IMPORT_FILE_TTL_HOURS`` after the
upload.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentoring.background import BackgroundWork
from programmes.models import Partner, PartnerScopedQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    PREVIEWED = "previewed", _("Preview ready")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class ImportRequestQuerySet(PartnerScopedQuerySet):
    pass


class ImportRequest(BackgroundWork):
    """One uploaded file for one partner, from its preview to its import."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="import_requests", verbose_name=_("partner")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_requests",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, help_text=_("Set when the import was asked for, after the preview.")
    )
    # The last run's findings (imports.engine.report.Report.as_dict): rows to
    # create, to update, unchanged, and every error with sheet, row and column.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import request")
        verbose_name_plural = _("import requests")
        indexes = [models.Index(fields=["partner", "-created_at"], name="import_request_partner")]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("imports:import_detail", args=[self.pk])

    @property
    def is_working(self):
        return self.status in (ImportStatus.PENDING, ImportStatus.RUNNING)

    @property
    def is_import_stage(self):
        """Confirmed: the run imports (else it previews)."""
        return self.confirmed_at is not None

    @property
    def errors(self):
        return self.result.get("errors", [])

    @property
    def totals(self):
        return self.result.get("totals", {})

    @property
    def has_changes(self):
        totals = self.totals
        return bool(totals.get("create") or totals.get("update"))

    @property
    def can_confirm(self):
        """A preview without errors that creates or updates something, whose
        file is still there."""
        return self.status == ImportStatus.PREVIEWED and not self.errors and self.has_changes and bool(self.file)

    @property
    def can_discard(self):
        return self.status in (ImportStatus.PREVIEWED, ImportStatus.FAILED) and bool(self.file)

    @property
    def can_retry(self):
        return self.status == ImportStatus.FAILED and bool(self.file)
