"""The shape of the synthetic data: programme templates, the weights of
closure reasons, outcomes, contracts, places, and the weighted picker."""

import bisect
import datetime

from dateutil.relativedelta import relativedelta

from duos.models import ClosureReason, ContractType, EducationLevel, Gender, MeetingPlace, OutcomeSource, OutcomeType
from programmes.models import MeetingPlaceRule

PARTNER_SLUG_PREFIX = "scale-partner-"
CONVENTION_SLUG_PREFIX = "scale-conv-"

# Programme rules, modelled on the real schemes (docs/design.md). Each partner runs
# one or two of them. Duration x cadence is about 24 meetings for each, so a
# duo that runs its term holds about 25 meetings whatever its programme.
PROGRAMME_TEMPLATES = [
    {
        "key": "duo",
        "name": "Duo intergénérationnel",
        "description": "Six months, one meeting a week; young mentees with a migration background, mentors over 50.",
        "duration_months": 6,
        "min_meetings_per_month": 4,
        "meeting_place": MeetingPlaceRule.ANY,
        "mentee_min_age": 18,
        "mentee_max_age": 33,
        "mentor_min_age": 50,
        "migration_background_required": True,
        "max_active_duos_per_mentor": 1,
    },
    {
        "key": "workplace",
        "name": "Mentorat en entreprise",
        "description": "Twelve months, at least twice a month at the mentor's workplace; no age rule.",
        "duration_months": 12,
        "min_meetings_per_month": 2,
        "meeting_place": MeetingPlaceRule.MENTOR_WORKPLACE,
        "mentee_min_age": None,
        "mentee_max_age": None,
        "mentor_min_age": None,
        "migration_background_required": False,
        "max_active_duos_per_mentor": 2,
    },
    {
        "key": "standard",
        "name": "Accompagnement vers l'emploi",
        "description": "Nine months, at least three meetings a month; adult job seekers.",
        "duration_months": 9,
        "min_meetings_per_month": 3,
        "meeting_place": MeetingPlaceRule.ANY,
        "mentee_min_age": 18,
        "mentee_max_age": 64,
        "mentor_min_age": 30,
        "migration_background_required": False,
        "max_active_duos_per_mentor": 1,
    },
    {
        "key": "graduates",
        "name": "Jeunes diplômés",
        "description": "Eight months, at least three meetings a month; graduates under 30.",
        "duration_months": 8,
        "min_meetings_per_month": 3,
        "meeting_place": MeetingPlaceRule.ANY,
        "mentee_min_age": 18,
        "mentee_max_age": 29,
        "mentor_min_age": 35,
        "migration_background_required": False,
        "max_active_duos_per_mentor": 1,
    },
]

