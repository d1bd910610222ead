"""Quarterly report requests (who asked for what, and the file built for
them) and ``MeetingMonth``, the held meetings of each duo per calendar month
that the cadence figure reads."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.background import BackgroundWork
from programmes.models import FundingConvention, Partner

from .figures import BudgetBasis, FigureView, Period, Rounding


def report_format_choices():
    """The formats a report request may name: the exporter registry's
    (``reporting.exporters``, imported here when asked: the exporters read
    these models)."""
    from .exporters import requestable_format_choices

    return requestable_format_choices()


def default_report_format():
    from .exporters import DEFAULT_FORMAT

    return DEFAULT_FORMAT


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The requests ``user`` may see: a manager every one; anyone else with
        a role the ones they requested (a coordinator only those for their
        current partner); a user without a role none, as in the workspace."""
        from programmes.models import ALL_PARTNERS
        from programmes.permissions import is_manager, partner_scope

        scope = partner_scope(user)
        if scope is None:
            return self.none()
        if is_manager(user):
            return self
        own = self.filter(requested_by=user)
        return own if scope is ALL_PARTNERS else own.filter(partner_id=scope)

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class ReportRequest(BackgroundWork):
    """A request for a report file: a row first, then a Celery task builds
    the file (``reporting.tasks.build_report``; see ``mentoring.background``
    for how a request survives a broker outage or a lost worker). The file
    expires after ``REPORT_FILE_TTL_HOURS`` and is then deleted by a periodic
    task."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_requests",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"), help_text=_("Inclusive."))
    quarter = models.CharField(_("quarter"), max_length=6, blank=True, help_text=_("For example 2019Q2."))
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("partner"),
        help_text=_("Empty: every partner and the total."),
    )
    convention = models.ForeignKey(
        FundingConvention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("funding convention"),
    )
    view = models.CharField(_("view"), max_length=10, choices=FigureView.choices, default=FigureView.CLOSED)
    as_of = models.DateField(
        _("outcomes as of"), null=True, blank=True, help_text=_("Cohort view: outcomes as recorded on this day.")
    )
    funder = models.CharField(
        _("funder"), max_length=200, blank=True, help_text=_("Whose money the budget figures count; * for all funders.")
    )
    rounding = models.CharField(_("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.HALF_UP)
    budget_basis = models.CharField(
        _("planned budget basis"), max_length=10, choices=BudgetBasis.choices, default=BudgetBasis.DAYS
    )
    format = models.CharField(_("format"), max_length=10, choices=report_format_choices, default=default_report_format)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")), name="report_request_period_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="report_request_owner"),
            models.Index(fields=["expires_at"], name="report_request_expiry"),
        ]

    def __str__(self):
        return f"{self.period} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def period(self):
        return Period(self.date_from, self.date_to)

    @property
    def is_finished(self):
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def is_downloadable(self):
        return self.status == ReportStatus.DONE and bool(self.file) and not self.is_expired

    @property
    def can_retry(self):
        """A failed request can be sent to the workers again (from its page)."""
        return self.status == ReportStatus.FAILED

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()


class MeetingMonth(models.Model):
    """Held meetings of one duo in one calendar month: what the meeting
    cadence figure counts. The database keeps it current with triggers on the
    meetings table (``reporting.meeting_months``), whoever writes the meetings: the
    services, the admin, an import or ``COPY``. Never written by the
    application's Python; the one exception is the scale-data bulk load
    (``duos.scale_data.bulk_load``), which turns the triggers off and writes the
    rows by the same rule (its tests compare them with the triggers')."""

    # No foreign-key constraint: the triggers remove a duo's rows when its
    # meetings are deleted, in whatever order the duo and its meetings go.
    duo = models.ForeignKey(
        "duos.Duo",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the unique (duo, month) index serves lookups by duo
        related_name="meeting_months",
        verbose_name=_("duo"),
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    month_end = models.DateField(_("end of month"), help_text=_("Last day of the month."))
    held_meetings = models.PositiveIntegerField(_("held meetings"))

    class Meta:
        verbose_name = _("held meetings in a month")
        verbose_name_plural = _("held meetings by month")
        constraints = [models.UniqueConstraint(fields=["duo", "month"], name="one_meeting_month_per_duo")]
        indexes = [models.Index(fields=["month", "duo"], name="meeting_month_month")]

    def __str__(self):
        return f"{self.duo_id} {self.month:%Y-%m}: {self.held_meetings}"


from .published import (  # noqa: E402  (the published quarters' models live in their own module)
    PublicationIsPermanent,
    PublicationStatus,
    PublishedFigure,
    PublishedFile,
    PublishedReport,
    ScopeKind,
)

__all__ = [
    "MeetingMonth",
    "PublicationIsPermanent",
    "PublicationStatus",
    "PublishedFigure",
    "PublishedFile",
    "PublishedReport",
    "ReportRequest",
    "ReportStatus",
    "ScopeKind",
]
