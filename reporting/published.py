"""Published quarters: a quarter's report as it was sent to the funder, kept
forever (models; ``reporting.publishing`` writes them, ``reporting.restatements``
compares them with today's figures).

A ``PublishedReport`` stores, at the moment a manager publishes a finished
quarter, every figure of the report per scope (the total, each partner, what
belongs to no single partner, each funding convention and each funder's
subtotal) with its numerator, denominator, value and the version of its
definition (``PublishedFigure``), the files as bytes with their SHA-256
(``PublishedFile``: the download is the same file, byte for byte, whatever
changed since), and the duos its figures were computed over (so that a later
correction of one of them is found even when it moves the duo out of the
quarter).

Nothing of it is ever deleted or changed: ``delete`` (of a row or a queryset)
raises ``PublicationIsPermanent``, figures and files cannot be saved again,
and foreign keys to partners, conventions and the report itself are
``PROTECT``. The only change a publication undergoes is being superseded when
the same quarter is published again (``status``, ``superseded_by``,
``superseded_at``); both stay listed.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.models import FundingConvention, Partner

from .figures import BudgetBasis, Period, Rounding

# The only fields of a publication that may change after it is written.
SUPERSEDING_FIELDS = frozenset({"status", "superseded_by", "superseded_at"})


class PublicationIsPermanent(Exception):
    """Raised on any attempt to delete a publication, or to change what it published."""


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class ScopeKind(models.TextChoices):
    TOTAL = "total", _("All partners")
    PARTNER = "partner", _("Partner")
    NOT_SPLIT = "not_split", _("Not split between partners")
    CONVENTION = "convention", _("Funding convention")
    FUNDER = "funder", _("Funder")


class PermanentQuerySet(models.QuerySet):
    """Rows that are never deleted; only the superseding fields are updated."""

    def delete(self):
        raise PublicationIsPermanent("A published report is kept forever.")

    def update(self, **kwargs):
        if not set(kwargs) <= SUPERSEDING_FIELDS:
            raise PublicationIsPermanent("What a report published cannot be changed.")
        return super().update(**kwargs)


class PermanentModel(models.Model):
    class Meta:
        abstract = True

    # Fields that may still change once the row is written (none by default).
    mutable_fields = frozenset()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.mutable_fields:
                raise PublicationIsPermanent("What a report published cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PublicationIsPermanent("A published report is kept forever.")


class PublishedReport(PermanentModel):
    """One publication of one quarter (closed-in-the-period view, every
    partner, the default funder). Publishing the quarter again supersedes it."""

    mutable_fields = SUPERSEDING_FIELDS

    quarter = models.CharField(_("quarter"), max_length=6, help_text=_("For example 2019Q2."))
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # As it was at the time: the account may be renamed or removed later.
    published_by_name = models.CharField(_("published by"), max_length=150)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    rounding = models.CharField(_("rounding"), max_length=10, choices=Rounding.choices)
    budget_basis = models.CharField(_("planned budget basis"), max_length=10, choices=BudgetBasis.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    duos = models.ManyToManyField(
        "duos.Duo", related_name="+", blank=True, verbose_name=_("duos counted"), db_table="reporting_published_duo"
    )

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["-date_from", "-published_at", "-pk"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(
                fields=["quarter"],
                condition=models.Q(status="published"),
                name="one_current_publication_per_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")), name="published_report_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.quarter} ({self.get_status_display()}, {self.published_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("reporting:published_detail", args=[self.pk])

    @property
    def period(self):
        return Period(self.date_from, self.date_to)

    @property
    def is_current(self):
        return self.status == PublicationStatus.PUBLISHED


class PublishedFigure(PermanentModel):
    """One figure of one scope as published: numerator, denominator, value
    (empty when there was no denominator) and its definition's version."""

    report = models.ForeignKey(
        PublishedReport, on_delete=models.PROTECT, related_name="figures", verbose_name=_("published report")
    )
    # "total", "partner:<id>", "not_split", "convention:<id>", "funder:<name>": one key per scope.
    scope = models.CharField(_("scope"), max_length=240)
    kind = models.CharField(_("scope kind"), max_length=12, choices=ScopeKind.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("partner")
    )
    convention = models.ForeignKey(
        FundingConvention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funding convention"),
    )
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    key = models.CharField(_("figure"), max_length=80)
    unit = models.CharField(_("unit"), max_length=10)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    version = models.CharField(_("definition version"), max_length=40)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        constraints = [
            models.UniqueConstraint(fields=["report", "scope", "key"], name="one_published_figure_per_scope"),
        ]

    def __str__(self):
        return f"{self.report.quarter} {self.scope} {self.key}"


class PublishedFile(PermanentModel):
    """A file of a publication, as bytes in the database with their SHA-256
    (report files on disk expire; a published one never does)."""

    report = models.ForeignKey(
        PublishedReport, on_delete=models.PROTECT, related_name="files", verbose_name=_("published report")
    )
    format = models.CharField(_("format"), max_length=10)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("published file")
        verbose_name_plural = _("published files")
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="one_published_file_per_format")]

    def __str__(self):
        return self.name