# How a duo ends, and what became of the mentee given how it ended.
CLOSURE_WEIGHTS = [
    (ClosureReason.COMPLETED, 70),
    (ClosureReason.EARLY_JOB, 11),
    (ClosureReason.EARLY_MENTEE, 7),
    (ClosureReason.EARLY_MENTOR, 4),
    (ClosureReason.EARLY_LOST_CONTACT, 6),
    (ClosureReason.EARLY_OTHER, 2),
]
OUTCOME_WEIGHTS = {
    ClosureReason.COMPLETED: [
        (OutcomeType.JOB, 44),
        (OutcomeType.SELF_EMPLOYMENT, 4),
        (OutcomeType.FPI, 4),
        (OutcomeType.TRAINING, 10),
        (OutcomeType.INTERNSHIP, 3),
        (OutcomeType.STUDIES, 3),
        (OutcomeType.NONE, 27),
        (OutcomeType.UNKNOWN, 5),
    ],
    ClosureReason.EARLY_JOB: [
        (OutcomeType.JOB, 80),
        (OutcomeType.FPI, 8),
        (OutcomeType.TRAINING, 7),
        (OutcomeType.SELF_EMPLOYMENT, 5),
    ],
    ClosureReason.EARLY_MENTEE: [
        (OutcomeType.NONE, 40),
        (OutcomeType.JOB, 20),
        (OutcomeType.TRAINING, 15),
        (OutcomeType.UNKNOWN, 15),
        (OutcomeType.STUDIES, 10),
    ],
    ClosureReason.EARLY_MENTOR: [
        (OutcomeType.NONE, 60),
        (OutcomeType.JOB, 20),
        (OutcomeType.TRAINING, 10),
        (OutcomeType.UNKNOWN, 10),
    ],
    ClosureReason.EARLY_LOST_CONTACT: [(OutcomeType.UNKNOWN, 90), (OutcomeType.NONE, 10)],
    ClosureReason.EARLY_OTHER: [
        (OutcomeType.NONE, 50),
        (OutcomeType.JOB, 20),
        (OutcomeType.TRAINING, 15),
        (OutcomeType.UNKNOWN, 15),
    ],
}
CONTRACT_WEIGHTS = [
    (ContractType.CDI, 32),
    (ContractType.CDD, 42),
    (ContractType.INTERIM, 12),
    (ContractType.REPLACEMENT, 4),
    (ContractType.ARTICLE_60, 7),
    (ContractType.OTHER, 3),
]
CONTRACT_MONTHS = {
    ContractType.CDI: [None],
    ContractType.CDD: [1, 2, 3, 6, 6, 6, 12, 12, 12, 24],
    ContractType.INTERIM: [1, 1, 2, 3, 6],
    ContractType.REPLACEMENT: [2, 3, 4, 6],
    ContractType.ARTICLE_60: [12, 18, 24],
    ContractType.OTHER: [3, 6, 12],
}
WITH_EMPLOYER = {OutcomeType.JOB, OutcomeType.FPI, OutcomeType.INTERNSHIP}
WITH_START_DATE = {
    OutcomeType.JOB,
    OutcomeType.SELF_EMPLOYMENT,
    OutcomeType.FPI,
    OutcomeType.TRAINING,
    OutcomeType.INTERNSHIP,
    OutcomeType.STUDIES,
}
SOURCE_WEIGHTS = [
    (OutcomeSource.MENTEE, 50),
    (OutcomeSource.MENTOR, 20),
    (OutcomeSource.EMPLOYER, 10),
    (OutcomeSource.ACTIRIS, 20),
]
MEETING_PLACE_WEIGHTS = [
    (MeetingPlace.PUBLIC_PLACE, 35),
    (MeetingPlace.MENTOR_WORKPLACE, 20),
    (MeetingPlace.PARTNER_OFFICE, 15),
    (MeetingPlace.ONLINE, 18),
    (MeetingPlace.PHONE, 10),
    (MeetingPlace.OTHER, 2),
]
MEETING_DURATIONS = [30, 45, 60, 60, 60, 90, 90, 120]
MEETING_NOTES = [
    "CV relu ensemble.",
    "Préparation d'un entretien d'embauche.",
    "Sollicitatiebrief besproken.",
    "Recherche d'offres sur le site d'Actiris.",
    "Visite d'une entreprise du secteur.",
    "Netwerkevent samen bezocht.",
    "Simulation d'entretien.",
]
LANGUAGE_SETS = [
    "French",
    "French, English",
    "Dutch, French",
    "French, Arabic",
    "French, Arabic, English",
    "Dutch, French, English",
    "French, Spanish",
    "French, Portuguese",
    "French, Turkish",
    "French, Lingala",
    "Dutch, Arabic",
    "English, French",
    "French, Romanian",
    "French, Polish",
]
EDUCATION_WEIGHTS = [
    (EducationLevel.PRIMARY, 8),
    (EducationLevel.LOWER_SECONDARY, 15),
    (EducationLevel.UPPER_SECONDARY, 30),
    (EducationLevel.BACHELOR, 17),
    (EducationLevel.MASTER, 12),
    (EducationLevel.FOREIGN_UNRECOGNISED, 15),
    ("", 3),
]
GENDER_WEIGHTS = [(Gender.FEMALE, 48), (Gender.MALE, 50), (Gender.X, 2)]
NAME_LOCALES = ["fr_BE", "nl_BE", "fr_FR", "it_IT", "es_ES", "pt_PT", "pl_PL", "tr_TR"]

# Duos per chunk: each chunk (its mentees, duos, meetings, outcomes) is built in
# memory, then written in one COPY (or bulk_create) per table.
CHUNK_DUOS = 2500
BULK_BATCH = 1000
UTC = datetime.UTC


def _weighted(pairs):
    """``(values, cumulative weights)`` for ``random.choices``."""
    values = [value for value, _weight in pairs]
    cumulative = []
    total = 0
    for _value, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class Picker:
    """A fast weighted choice: ``picker(rng)`` returns one value."""

    def __init__(self, pairs):
        self.values, self.cumulative = _weighted(pairs)
        self.total = self.cumulative[-1]

    def __call__(self, rng):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def birth_date_for_age(rng, day, age):
    """A birth date that makes someone exactly ``age`` years old on ``day``."""
    latest = day - relativedelta(years=age)  # turns ``age`` on ``day``
    return latest - datetime.timedelta(days=rng.randrange(0, 365))
