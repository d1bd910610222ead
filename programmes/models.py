"""Partners, their programmes (with the programme rules as data), funding
conventions, and the roles that link user accounts to what they may see."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mentoring.bounds import validate_date_in_allowed_range

# Returned by ``programmes.permissions.partner_scope`` for roles that see every partner.
ALL_PARTNERS = object()


class PartnerScopedQuerySet(models.QuerySet):
    """A queryset of partner data. ``partner_field`` is the lookup path to the
    partner id; ``visible_to(user)`` is the only way views reach these rows."""

    partner_field = "partner_id"

    def visible_to(self, user):
        """All rows for Actiris roles, the coordinator's partner's rows for a
        coordinator, none for anyone else."""
        from programmes.permissions import partner_scope

        scope = partner_scope(user)
        if scope is ALL_PARTNERS:
            return self
        if scope is None:
            return self.none()
        return self.filter(**{self.partner_field: scope})


class PartnerQuerySet(PartnerScopedQuerySet):
    partner_field = "pk"


class Partner(models.Model):
    """An organisation that runs mentoring programmes (e.g. DUO for a JOB)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:partner_detail", args=[self.pk])


class MeetingPlaceRule(models.TextChoices):
    ANY = "any", _("Anywhere")
    MENTOR_WORKPLACE = "mentor_workplace", _("At the mentor's workplace")


class ProgrammeQuerySet(PartnerScopedQuerySet):
    pass


class Programme(models.Model):
    """A partner's mentoring scheme. Its rules are data, never constants in code:
    they differ between programmes and change over time."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"),
        validators=[MinValueValidator(1)],
        help_text=_("Planned length of a duo, in months."),
    )
    min_meetings_per_month = models.PositiveSmallIntegerField(
        _("minimum meetings per month"),
        help_text=_("Meetings held per month that a duo must reach to follow the cadence."),
    )
    meeting_place = models.CharField(
        _("meeting place"), max_length=30, choices=MeetingPlaceRule.choices, default=MeetingPlaceRule.ANY
    )
    mentee_min_age = models.PositiveSmallIntegerField(
        _("mentee minimum age"), null=True, blank=True, help_text=_("Inclusive, at the duo's start.")
    )
    mentee_max_age = models.PositiveSmallIntegerField(
        _("mentee maximum age"), null=True, blank=True, help_text=_("Inclusive, at the duo's start.")
    )
    mentor_min_age = models.PositiveSmallIntegerField(
        _("mentor minimum age"), null=True, blank=True, help_text=_("Inclusive, at the duo's start.")
    )
    migration_background_required = models.BooleanField(
        _("migration background required"),
        default=False,
        help_text=_("Mentees must have a recorded migration background."),
    )
    completion_tolerance_days = models.PositiveSmallIntegerField(
        _("completion tolerance (days)"),
        default=14,
        help_text=_(
            "A duo counts as having completed its planned term when it closes within this many days of its planned end."
        ),
    )
    max_active_duos_per_mentor = models.PositiveSmallIntegerField(
        _("active duos per mentor"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many duos a mentor may run at the same time."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner__name", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(duration_months__gte=1), name="programme_duration_positive"),
            models.CheckConstraint(
                condition=Q(mentee_min_age__isnull=True)
                | Q(mentee_max_age__isnull=True)
                | Q(mentee_min_age__lte=models.F("mentee_max_age")),
                name="programme_mentee_age_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(max_active_duos_per_mentor__gte=1),
                name="programme_mentor_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", args=[self.pk])


class FundingConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Conventions are visible to Actiris roles, and to a coordinator when
        their partner has a share in them or duos under them."""
        from programmes.permissions import partner_scope

        scope = partner_scope(user)
        if scope is ALL_PARTNERS:
            return self
        if scope is None:
            return self.none()
        # EXISTS, not a join: joining every duo of the convention (tens of
        # thousands) and de-duplicating made a coordinator's pages slower than
        # staff's for the same rows.
        # Duos through the reverse relation: programmes imports no app built on it.
        duos = self.model._meta.get_field("duos").related_model.objects
        return self.filter(
            Exists(ConventionShare.objects.filter(convention=OuterRef("pk"), partner_id=scope))
            | Exists(duos.filter(convention=OuterRef("pk"), partner_id=scope))
        )


class FundingConvention(models.Model):
    """A funder's commitment: an amount for a period and a target number of duos a year."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    funder = models.CharField(_("funder"), max_length=200, default="Actiris")
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    period_start = models.DateField(_("period start"), validators=[validate_date_in_allowed_range])
    period_end = models.DateField(
        _("period end"), help_text=_("Inclusive."), validators=[validate_date_in_allowed_range]
    )
    target_duos_per_year = models.PositiveIntegerField(_("target duos per year"), validators=[MinValueValidator(1)])
    notes = models.TextField(_("notes"), blank=True)

    objects = FundingConventionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("funding convention")
        verbose_name_plural = _("funding conventions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="convention_amount_positive"),
            models.CheckConstraint(condition=Q(target_duos_per_year__gt=0), name="convention_target_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="convention_period_end_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:convention_detail", args=[self.pk])

    @property
    def period_days(self):
        """Days in the period, both ends included."""
        return (self.period_end - self.period_start).days + 1


class ConventionShare(models.Model):
    """Optional split of a convention between partners."""

    convention = models.ForeignKey(
        FundingConvention, on_delete=models.CASCADE, related_name="shares", verbose_name=_("convention")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="convention_shares", verbose_name=_("partner")
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    target_duos_per_year = models.PositiveIntegerField(_("target duos per year"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["convention", "partner__name"]
        verbose_name = _("convention share")
        verbose_name_plural = _("convention shares")
        constraints = [
            models.UniqueConstraint(fields=["convention", "partner"], name="one_share_per_partner"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="share_amount_positive"),
            models.CheckConstraint(
                condition=Q(target_duos_per_year__isnull=True) | Q(target_duos_per_year__gt=0),
                name="share_target_positive",
            ),
        ]

    def __str__(self):
        return f"{self.convention} / {self.partner}"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Partner coordinator")
    STAFF = "staff", _("Actiris staff")
    MANAGER = "manager", _("Actiris manager")
    DPO = "dpo", _("Data-protection officer")


class Membership(models.Model):
    """What a user account is in this application: its role and, for a
    coordinator, the one partner whose records it works on. Administrators are
    Django superusers and need no membership."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("partner"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="coordinator") & Q(partner__isnull=False))
                | (Q(role__in=["staff", "manager", "dpo"]) & Q(partner__isnull=True)),
                name="membership_partner_iff_coordinator",
                violation_error_message=_(
                    "A coordinator belongs to exactly one partner; Actiris staff, managers and the "
                    "data-protection officer to none."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
