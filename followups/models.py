"""What became of a mentee months after their duo closed.

A programme lists the follow-ups it asks for (``FollowUpOffset``: 3, 6 and 12
months after closure unless the programme says otherwise). Nothing is written
when a duo closes: the follow-ups of a closed duo are *derived* from its
closure date and its programme's offsets (``followups.selectors``), so that a
corrected closure date, a reopened or a cancelled duo need no bookkeeping. A
``FollowUp`` row is written when a coordinator records one. It never changes
the duo's closure outcome (``duos.Outcome``), which the closure figures count.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duos.models import ContractType, Duo, OutcomeSource, OutcomeType
from programmes.models import PartnerScopedQuerySet, Programme

# Offsets are programme data; these are what a new programme starts with.
DEFAULT_FOLLOW_UP_MONTHS = (3, 6, 12)
MAX_FOLLOW_UP_MONTHS = 60

# Situations that count as employed in the follow-up figures (docs/figures.md:
# "a salaried job or self-employment").
EMPLOYED_SITUATIONS = (OutcomeType.JOB, OutcomeType.SELF_EMPLOYMENT)
# "Lost contact": the situation is not known.
UNKNOWN_SITUATION = OutcomeType.UNKNOWN


class FollowUpOffsetQuerySet(PartnerScopedQuerySet):
    partner_field = "programme__partner_id"


class FollowUpOffset(models.Model):
    """A programme rule: ask what became of the mentee ``months`` after closure."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="follow_up_offsets", verbose_name=_("programme")
    )
    months = models.PositiveSmallIntegerField(
        _("months after closure"), validators=[MinValueValidator(1), MaxValueValidator(MAX_FOLLOW_UP_MONTHS)]
    )

    objects = FollowUpOffsetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["months"]
        verbose_name = _("follow-up offset")
        verbose_name_plural = _("follow-up offsets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "months"], name="one_follow_up_offset_per_month"),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=MAX_FOLLOW_UP_MONTHS), name="follow_up_offset_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.months}"


class FollowUpQuerySet(PartnerScopedQuerySet):
    partner_field = "duo__partner_id"


class FollowUp(models.Model):
    """The mentee's situation ``offset_months`` after the duo closed, as
    recorded by the coordinator. One per duo and offset."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("duo"))
    offset_months = models.PositiveSmallIntegerField(
        _("follow-up"), validators=[MinValueValidator(1), MaxValueValidator(MAX_FOLLOW_UP_MONTHS)]
    )
    date = models.DateField(_("date of the follow-up"), help_text=_("When the situation was asked."))
    situation = models.CharField(_("situation"), max_length=20, choices=OutcomeType.choices)
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType.choices, blank=True)
    same_job = models.BooleanField(
        _("same job as at closure"), null=True, blank=True, help_text=_("Empty when it does not apply or is not known.")
    )
    source = models.CharField(_("source"), max_length=20, choices=OutcomeSource.choices, default=OutcomeSource.MENTEE)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["duo", "offset_months"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["duo", "offset_months"],
                name="one_follow_up_per_duo_and_offset",
                violation_error_message=_("This follow-up is already recorded."),
            ),
            models.CheckConstraint(
                condition=(Q(situation="job") & ~Q(contract_type="")) | (~Q(situation="job") & Q(contract_type="")),
                name="follow_up_contract_type_iff_job",
                violation_error_message=_("A salaried job needs a contract type; other situations have none."),
            ),
            models.CheckConstraint(
                condition=Q(same_job__isnull=True) | Q(situation__in=["job", "self_employment"]),
                name="follow_up_same_job_only_when_employed",
                violation_error_message=_("“Same job” only applies to a job or self-employment."),
            ),
        ]
        indexes = [models.Index(fields=["offset_months", "situation"], name="follow_up_offset_situation")]

    def __str__(self):
        return f"{self.duo} +{self.offset_months}"

    def get_absolute_url(self):
        return reverse("duos:duo_detail", args=[self.duo_id]) + "#follow-ups"

    @property
    def is_employed(self):
        return self.situation in EMPLOYED_SITUATIONS
