"""People (mentors, mentees), duos, meetings and outcomes, and the
corrections made to duos after the fact.

Writes that carry business rules go through ``duos.services``; models hold only
what the database can enforce (constraints) and small derived properties. One
rule spans two tables and is kept by triggers: no active duo has a primary
outcome (``duos.database_rules``).

The history of a duo, a meeting and an outcome (django-simple-history) keeps
the reason of a correction in ``history_change_reason`` (a text, not the
default 100 characters).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from matching.profile import MatchingProfile, MenteeMatchingProfile
from programmes.models import FundingConvention, Partner, PartnerScopedQuerySet, Programme

from . import bounds

# The partner's own reference of a mentor, a duo or a meeting: how a spreadsheet
# row (or a partner's system) names a record it sends again. Mentees are named
# by their Actiris job-seeker number instead.
REFERENCE_MAX_LENGTH = 50


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    X = "x", _("Other / not stated")


class EducationLevel(models.TextChoices):
    """Belgian levels as Actiris records them."""

    PRIMARY = "primary", _("Primary or none")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
    BACHELOR = "bachelor", _("Higher education, bachelor")
    MASTER = "master", _("Higher education, master or above")
    FOREIGN_UNRECOGNISED = "foreign", _("Foreign diploma, not recognised")


class Mentor(MatchingProfile):
    """A volunteer with professional experience to pass on (their sector: the
    one of that experience)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="mentors", verbose_name=_("partner"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    birth_date = models.DateField(_("birth date"), validators=[bounds.validate_birth_date])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_MAX_LENGTH,
        blank=True,
        help_text=_("The partner's own reference for this mentor (spreadsheet import, API); unique per partner."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnerScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        # The list's order (name, then pk), for Actiris roles and for one
        # partner: deep pages are read off an index, not sorted.
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="mentor_name_id"),
            models.Index(fields=["partner", "last_name", "first_name", "id"], name="mentor_partner_name_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "reference"],
                condition=~Q(reference=""),
                name="one_mentor_per_reference_per_partner",
                violation_error_message=_("This partner already has a mentor with this reference."),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self):
        return reverse("duos:mentor_detail", args=[self.pk])


class Mentee(MenteeMatchingProfile):
    """A job seeker registered with Actiris. Personal data under GDPR; the
    migration background is kept apart, in ``MigrationBackground``. Their
    sector is the one they look for work in."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="mentees", verbose_name=_("partner"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    jobseeker_number = models.CharField(
        _("Actiris job-seeker number"),
        max_length=20,
        validators=[bounds.validate_jobseeker_number],
        help_text=_("The number on the job seeker's Actiris registration."),
    )
    birth_date = models.DateField(_("birth date"), validators=[bounds.validate_birth_date])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    education_level = models.CharField(_("education level"), max_length=20, choices=EducationLevel.choices, blank=True)
    # Free text for the languages ``spoken_languages`` does not list.
    languages = models.CharField(
        _("other languages"), max_length=200, blank=True, help_text=_("Languages not in the list, e.g. Wolof, Tamil.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnerScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("mentee")
        verbose_name_plural = _("mentees")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "jobseeker_number"],
                name="one_mentee_per_jobseeker_number_per_partner",
                violation_error_message=_("This partner already has a mentee with this job-seeker number."),
            ),
        ]
        indexes = [
            # As the mentors': the list's order, for Actiris roles and for one partner.
            models.Index(fields=["last_name", "first_name", "id"], name="mentee_name_id"),
            models.Index(fields=["partner", "last_name", "first_name", "id"], name="mentee_partner_name_id"),
            models.Index(fields=["jobseeker_number"]),
            # The waiting list: a partner's mentees, longest waiting first.
            models.Index(fields=["partner", "registered_on"], name="mentee_partner_registered"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self):
        return reverse("duos:mentee_detail", args=[self.pk])


class MigrationBackgroundQuerySet(PartnerScopedQuerySet):
    partner_field = "mentee__partner_id"


class MigrationBackground(models.Model):
    """Special-category data (GDPR art. 9), kept in its own table so that no
    list, export or join of ``Mentee`` carries it by accident."""

    mentee = models.OneToOneField(
        Mentee, on_delete=models.CASCADE, related_name="migration_background", verbose_name=_("mentee")
    )
    has_migration_background = models.BooleanField(_("migration background"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = MigrationBackgroundQuerySet.as_manager()
    # The history says who recorded or removed it and when, never the value:
    # a value set back to "not recorded" must not stay readable there.
    history = HistoricalRecords(excluded_fields=["has_migration_background"])

    class Meta:
        verbose_name = _("migration background")
        verbose_name_plural = _("migration backgrounds")

    def __str__(self):
        return str(self.mentee)


class DuoStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    # Entered by mistake: kept in the records and the audit trail, in no figure.
    CANCELLED = "cancelled", pgettext_lazy("duo status", "Cancelled")


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", _("Completed the planned term")
    EARLY_JOB = "early_job", _("Ended early: mentee found a job or training")
    EARLY_MENTEE = "early_mentee", _("Ended early: mentee withdrew")
    EARLY_MENTOR = "early_mentor", _("Ended early: mentor withdrew")
    EARLY_LOST_CONTACT = "early_lost_contact", _("Ended early: lost contact")
    EARLY_OTHER = "early_other", _("Ended early: other reason")


class DuoQuerySet(PartnerScopedQuerySet):
    def active(self):
        return self.filter(status=DuoStatus.ACTIVE)

    def closed(self):
        return self.filter(status=DuoStatus.CLOSED)

    def not_cancelled(self):
        """Duos that count: a cancelled duo (entered by mistake) is in no figure."""
        return self.exclude(status=DuoStatus.CANCELLED)


class Duo(models.Model):
    """One mentor paired with one mentee in a programme, for a fixed term."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="duos",
        verbose_name=_("partner"),
        help_text=_("Always the programme's partner; kept on the duo for isolation and reporting."),
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="duos", verbose_name=_("programme"))
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="duos", verbose_name=_("mentor"))
    mentee = models.ForeignKey(Mentee, on_delete=models.PROTECT, related_name="duos", verbose_name=_("mentee"))
    convention = models.ForeignKey(
        FundingConvention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duos",
        verbose_name=_("funding convention"),
    )
    start_date = models.DateField(_("start date"), validators=[bounds.validate_record_date])
    planned_end_date = models.DateField(_("planned end date"), validators=[bounds.validate_record_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[bounds.validate_record_date])
    status = models.CharField(_("status"), max_length=10, choices=DuoStatus.choices, default=DuoStatus.ACTIVE)
    closure_reason = models.CharField(_("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(
        _("closure note"),
        blank=True,
        max_length=bounds.NOTE_MAX_LENGTH,
        validators=[bounds.validate_note_length],
    )
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_MAX_LENGTH,
        blank=True,
        help_text=_("The partner's own reference for this duo (spreadsheet import, API); unique per partner."),
    )
    # The date of the duo's last held meeting (None before the first), kept by
    # the database itself (duos/database_rules.py: triggers on the meetings and
    # on this column), so that every writer keeps it current and the duo list
    # sorts on an indexed column. Derived data: not in the duo's history.
    last_meeting_date = models.DateField(_("Last meeting"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DuoQuerySet.as_manager()
    history = HistoricalRecords(
        history_change_reason_field=models.TextField(null=True), excluded_fields=["last_meeting_date"]
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("duo")
        verbose_name_plural = _("duos")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="active"),
                name="one_active_duo_per_mentee",
                violation_error_message=_("This mentee already has an active duo."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__gt=models.F("start_date")),
                name="duo_planned_end_after_start",
                violation_error_message=_("The planned end must be after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="duo_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(end_date__isnull=True) & Q(closure_reason=""))
                | (Q(status="closed") & Q(end_date__isnull=False) & ~Q(closure_reason=""))
                | Q(status="cancelled"),
                name="duo_closed_iff_end_date_and_reason",
                violation_error_message=_(
                    "A closed duo has an end date and a closure reason; an active one has neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["partner", "reference"],
                condition=~Q(reference=""),
                name="one_duo_per_reference_per_partner",
                violation_error_message=_("This partner already has a duo with this reference."),
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "start_date"], name="duo_partner_start"),
            models.Index(fields=["partner", "end_date"], name="duo_partner_end"),
            models.Index(fields=["partner", "status", "start_date"], name="duo_partner_status_start"),
            models.Index(fields=["convention", "start_date"], name="duo_convention_start"),
            # A coordinator's conventions: one probe per convention, not a scan of its duos.
            models.Index(fields=["convention", "partner"], name="duo_convention_partner"),
            models.Index(fields=["programme", "start_date"], name="duo_programme_start"),
            models.Index(fields=["start_date"], name="duo_start"),
            # The duo list's order (-start_date, -pk): pages are read straight off
            # this index, without sorting the duos of one start date (issue 5).
            models.Index(fields=["start_date", "id"], name="duo_start_id"),
            models.Index(fields=["end_date"], name="duo_end"),
            # The duo list sorted by last meeting (either way, read backwards),
            # for Actiris roles and for one partner.
            models.Index(fields=["last_meeting_date", "id"], name="duo_last_meeting_id"),
            models.Index(fields=["partner", "last_meeting_date", "id"], name="duo_partner_last_meeting_id"),
        ]

    def __str__(self):
        return f"{self.mentor} & {self.mentee}"

    def get_absolute_url(self):
        return reverse("duos:duo_detail", args=[self.pk])

    def clean(self):
        # The duo, its programme and its people belong to one partner (the admin
        # edits duos directly; services check this before they get here).
        if self.pk and self.status == DuoStatus.ACTIVE and self.outcomes.filter(is_primary=True).exists():
            # Also a database rule (duos.database_rules); said here for the admin.
            raise ValidationError(
                {"status": _("An active duo has no primary outcome: remove the outcome to reopen the duo.")}
            )
        partner_id = self.programme.partner_id if self.programme_id else None
        if partner_id is not None:
            errors = {}
            if self.partner_id and self.partner_id != partner_id:
                errors["partner"] = _("The duo's partner must be the programme's partner.")
            if self.mentor_id and self.mentor.partner_id != partner_id:
                errors["mentor"] = _("This mentor belongs to another partner than the programme.")
            if self.mentee_id and self.mentee.partner_id != partner_id:
                errors["mentee"] = _("This mentee belongs to another partner than the programme.")
            if errors:
                raise ValidationError(errors)

    @property
    def is_active(self):
        return self.status == DuoStatus.ACTIVE

    @property
    def starts_later(self):
        """Recorded ahead of its start (at most ``DUO_START_MAX_DAYS_AHEAD``
        days): shown as "starts on", and in no figure before that day."""
        return self.start_date > timezone.localdate()


class MeetingPlace(models.TextChoices):
    MENTOR_WORKPLACE = "mentor_workplace", _("Mentor's workplace")
    PUBLIC_PLACE = "public_place", _("Public place (café, library...)")
    PARTNER_OFFICE = "partner_office", _("Partner's office")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    OTHER = "other", _("Other")


class MeetingStatus(models.TextChoices):
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(PartnerScopedQuerySet):
    partner_field = "duo__partner_id"

    def held(self):
        return self.filter(status=MeetingStatus.HELD)

    def for_cadence(self):
        """The held meetings the cadence counts: one per duo and day."""
        return self.filter(status=MeetingStatus.HELD, counts_for_cadence=True)


class Meeting(models.Model):
    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("duo"))
    date = models.DateField(_("date"), validators=[bounds.validate_record_date])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[bounds.validate_meeting_duration]
    )
    place = models.CharField(_("place"), max_length=30, choices=MeetingPlace.choices)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.HELD)
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=bounds.NOTE_MAX_LENGTH,
        validators=[bounds.validate_note_length],
    )
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_MAX_LENGTH,
        blank=True,
        help_text=_("The partner's own reference for this meeting (spreadsheet import, API); unique per duo."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Two held meetings of a duo on one day count once for the cadence: the
    # first one recorded (lowest id) has the flag, the others not. Kept by the
    # services (duos.services.meeting_log/update/delete); a partial unique
    # index stops a second counting meeting on a day.
    counts_for_cadence = models.BooleanField(
        _("counts for the cadence"),
        default=True,
        db_default=True,
        editable=False,
        help_text=_("A day with several held meetings counts once for the cadence."),
    )
    # The one-time token of the form that logged the meeting: a form submitted
    # twice (a double click, a resent request) stores one meeting.
    form_token = models.UUIDField(_("form token"), null=True, blank=True, unique=True, editable=False)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=bounds.MEETING_MIN_MINUTES)
                & Q(duration_minutes__lte=bounds.MEETING_MAX_MINUTES),
                name="meeting_duration_in_bounds",
                violation_error_message=_("A meeting lasts from 1 to 480 minutes (8 hours)."),
            ),
            models.UniqueConstraint(
                fields=["duo", "date"],
                condition=Q(status="held", counts_for_cadence=True),
                name="one_cadence_meeting_per_duo_day",
                violation_error_message=_("Another held meeting of this duo on this day already counts."),
            ),
            models.UniqueConstraint(
                fields=["duo", "reference"],
                condition=~Q(reference=""),
                name="one_meeting_per_reference_per_duo",
                violation_error_message=_("This duo already has a meeting with this reference."),
            ),
        ]
        indexes = [models.Index(fields=["duo", "date"], name="meeting_duo_date")]

    def __str__(self):
        return f"{self.duo} – {self.date}"


