"""The import template: one sheet per kind of record, its columns, and the
rule written under each header.

A sheet is found in a workbook by its name, and a CSV file (one sheet) by its
headers; names and headers are recognised in French, Dutch and English,
whatever the case and accents, so a Dutch template filled in by a French
speaker imports as well. Rows are matched to what is recorded: mentees by
their Actiris job-seeker number, mentors and duos by the partner's own
reference, meetings by the duo's reference and their own, outcomes by the
duo's reference.

The rules are what the services check (``duos.services``, ``duos.bounds``),
said once more for the person filling the sheet; the services remain the
judge.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from duos import bounds
from duos.models import (
    REFERENCE_MAX_LENGTH,
    ClosureReason,
    ContractType,
    EducationLevel,
    Gender,
    MeetingPlace,
    MeetingStatus,
    OutcomeSource,
    OutcomeType,
)

from .cells import ChoiceCell, DateCell, TextCell, WholeNumberCell, YesNoCell, labels_in_every_language, normalise

MENTORS, MENTEES, DUOS, MEETINGS, OUTCOMES = "mentors", "mentees", "duos", "meetings", "outcomes"
FOLLOW_UPS = "follow_ups"


@dataclass(frozen=True)
class Column:
    """One column: ``key`` (the service's argument or model field), its
    header ``label`` (lazy), its ``cell`` reader, whether it is ``required``
    (the header must be there and the cell filled) and its ``rule``: a
    function of the context (``partner`` may be ``None``) returning the text
    written under the header."""

    key: str
    label: object
    cell: object
    rule: object
    required: bool = False

    def rule_text(self, partner=None):
        return str(self.rule(partner))


@dataclass(frozen=True)
class Sheet:
    kind: str
    title: object  # lazy: the sheet's name in the template
    columns: tuple
    # Keys that name a row's record (duplicates inside the file are errors).
    key: tuple

    def column(self, key):
        return next(column for column in self.columns if column.key == key)

    @property
    def required_keys(self):
        return [column.key for column in self.columns if column.required]

    def ignored_labels(self):
        """Headers of the list export of the same records that are no column
        here (what the list shows besides: a name, a status, a count): an
        exported file, corrected, imports as it is."""
        from duos.exports import EXPORT_COLUMNS

        keys = {column.key for column in self.columns}
        return [column.label for column in EXPORT_COLUMNS.get(self.kind, ()) if column.key not in keys]

    def header_lookup(self):
        """``{normalised header: column key}`` in every language; the export's
        extra headers map to ``None`` (read and ignored)."""
        lookup = {}
        for label in self.ignored_labels():
            for text in labels_in_every_language(label):
                lookup[normalise(text)] = None
        for column in self.columns:
            lookup[normalise(column.key)] = column.key
            for text in labels_in_every_language(column.label):
                lookup[normalise(text)] = column.key
        return lookup

    def names(self):
        """The sheet's name in every language, normalised, with its kind."""
        return {normalise(text) for text in labels_in_every_language(self.title)} | {self.kind}


# --- rules -----------------------------------------------------------------------------


def _required(text):
    return _("Required.") + " " + str(text)


def _optional(text):
    return _("Optional.") + " " + str(text)


def _one_of(cell):
    return _("One of: %(choices)s.") % {"choices": cell.allowed()}


def _date_rule():
    return _("A date written 31/12/2019 (day/month/year) or 2019-12-31.")


def _text_rule(max_length):
    return _("Up to %(max)s characters.") % {"max": number_format(max_length, force_grouping=True)}


def _mentor_reference_rule(partner):
    return _required(
        _(
            "Your own reference for this mentor, up to %(max)s characters, unique among your mentors. "
            "A row whose reference is already in the app updates that mentor."
        )
        % {"max": REFERENCE_MAX_LENGTH}
    )


def _duo_reference_rule(partner):
    return _required(
        _(
            "Your own reference for this duo, up to %(max)s characters, unique among your duos. "
            "A row whose reference is already in the app updates that duo."
        )
        % {"max": REFERENCE_MAX_LENGTH}
    )


def _birth_date_rule(partner):
    return _required(
        _date_rule()
        + " "
        + _("Mentors and mentees are %(min)s to %(max)s years old when their duo starts.")
        % {"min": bounds.MIN_AGE, "max": bounds.MAX_AGE}
    )


def _jobseeker_rule(partner):
    _pattern, description = bounds.jobseeker_number_format()
    return _required(
        _(
            "The Actiris job-seeker number: %(format)s. Format the column as text to keep leading zeros. "
            "A row whose number is already in the app updates that mentee."
        )
        % {"format": description}
    )


def _programme_rule(partner):
    text = _("The name or short name of one of your programmes.")
    if partner is not None:
        names = [programme.name for programme in partner.programmes.filter(is_active=True).order_by("name")]
        if names:
            text += " " + _("One of: %(choices)s.") % {"choices": "; ".join(names)}
    return _required(text)


def _start_rule(partner):
    days = bounds.duo_start_max_days_ahead()
    return _required(
        _date_rule()
        + " "
        + ngettext(
            "At most %(days)d day ahead.",
            "At most %(days)d days ahead.",
            days,
        )
        % {"days": days}
    )


GENDER = ChoiceCell(Gender.choices)
EDUCATION = ChoiceCell(EducationLevel.choices)
PLACE = ChoiceCell(MeetingPlace.choices)
MEETING_STATUS = ChoiceCell(MeetingStatus.choices)
CLOSURE_REASON = ChoiceCell(ClosureReason.choices)
OUTCOME_TYPE = ChoiceCell(OutcomeType.choices)
CONTRACT_TYPE = ChoiceCell(ContractType.choices)
SOURCE = ChoiceCell(OutcomeSource.choices)
YES_NO = YesNoCell()
DATE = DateCell()


def _text(key, label, max_length, *, required=False, email=False, rule=None):
    def default_rule(partner):
        text = _("An e-mail address.") if email else _text_rule(max_length)
        return _required(text) if required else _optional(text)

    return Column(key, label, TextCell(max_length, email=email), rule or default_rule, required)


def _first_name():
    return _text("first_name", gettext_lazy("First name"), 100, required=True)


def _last_name():
    return _text("last_name", gettext_lazy("Last name"), 100, required=True)


def _contact_columns():
    return (
        _text("email", gettext_lazy("Email"), 254, email=True),
        _text("phone", gettext_lazy("Phone"), 40),
    )


def _duo_reference():
    return _text(
        "duo_reference",
        gettext_lazy("Duo reference"),
        REFERENCE_MAX_LENGTH,
        required=True,
        rule=lambda partner: _required(_("The duo's reference, from the Duos sheet or already in the app.")),
    )


MENTOR_SHEET = Sheet(
    kind=MENTORS,
    title=gettext_lazy("Mentors"),
    key=("reference",),
    columns=(
        _text(
            "reference",
            gettext_lazy("Reference"),
            REFERENCE_MAX_LENGTH,
            required=True,
            rule=_mentor_reference_rule,
        ),
        _first_name(),
        _last_name(),
        Column("birth_date", gettext_lazy("Birth date"), DATE, _birth_date_rule, required=True),
        Column("gender", gettext_lazy("Gender"), GENDER, lambda partner: _optional(_one_of(GENDER))),
        *_contact_columns(),
        _text("employer", gettext_lazy("Employer"), 200),
        _text("job_title", gettext_lazy("Job title"), 200),
    ),
)

MENTEE_SHEET = Sheet(
    kind=MENTEES,
    title=gettext_lazy("Mentees"),
    key=("jobseeker_number",),
    columns=(
        _text("jobseeker_number", gettext_lazy("Job-seeker number"), 20, required=True, rule=_jobseeker_rule),
        _first_name(),
        _last_name(),
        Column("birth_date", gettext_lazy("Birth date"), DATE, _birth_date_rule, required=True),
        Column("gender", gettext_lazy("Gender"), GENDER, lambda partner: _required(_one_of(GENDER)), required=True),
        Column(
            "education_level", gettext_lazy("Education level"), EDUCATION, lambda partner: _optional(_one_of(EDUCATION))
        ),
        _text(
            "languages",
            gettext_lazy("Languages"),
            200,
            rule=lambda partner: _optional(_("Languages spoken, e.g. French, Arabic, English.")),
        ),
        *_contact_columns(),
        Column(
            "migration_background",
            gettext_lazy("Migration background"),
            YES_NO,
            lambda partner: _optional(
                _(
                    "Yes or No; empty keeps what is recorded. Special-category personal data: fill it in only "
                    "for a programme that requires it."
                )
            ),
        ),
    ),
)

DUO_SHEET = Sheet(
    kind=DUOS,
    title=gettext_lazy("Duos"),
    key=("reference",),
    columns=(
        _text(
            "reference",
            gettext_lazy("Reference"),
            REFERENCE_MAX_LENGTH,
            required=True,
            rule=_duo_reference_rule,
        ),
        Column("programme", gettext_lazy("Programme"), TextCell(200), _programme_rule, required=True),
        _text(
            "mentor_reference",
            gettext_lazy("Mentor reference"),
            REFERENCE_MAX_LENGTH,
            required=True,
            rule=lambda partner: _required(_("The mentor's reference, from the Mentors sheet or already in the app.")),
        ),
        _text(
            "mentee_jobseeker_number",
            gettext_lazy("Mentee's job-seeker number"),
            20,
            required=True,
            rule=lambda partner: _required(
                _("The mentee's job-seeker number, from the Mentees sheet or already in the app.")
            ),
        ),
        Column("start_date", gettext_lazy("Start date"), DATE, _start_rule, required=True),
        _text(
            "convention",
            gettext_lazy("Funding convention"),
            200,
            rule=lambda partner: _optional(_("The name or short name of the convention that funds the duo.")),
        ),
        Column(
            "planned_end_date",
            gettext_lazy("Planned end date"),
            DATE,
            lambda partner: _optional(_date_rule() + " " + _("Empty: the start date plus the programme's duration.")),
        ),
    ),
)

MEETING_SHEET = Sheet(
    kind=MEETINGS,
    title=gettext_lazy("Meetings"),
    key=("duo_reference", "reference"),
    columns=(
        _duo_reference(),
        _text(
            "reference",
            gettext_lazy("Reference"),
            REFERENCE_MAX_LENGTH,
            required=True,
            rule=lambda partner: _required(
                _("Your own reference for this meeting, up to %(max)s characters, unique within its duo.")
                % {"max": REFERENCE_MAX_LENGTH}
            ),
        ),
        Column(
            "date",
            gettext_lazy("Date"),
            DATE,
            lambda partner: _required(_date_rule() + " " + _("Not before the duo started, not in the future.")),
            required=True,
        ),
        Column(
            "duration_minutes",
            gettext_lazy("Duration (minutes)"),
            WholeNumberCell("90"),
            lambda partner: _required(
                _("A whole number of minutes from %(min)s to %(max)s.")
                % {"min": bounds.MEETING_MIN_MINUTES, "max": bounds.MEETING_MAX_MINUTES}
            ),
            required=True,
        ),
        Column("place", gettext_lazy("Place"), PLACE, lambda partner: _required(_one_of(PLACE)), required=True),
        Column(
            "status",
            gettext_lazy("Status"),
            MEETING_STATUS,
            lambda partner: _optional(_one_of(MEETING_STATUS) + " " + _("Empty: held.")),
        ),
        _text("note", gettext_lazy("Note"), bounds.NOTE_MAX_LENGTH),
        Column(
            "confirm_same_day",
            gettext_lazy("Second meeting that day"),
            YES_NO,
            lambda partner: _optional(
                _(
                    "Yes to record a second meeting of the duo on a day that already has one (the cadence "
                    "counts the day once); without it, such a row is refused as a probable double entry."
                )
            ),
        ),
    ),
)

OUTCOME_SHEET = Sheet(
    kind=OUTCOMES,
    title=gettext_lazy("Outcomes"),
    key=("duo_reference",),
    columns=(
        _duo_reference(),
        Column(
            "end_date",
            gettext_lazy("Closure date"),
            DATE,
            lambda partner: _required(_date_rule() + " " + _("The day the duo ended, not in the future.")),
            required=True,
        ),
        Column(
            "closure_reason",
            gettext_lazy("Closure reason"),
            CLOSURE_REASON,
            lambda partner: _required(_one_of(CLOSURE_REASON)),
            required=True,
        ),
        Column(
            "outcome_type",
            gettext_lazy("Outcome"),
            OUTCOME_TYPE,
            lambda partner: _required(_one_of(OUTCOME_TYPE)),
            required=True,
        ),
        Column(
            "contract_type",
            gettext_lazy("Contract type"),
            CONTRACT_TYPE,
            lambda partner: (
                _("For a salaried job, required: %(choices)s. Empty for any other outcome.")
                % {"choices": CONTRACT_TYPE.allowed()}
            ),
        ),
        Column(
            "contract_months",
            gettext_lazy("Contract length (months)"),
            WholeNumberCell("6"),
            lambda partner: (
                _(
                    "For a job other than a permanent contract (CDI), required: a whole number of months from "
                    "%(min)s to %(max)s. Empty for a CDI."
                )
                % {"min": bounds.CONTRACT_MIN_MONTHS, "max": bounds.CONTRACT_MAX_MONTHS}
            ),
        ),
        Column(
            "outcome_start_date",
            gettext_lazy("Job start date"),
            DATE,
            lambda partner: _optional(
                _date_rule() + " " + _("From a month before the duo started to 12 months after its closure.")
            ),
        ),
        _text("employer", gettext_lazy("Employer"), 200),
        Column(
            "source",
            gettext_lazy("Source"),
            SOURCE,
            lambda partner: _optional(
                _one_of(SOURCE) + " " + _("Empty: %(default)s.") % {"default": SOURCE.label(OutcomeSource.MENTEE)}
            ),
        ),
        _text("note", gettext_lazy("Closure note"), bounds.NOTE_MAX_LENGTH),
    ),
)

FOLLOW_UP_SHEET = Sheet(
    kind=FOLLOW_UPS,
    title=gettext_lazy("Follow-ups"),
    key=("duo_reference", "offset_months"),
    columns=(
        _duo_reference(),
        Column(
            "offset_months",
            gettext_lazy("Months after closure"),
            WholeNumberCell("6"),
            lambda partner: _required(
                _(
                    "Which follow-up: one of the duo's programme's, in months after the closure (3, 6 and 12 "
                    "unless the programme says otherwise)."
                )
            ),
            required=True,
        ),
        Column(
            "date",
            gettext_lazy("Date of the follow-up"),
            DATE,
            lambda partner: _required(
                _date_rule() + " " + _("When the situation was asked: not in the future, nor long before it is due.")
            ),
            required=True,
        ),
        Column(
            "situation",
            gettext_lazy("Situation"),
            OUTCOME_TYPE,
            lambda partner: _required(_one_of(OUTCOME_TYPE)),
            required=True,
        ),
        Column(
            "contract_type",
            gettext_lazy("Contract type"),
            CONTRACT_TYPE,
            lambda partner: (
                _("For a salaried job, required: %(choices)s. Empty for any other situation.")
                % {"choices": CONTRACT_TYPE.allowed()}
            ),
        ),
        Column(
            "same_job",
            gettext_lazy("Same job as at closure"),
            YES_NO,
            lambda partner: _optional(_("Yes or No, for a job or self-employment; empty when not known.")),
        ),
        Column(
            "source",
            gettext_lazy("Source"),
            SOURCE,
            lambda partner: _optional(
                _one_of(SOURCE) + " " + _("Empty: %(default)s.") % {"default": SOURCE.label(OutcomeSource.MENTEE)}
            ),
        ),
        _text("note", gettext_lazy("Note"), bounds.NOTE_MAX_LENGTH),
    ),
)

SHEETS = {
    sheet.kind: sheet
    for sheet in (MENTOR_SHEET, MENTEE_SHEET, DUO_SHEET, MEETING_SHEET, OUTCOME_SHEET, FOLLOW_UP_SHEET)
}
# Sheets of the template that hold no records: read and left alone.
README_TITLE = gettext_lazy("Read me")