class OutcomeType(models.TextChoices):
    JOB = "job", _("Salaried job")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    FPI = "fpi", _("In-company training (FPI)")
    TRAINING = "training", _("Training")
    INTERNSHIP = "internship", _("Internship")
    STUDIES = "studies", _("Studies")
    NONE = "none", _("Still job seeking")
    UNKNOWN = "unknown", _("Lost contact")


# Outcome types counted as positive (docs/figures.md, "positive outcome rate").
POSITIVE_OUTCOME_TYPES = (
    OutcomeType.JOB,
    OutcomeType.SELF_EMPLOYMENT,
    OutcomeType.FPI,
    OutcomeType.TRAINING,
    OutcomeType.INTERNSHIP,
    OutcomeType.STUDIES,
)


class ContractType(models.TextChoices):
    CDI = "cdi", _("Permanent contract (CDI)")
    CDD = "cdd", _("Fixed-term contract (CDD)")
    INTERIM = "interim", _("Temporary agency work (interim)")
    REPLACEMENT = "replacement", _("Replacement contract")
    ARTICLE_60 = "article_60", _("Article 60 contract")
    OTHER = "other", _("Other contract")


class OutcomeSource(models.TextChoices):
    MENTEE = "mentee", _("Reported by the mentee")
    MENTOR = "mentor", _("Reported by the mentor")
    EMPLOYER = "employer", _("Reported by the employer")
    ACTIRIS = "actiris", _("Actiris records")


class OutcomeQuerySet(PartnerScopedQuerySet):
    partner_field = "duo__partner_id"


class Outcome(models.Model):
    """What became of the mentee. A closed duo has exactly one primary outcome;
    later follow-ups may add non-primary ones. Figures use the primary outcome."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("duo"))
    is_primary = models.BooleanField(_("primary outcome"), default=True)
    type = models.CharField(_("outcome"), max_length=20, choices=OutcomeType.choices)
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType.choices, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[bounds.validate_record_date])
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"),
        null=True,
        blank=True,
        validators=[bounds.validate_contract_months],
        help_text=_("Leave empty for a permanent contract."),
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=OutcomeSource.choices, default=OutcomeSource.MENTEE)
    recorded_on = models.DateField(_("date recorded"), validators=[bounds.validate_record_date])
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=bounds.NOTE_MAX_LENGTH,
        validators=[bounds.validate_note_length],
    )

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-is_primary", "-recorded_on", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["duo"],
                condition=Q(is_primary=True),
                name="one_primary_outcome_per_duo",
                violation_error_message=_("This duo already has a primary outcome."),
            ),
            models.CheckConstraint(
                condition=(Q(type="job") & ~Q(contract_type="")) | (~Q(type="job") & Q(contract_type="")),
                name="outcome_contract_type_iff_job",
                violation_error_message=_("A salaried job needs a contract type; other outcomes have none."),
            ),
            models.CheckConstraint(
                condition=Q(contract_months__isnull=True)
                | (
                    Q(contract_months__gte=bounds.CONTRACT_MIN_MONTHS)
                    & Q(contract_months__lte=bounds.CONTRACT_MAX_MONTHS)
                ),
                name="outcome_contract_months_in_bounds",
                violation_error_message=_("A contract's length is from 1 to 60 months."),
            ),
            models.CheckConstraint(
                condition=~Q(contract_type="cdi") | Q(contract_months__isnull=True),
                name="outcome_cdi_has_no_length",
                violation_error_message=_("A permanent contract (CDI) has no length: leave it empty."),
            ),
        ]
        indexes = [models.Index(fields=["duo", "is_primary"], name="outcome_duo_primary")]

    def __str__(self):
        return self.get_type_display()


class CorrectionKind(models.TextChoices):
    CLOSURE_CORRECTED = "closure_corrected", _("Closure corrected")
    REOPENED = "reopened", _("Reopened")
    CANCELLED = "cancelled", pgettext_lazy("duo correction", "Cancelled (entered by mistake)")


class DuoCorrectionQuerySet(PartnerScopedQuerySet):
    partner_field = "duo__partner_id"


class DuoCorrection(models.Model):
    """A correction of a duo once it was closed, or its cancellation, with the
    coordinator's reason (``duos.services.corrections``). The same reason is
    the ``history_change_reason`` of the duo's (and outcome's) historical rows
    that the correction wrote; this log lists the corrections of a duo, or of
    a period, without reading the history tables."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("duo"))
    kind = models.CharField(_("correction"), max_length=20, choices=CorrectionKind.choices)
    reason = models.TextField(_("reason"), max_length=bounds.CORRECTION_REASON_MAX_LENGTH)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    objects = DuoCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = _("duo correction")
        verbose_name_plural = _("duo corrections")
        indexes = [models.Index(fields=["duo", "made_at"], name="duo_correction_duo_made")]

    def __str__(self):
        return f"{self.duo} – {self.get_kind_display()}"
