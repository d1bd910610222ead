"""Synthetic data at the size the application must hold (issue 5 "Scale").

``python manage.py generate_scale_data --duos 100000 [--partners 10] [--seed N] [--reset]``

Writes partners ``scale-partner-01``..``NN``, one or two programmes each (rules
as data, modelled on the real schemes), yearly funding conventions (some per
partner, some shared between partners with per-partner shares), mentors,
mentees (with a recorded migration background for most), the duos spread over
ten years, about 25 meetings per duo and a primary outcome for every closed duo.

Everything is derived from ``--seed`` and from the period (``--start`` to
``--end``), never from today's date: the same arguments give the same data.
The data describe the world as of ``--end``: duos whose term runs past it are
still active, and no meeting or outcome lies after it.

On PostgreSQL the large tables are written with ``COPY`` from an in-memory
buffer, in batches, inside one transaction; elsewhere (SQLite, for the tests)
with ``bulk_create`` in batches. Either way no django-simple-history rows are
written: bulk inserts bypass the signals the audit trail listens to, which is
what we want for synthetic data. ``ANALYZE`` runs at the end so the planner
knows the new sizes.

Re-running refuses while scale data exist; ``--reset`` first deletes every row
that belongs to the scale partners and conventions (and only those), then
generates a fresh set.
"""

import bisect
import datetime
import io
import random
import time
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import DatabaseDefault
from faker import Faker
from tqdm import tqdm

from duos.models import (
    ClosureReason,
    ContractType,
    Duo,
    DuoStatus,
    EducationLevel,
    Gender,
    Meeting,
    MeetingPlace,
    MeetingStatus,
    Mentee,
    Mentor,
    MigrationBackground,
    Outcome,
    OutcomeSource,
    OutcomeType,
)
from programmes.models import ConventionShare, FundingConvention, MeetingPlaceRule, Partner, Programme

PARTNER_SLUG_PREFIX = "scale-partner-"
CONVENTION_SLUG_PREFIX = "scale-conv-"

# Programme rules, modelled on the real schemes (DESIGN.md). Each partner runs
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


class _Picker:
    """A fast weighted choice: ``picker(rng)`` returns one value."""

    def __init__(self, pairs):
        self.values, self.cumulative = _weighted(pairs)
        self.total = self.cumulative[-1]

    def __call__(self, rng):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _birth_date_for_age(rng, day, age):
    """A birth date that makes someone exactly ``age`` years old on ``day``."""
    latest = day - relativedelta(years=age)  # turns ``age`` on ``day``
    return latest - datetime.timedelta(days=rng.randrange(0, 365))


class _TableWriter:
    """Rows for one table, buffered and written in batches.

    On PostgreSQL a batch is one ``COPY ... FROM STDIN`` of a tab-separated
    buffer; on other databases it is ``bulk_create``. ``columns`` are attribute
    names (``partner_id``); a row is a tuple in that order. A column the
    caller leaves out but the model gives a default (a partner's ``reference``,
    say) is written with that default: ``COPY`` knows nothing of Django's
    defaults, and a field added later must not break the generator.
    """

    def __init__(self, cursor, model, columns, *, use_copy):
        self.cursor = cursor
        self.model = model
        defaulted = {
            field.attname: field.get_default()
            for field in model._meta.concrete_fields
            if field.attname not in columns and not field.primary_key
        }
        # None: NULL by leaving the column out; a DatabaseDefault: the table's own.
        defaulted = {
            name: value
            for name, value in defaulted.items()
            if value is not None and not isinstance(value, DatabaseDefault)
        }
        self.columns = [*columns, *defaulted]
        self.defaults = tuple(defaulted.values())
        self.use_copy = use_copy
        self.rows = []
        self.written = 0
        self._text_cache = {}
        if use_copy:
            quote = connection.ops.quote_name
            fields = {f.attname: f.column for f in model._meta.concrete_fields}
            self.copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(fields[c]) for c in self.columns)
            )

    def add(self, row):
        self.rows.append(row)

    def flush(self):
        if not self.rows:
            return
        if self.defaults:
            defaults = self.defaults
            self.rows = [row + defaults for row in self.rows]
        if self.use_copy:
            text = self._tsv(self.rows)
            self.cursor.copy_expert(self.copy_sql, io.StringIO(text))
        else:
            objects = [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows]
            self.model.objects.bulk_create(objects, batch_size=BULK_BATCH)
        self.written += len(self.rows)
        self.rows = []

    def _tsv(self, rows):
        cache = self._text_cache
        lines = []
        append = lines.append
        for row in rows:
            values = []
            for value in row:
                if value is None:
                    values.append("\\N")
                elif value.__class__ is str:
                    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
                        value = (
                            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
                        )
                    values.append(value)
                elif value.__class__ is int:
                    values.append(str(value))
                elif value is True:
                    values.append("t")
                elif value is False:
                    values.append("f")
                else:  # dates, datetimes, decimals: few distinct values, cache their text
                    text = cache.get(value)
                    if text is None:
                        text = cache[value] = value.isoformat() if hasattr(value, "isoformat") else str(value)
                    values.append(text)
            append("\t".join(values))
        append("")
        return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Generate synthetic partners, programmes, conventions, mentors, mentees, duos, meetings and "
        "outcomes at scale (default 100,000 duos over 2016-2025, about 25 meetings each). Deterministic "
        "for a given --seed. Uses COPY on PostgreSQL, bulk_create elsewhere. Refuses to run when scale "
        "data exist unless --reset is given, which deletes them first. Bulk inserts write no "
        "django-simple-history rows (no audit trail for synthetic data). Runs ANALYZE at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duos", type=int, default=100_000, help="Number of duos (default 100000).")
        parser.add_argument("--partners", type=int, default=10, help="Number of partners (default 10).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--start", type=datetime.date.fromisoformat, default=datetime.date(2016, 1, 1), help="First start date."
        )
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            default=datetime.date(2025, 12, 31),
            help="Last start date; the data describe the world as of this day.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete previously generated scale data first, then generate."
        )

    def handle(self, *args, **options):
        n_duos = options["duos"]
        n_partners = options["partners"]
        if n_duos < 1 or not 1 <= n_partners <= 99:
            raise CommandError("--duos must be at least 1 and --partners between 1 and 99.")
        self.first_day = options["start"]
        self.as_of = options["end"]
        if self.as_of <= self.first_day + datetime.timedelta(days=60):
            raise CommandError("--end must be at least two months after --start.")
        self.verbosity = options["verbosity"]
        self.use_copy = connection.vendor == "postgresql"
        started = time.monotonic()

        exists = Partner.objects.filter(slug__startswith=PARTNER_SLUG_PREFIX).exists()
        exists = exists or FundingConvention.objects.filter(slug__startswith=CONVENTION_SLUG_PREFIX).exists()
        if exists and not options["reset"]:
            raise CommandError(
                "Scale data already exist (partners whose short name starts with "
                f"'{PARTNER_SLUG_PREFIX}'). Run with --reset to delete them and generate a fresh set."
            )

        self.rng = random.Random(options["seed"])
        self.faker = Faker(NAME_LOCALES)
        self.faker.seed_instance(options["seed"])
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                self.cursor = cursor
                if self.use_copy:
                    # Check foreign keys row by row (a blocked delete fails at
                    # once; COPY does not queue millions of deferred checks).
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                if exists:
                    self._refuse_if_referenced()
                    self._log("Deleting previous scale data...")
                    self._delete_scale_data()
                counts = self._generate(n_duos, n_partners)
                if self.use_copy:
                    # Back to Django's default (foreign keys are INITIALLY DEFERRED),
                    # for a caller's enclosing transaction.
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        except IntegrityError as exc:
            if not exists:
                raise
            raise CommandError(
                "Cannot delete the previous scale data: other rows refer to it (for example a coordinator's "
                "membership or a report request of a scale partner). Delete those first. Nothing was changed."
            ) from exc
        self._log("Analyzing tables...")
        self._analyze()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {elapsed:.1f} s."))

    def _log(self, message):
        if self.verbosity >= 1:
            self.stdout.write(message)

    # Reference data -----------------------------------------------------------------

    def _name_pools(self):
        fake = self.faker
        self.female_names = [fake.first_name_female() for _ in range(400)]
        self.male_names = [fake.first_name_male() for _ in range(400)]
        self.last_names = [fake.last_name() for _ in range(1500)]
        local = Faker(["fr_BE", "nl_BE"])
        local.seed_instance(self.rng.randrange(1 << 30))
        self.companies = [local.company() for _ in range(400)]
        jobs = Faker("fr_FR")
        jobs.seed_instance(self.rng.randrange(1 << 30))
        self.job_titles = [jobs.job()[:200] for _ in range(300)]

    def _person_name(self, gender):
        rng = self.rng
        if gender == Gender.FEMALE or (gender == Gender.X and rng.random() < 0.5):
            first = rng.choice(self.female_names)
        else:
            first = rng.choice(self.male_names)
        return first, rng.choice(self.last_names)

    def _phone(self):
        return "+32 4{:02d} {:02d} {:02d} {:02d}".format(*(self.rng.randrange(100) for _ in range(4)))

    def _create_partners_and_programmes(self, n_partners):
        rng = self.rng
        partners = Partner.objects.bulk_create(
            [
                Partner(
                    name=f"Scale partner {i:02d} ({self.faker.city()})",
                    slug=f"{PARTNER_SLUG_PREFIX}{i:02d}",
                    website=f"https://scale-partner-{i:02d}.example.org",
                )
                for i in range(1, n_partners + 1)
            ]
        )
        programmes = []
        for index, partner in enumerate(partners):
            keys = [index % len(PROGRAMME_TEMPLATES)]
            if rng.random() < 0.5:
                keys.append((index + 1 + rng.randrange(len(PROGRAMME_TEMPLATES) - 1)) % len(PROGRAMME_TEMPLATES))
            for key in keys:
                template = dict(PROGRAMME_TEMPLATES[key])
                slug = f"{partner.slug}-{template.pop('key')}"
                template["name"] = f"{template['name']} ({partner.slug})"
                programmes.append(Programme(partner=partner, slug=slug, **template))
        programmes = Programme.objects.bulk_create(programmes)
        # Re-read so both backends give ids (bulk_create returns them on PostgreSQL and recent SQLite).
        partners = list(Partner.objects.filter(slug__startswith=PARTNER_SLUG_PREFIX).order_by("slug"))
        programmes = list(Programme.objects.filter(partner__in=partners).order_by("partner__slug", "pk"))
        by_partner = {p.pk: [] for p in partners}
        for programme in programmes:
            by_partner[programme.partner_id].append(programme)
        return partners, by_partner

    def _create_conventions(self, partners, duos_per_partner_year):
        """One convention a year per partner for a third of the partners; one
        shared convention a year, split in shares, for the others."""
        rng = self.rng
        years = range(self.first_day.year, self.as_of.year + 1)
        own = [p for i, p in enumerate(partners) if i % 3 == 2]
        sharing = [p for p in partners if p not in own]
        conventions = []
        share_specs = []
        for year in years:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            per_duo = 1150 + 25 * (year - self.first_day.year)  # costs grow a little each year
            for partner in own:
                target = max(1, round(duos_per_partner_year.get((partner.pk, year), 0) * rng.uniform(0.9, 1.15)))
                conventions.append(
                    FundingConvention(
                        name=f"Actiris {year} - {partner.name}",
                        slug=f"{CONVENTION_SLUG_PREFIX}{year}-{partner.slug}",
                        amount=Decimal(round(target * per_duo * rng.uniform(0.95, 1.1), -2)),
                        period_start=start,
                        period_end=end,
                        target_duos_per_year=target,
                        notes="Synthetic scale data.",
                    )
                )
            if sharing:
                shares = []
                for partner in sharing:
                    target = max(1, round(duos_per_partner_year.get((partner.pk, year), 0) * rng.uniform(0.9, 1.15)))
                    amount = Decimal(round(target * per_duo * rng.uniform(0.95, 1.1), -2))
                    shares.append((partner, amount, target))
                conventions.append(
                    FundingConvention(
                        name=f"Actiris {year} - mentoring programmes (shared)",
                        slug=f"{CONVENTION_SLUG_PREFIX}{year}-shared",
                        amount=sum(s[1] for s in shares),
                        period_start=start,
                        period_end=end,
                        target_duos_per_year=sum(s[2] for s in shares),
                        notes="Synthetic scale data, split between partners.",
                    )
                )
                share_specs.append((f"{CONVENTION_SLUG_PREFIX}{year}-shared", shares))
        FundingConvention.objects.bulk_create(conventions)
        by_slug = {c.slug: c for c in FundingConvention.objects.filter(slug__startswith=CONVENTION_SLUG_PREFIX)}
        ConventionShare.objects.bulk_create(
            [
                ConventionShare(convention=by_slug[slug], partner=partner, amount=amount, target_duos_per_year=target)
                for slug, shares in share_specs
                for partner, amount, target in shares
            ]
        )
        convention_for = {}
        for year in years:
            for partner in own:
                convention_for[(partner.pk, year)] = by_slug[f"{CONVENTION_SLUG_PREFIX}{year}-{partner.slug}"].pk
            for partner in sharing:
                convention_for[(partner.pk, year)] = by_slug[f"{CONVENTION_SLUG_PREFIX}{year}-shared"].pk
        return convention_for, len(conventions)

    # Ids ----------------------------------------------------------------------------

    def _reserve_ids(self, model, count):
        """``count`` fresh primary keys for ``model``, so rows can reference each
        other before they are written."""
        table = model._meta.db_table
        if self.use_copy:
            self.cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in self.cursor.fetchall()]
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = self.cursor.fetchone()[0] + 1
        return list(range(first, first + count))

    # The bulk of the data -----------------------------------------------------------

    def _plan_duo_slots(self, n_duos, partners):
        """Start date and partner of every duo, in chronological order. Intake
        grows about 8 % a year; partners differ in size."""
        rng = self.rng
        first, last = self.first_day.toordinal(), self.as_of.toordinal()
        day_weights = []
        total = 0.0
        for ordinal in range(first, last + 1):
            total += 1.0 + 0.08 * (ordinal - first) / 365.25
            day_weights.append(total)
        starts = sorted(
            first + bisect.bisect_right(day_weights, rng.random() * total) for _ in range(n_duos)
        )  # ids follow time, as they would in real life
        partner_weights = [1 / (i + 1) ** 0.6 for i in range(len(partners))]
        partner_picks = rng.choices(range(len(partners)), weights=partner_weights, k=n_duos)
        return starts, partner_picks

    def _generate(self, n_duos, n_partners):
        rng = self.rng
        self._name_pools()
        partners, programmes_by_partner = self._create_partners_and_programmes(n_partners)
        starts, partner_picks = self._plan_duo_slots(n_duos, partners)

        duos_per_partner_year = {}
        duos_per_partner = [0] * len(partners)
        for ordinal, pick in zip(starts, partner_picks, strict=True):
            key = (partners[pick].pk, datetime.date.fromordinal(ordinal).year)
            duos_per_partner_year[key] = duos_per_partner_year.get(key, 0) + 1
            duos_per_partner[pick] += 1
        convention_for, n_conventions = self._create_conventions(partners, duos_per_partner_year)
        mentor_ids = self._create_mentors(partners, duos_per_partner)
        mentor_cursor = [0] * len(partners)

        writers = {
            "mentees": _TableWriter(
                self.cursor,
                Mentee,
                [
                    "id",
                    "partner_id",
                    "first_name",
                    "last_name",
                    "jobseeker_number",
                    "birth_date",
                    "gender",
                    "education_level",
                    "languages",
                    "email",
                    "phone",
                    "created_at",
                    "updated_at",
                ],
                use_copy=self.use_copy,
            ),
            "backgrounds": _TableWriter(
                self.cursor,
                MigrationBackground,
                ["mentee_id", "has_migration_background", "recorded_at"],
                use_copy=self.use_copy,
            ),
            "duos": _TableWriter(
                self.cursor,
                Duo,
                [
                    "id",
                    "partner_id",
                    "programme_id",
                    "mentor_id",
                    "mentee_id",
                    "convention_id",
                    "start_date",
                    "planned_end_date",
                    "end_date",
                    "status",
                    "closure_reason",
                    "closure_note",
                    "created_at",
                    "updated_at",
                ],
                use_copy=self.use_copy,
            ),
            "meetings": _TableWriter(
                self.cursor,
                Meeting,
                [
                    "duo_id",
                    "date",
                    "duration_minutes",
                    "place",
                    "status",
                    "note",
                    "counts_for_cadence",
                    "created_at",
                    "updated_at",
                ],
                use_copy=self.use_copy,
            ),
            "outcomes": _TableWriter(
                self.cursor,
                Outcome,
                [
                    "duo_id",
                    "is_primary",
                    "type",
                    "contract_type",
                    "start_date",
                    "contract_months",
                    "employer",
                    "source",
                    "recorded_on",
                    "note",
                ],
                use_copy=self.use_copy,
            ),
        }
        self.writers = writers
        self._pickers()
        self._jobseeker_counter = 0
        self._stamps = {}

        progress = tqdm(total=n_duos, unit="duo", disable=self.verbosity == 0, desc="duos")
        rematch = None  # a mentee whose mentor withdrew, to pair again in the next slot
        slot = 0
        while slot < n_duos:
            chunk_end = min(slot + CHUNK_DUOS, n_duos)
            size = chunk_end - slot
            mentee_ids = iter(self._reserve_ids(Mentee, size))
            duo_ids = iter(self._reserve_ids(Duo, size))
            while slot < chunk_end:
                if rematch is not None:
                    pick, programme, mentee_id, start = rematch
                    rematch = None
                    partner = partners[pick]
                else:
                    pick = partner_picks[slot]
                    partner = partners[pick]
                    programmes = programmes_by_partner[partner.pk]
                    programme = programmes[0] if len(programmes) == 1 or rng.random() < 0.7 else programmes[1]
                    start = datetime.date.fromordinal(starts[slot])
                    mentee_id = next(mentee_ids)
                    self._add_mentee(mentee_id, partner, programme, start)
                pool = mentor_ids[pick]
                mentor_id = pool[mentor_cursor[pick] % len(pool)]  # the next mentor: never the one who left
                mentor_cursor[pick] += 1
                convention_id = None if rng.random() < 0.04 else convention_for.get((partner.pk, start.year))
                ended = self._add_duo(next(duo_ids), partner, programme, mentor_id, mentee_id, convention_id, start)
                if ended is not None and ended[1] == ClosureReason.EARLY_MENTOR and rng.random() < 0.6:
                    restart = ended[0] + datetime.timedelta(days=rng.randint(14, 60))
                    if restart <= self.as_of:
                        rematch = (pick, programme, mentee_id, restart)
                slot += 1
            for writer in writers.values():
                writer.flush()
            progress.update(size)
        progress.close()
        return {
            "partners": len(partners),
            "programmes": sum(len(p) for p in programmes_by_partner.values()),
            "conventions": n_conventions,
            "mentors": sum(len(p) for p in mentor_ids),
            "mentees": writers["mentees"].written,
            "duos": writers["duos"].written,
            "meetings": writers["meetings"].written,
            "outcomes": writers["outcomes"].written,
        }

    def _pickers(self):
        self.pick_closure = _Picker(CLOSURE_WEIGHTS)
        self.pick_outcome = {reason: _Picker(pairs) for reason, pairs in OUTCOME_WEIGHTS.items()}
        self.pick_contract = _Picker(CONTRACT_WEIGHTS)
        self.pick_source = _Picker(SOURCE_WEIGHTS)
        self.pick_place = _Picker(MEETING_PLACE_WEIGHTS)
        self.pick_education = _Picker(EDUCATION_WEIGHTS)
        self.pick_gender = _Picker(GENDER_WEIGHTS)

    def _stamp(self, day):
        """A fixed time on ``day``, as an aware datetime (cached: few distinct days)."""
        stamp = self._stamps.get(day)
        if stamp is None:
            stamp = self._stamps[day] = datetime.datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
        return stamp

    def _create_mentors(self, partners, duos_per_partner):
        """A pool per partner, about one mentor per three duos: mentors come
        back for another duo every few years. Old enough for every programme."""
        rng = self.rng
        counts = [max(5, round(n / 3)) for n in duos_per_partner]
        ids = self._reserve_ids(Mentor, sum(counts))
        writer = _TableWriter(
            self.cursor,
            Mentor,
            [
                "id",
                "partner_id",
                "first_name",
                "last_name",
                "email",
                "phone",
                "birth_date",
                "gender",
                "employer",
                "job_title",
                "created_at",
                "updated_at",
            ],
            use_copy=self.use_copy,
        )
        pools = []
        position = 0
        stamp = self._stamp_for_setup()
        for partner, count in zip(partners, counts, strict=True):
            pool = ids[position : position + count]
            position += count
            pools.append(pool)
            for mentor_id in pool:
                gender = Gender.FEMALE if rng.random() < 0.45 else Gender.MALE
                first, last = self._person_name(gender)
                # Over 50 on the first possible start date: fits every programme's rule.
                birth = _birth_date_for_age(rng, self.first_day, rng.randint(51, 70))
                writer.add(
                    (
                        mentor_id,
                        partner.pk,
                        first,
                        last,
                        f"mentor{mentor_id}@example.org",
                        self._phone(),
                        birth,
                        gender,
                        rng.choice(self.companies),
                        rng.choice(self.job_titles),
                        stamp,
                        stamp,
                    )
                )
            writer.flush()
        return pools

    def _stamp_for_setup(self):
        return datetime.datetime(self.first_day.year, self.first_day.month, self.first_day.day, 8, 0, tzinfo=UTC)

    def _add_mentee(self, mentee_id, partner, programme, start):
        rng = self.rng
        gender = self.pick_gender(rng)
        first, last = self._person_name(gender)
        low = programme.mentee_min_age or 18
        # One year short of the maximum, so a re-matched duo still fits the rule.
        high = (programme.mentee_max_age - 1) if programme.mentee_max_age else 60
        birth = _birth_date_for_age(rng, start, rng.randint(low, max(low, high)))
        self._jobseeker_counter += 1
        stamp = self._stamp(start)
        self.writers["mentees"].add(
            (
                mentee_id,
                partner.pk,
                first,
                last,
                f"{self._jobseeker_counter:08d}",
                birth,
                gender,
                self.pick_education(rng),
                rng.choice(LANGUAGE_SETS),
                f"mentee{mentee_id}@example.org" if rng.random() < 0.6 else "",
                self._phone() if rng.random() < 0.8 else "",
                stamp,
                stamp,
            )
        )
        if programme.migration_background_required:
            background = True
        else:
            roll = rng.random()
            background = True if roll < 0.45 else False if roll < 0.85 else None  # None: not recorded
        if background is not None:
            self.writers["backgrounds"].add((mentee_id, background, stamp))

    def _add_duo(self, duo_id, partner, programme, mentor_id, mentee_id, convention_id, start):
        """Write one duo, its meetings and outcomes. Returns ``(end, reason)``
        for a closed duo, ``None`` for an active one."""
        rng = self.rng
        as_of = self.as_of
        planned_end = start + relativedelta(months=programme.duration_months)
        term_days = (planned_end - start).days
        reason = self.pick_closure(rng)
        if reason == ClosureReason.COMPLETED:
            end = planned_end + datetime.timedelta(days=rng.randint(-10, 10))
        else:
            end = start + datetime.timedelta(days=int(term_days * rng.uniform(0.05, 0.9)))
        active = end > as_of
        if not active and reason == ClosureReason.COMPLETED and (as_of - planned_end).days < 60:
            active = rng.random() < 0.15  # a few duos past their term that nobody closed yet
        if active:
            end, reason = None, ""
        last_day = end or as_of
        stamp = self._stamp(start)
        self.writers["duos"].add(
            (
                duo_id,
                partner.pk,
                programme.pk,
                mentor_id,
                mentee_id,
                convention_id,
                start,
                planned_end,
                end,
                DuoStatus.ACTIVE if active else DuoStatus.CLOSED,
                reason,
                "",
                stamp,
                self._stamp(end) if end else stamp,
            )
        )
        self._add_meetings(duo_id, programme, start, last_day)
        if active:
            return None
        self._add_outcomes(duo_id, start, end, reason)
        return end, reason

    def _add_meetings(self, duo_id, programme, start, last_day):
        """Meetings spread evenly over the duo's life: most duos keep the
        programme's cadence, one in five falls behind; some meetings are cancelled."""
        rng = self.rng
        span = (last_day - start).days
        expected = span / 30.4375 * programme.min_meetings_per_month
        factor = rng.uniform(0.4, 0.9) if rng.random() < 0.2 else rng.uniform(1.2, 1.55)
        count = round(expected * factor) + (1 if rng.random() < 0.5 else 0)
        if count <= 0:
            return
        cancel_rate = rng.uniform(0.0, 0.12)
        workplace = programme.meeting_place == MeetingPlaceRule.MENTOR_WORKPLACE
        add = self.writers["meetings"].rows.append
        pick_place = self.pick_place
        random_ = rng.random
        first = start.toordinal()
        step = (span + 1) / count
        dates = self._dates
        counted_day = None  # dates only grow: one held meeting a day counts for the cadence
        for j in range(count):
            day = dates(first + min(span, int((j + random_()) * step)))
            status = MeetingStatus.CANCELLED if random_() < cancel_rate else MeetingStatus.HELD
            place = MeetingPlace.MENTOR_WORKPLACE if workplace else pick_place(rng)
            note = MEETING_NOTES[int(random_() * len(MEETING_NOTES))] if random_() < 0.05 else ""
            duration = MEETING_DURATIONS[int(random_() * len(MEETING_DURATIONS))]
            counts = status == MeetingStatus.HELD and day != counted_day
            if counts:
                counted_day = day
            stamp = self._stamp(day)
            add((duo_id, day, duration, place, status, note, counts, stamp, stamp))

    _date_cache = {}

    def _dates(self, ordinal):
        day = self._date_cache.get(ordinal)
        if day is None:
            day = self._date_cache[ordinal] = datetime.date.fromordinal(ordinal)
        return day

    def _add_outcomes(self, duo_id, start, end, reason):
        rng = self.rng
        as_of = self.as_of
        outcome_type = self.pick_outcome[reason](rng)
        recorded = min(as_of, end + datetime.timedelta(days=rng.randint(0, 21)))
        self.writers["outcomes"].add(self._outcome_row(duo_id, True, outcome_type, start, end, recorded))
        # Follow-ups: some mentees still looking or in training find a job later.
        if outcome_type in (OutcomeType.NONE, OutcomeType.TRAINING, OutcomeType.STUDIES) and rng.random() < 0.08:
            later = end + datetime.timedelta(days=rng.randint(90, 240))
            if later <= as_of:
                self.writers["outcomes"].add(self._outcome_row(duo_id, False, OutcomeType.JOB, start, later, later))

    def _outcome_row(self, duo_id, is_primary, outcome_type, start, end, recorded):
        rng = self.rng
        contract_type, months = "", None
        if outcome_type == OutcomeType.JOB:
            contract_type = self.pick_contract(rng)
            months = rng.choice(CONTRACT_MONTHS[contract_type])
        begins = None
        if outcome_type in WITH_START_DATE:
            begins = max(start, end + datetime.timedelta(days=rng.randint(-20, 45)))
        return (
            duo_id,
            is_primary,
            outcome_type,
            contract_type,
            begins,
            months,
            rng.choice(self.companies) if outcome_type in WITH_EMPLOYER else "",
            self.pick_source(rng),
            recorded,
            "",
        )

    # Reset and statistics -----------------------------------------------------------

    def _scale_tables(self):
        return [Partner, Programme, FundingConvention, ConventionShare, Mentor, Mentee, MigrationBackground]

    def _refuse_if_referenced(self):
        """Stop before deleting when rows outside the scale data (a coordinator's
        membership, a report request...) refer to a scale partner or convention."""
        deleted = {Partner, Programme, FundingConvention, ConventionShare, Mentor, Mentee, MigrationBackground, Duo}
        targets = [
            (Partner, Partner.objects.filter(slug__startswith=PARTNER_SLUG_PREFIX).values("pk")),
            (
                FundingConvention,
                FundingConvention.objects.filter(slug__startswith=CONVENTION_SLUG_PREFIX).values("pk"),
            ),
        ]
        found = []
        for model, ids in targets:
            for relation in model._meta.related_objects:
                related = relation.related_model
                if related in deleted or not getattr(relation.field, "db_constraint", False):
                    continue  # rows we delete anyway, or no constraint (audit history)
                count = related._base_manager.filter(**{f"{relation.field.name}__in": ids}).count()
                if count:
                    found.append(f"{count} {related._meta.verbose_name_plural}")
        if found:
            raise CommandError(
                "Cannot delete the previous scale data: other rows refer to it ("
                + ", ".join(found)
                + "). Delete those first. Nothing was changed."
            )

    def _delete_scale_data(self):
        """Delete the scale partners' rows and the scale conventions with plain
        SQL: the ORM's cascade would load millions of meetings into memory."""
        quote = connection.ops.quote_name

        def table(model):
            return quote(model._meta.db_table)

        partners = f"SELECT id FROM {table(Partner)} WHERE slug LIKE %s"
        duos = f"SELECT id FROM {table(Duo)} WHERE partner_id IN ({partners})"
        mentees = f"SELECT id FROM {table(Mentee)} WHERE partner_id IN ({partners})"
        conventions = f"SELECT id FROM {table(FundingConvention)} WHERE slug LIKE %s"
        partner_like = f"{PARTNER_SLUG_PREFIX}%"
        convention_like = f"{CONVENTION_SLUG_PREFIX}%"
        statements = [
            (f"DELETE FROM {table(Outcome)} WHERE duo_id IN ({duos})", [partner_like]),
            (f"DELETE FROM {table(Meeting)} WHERE duo_id IN ({duos})", [partner_like]),
            (f"DELETE FROM {table(Duo)} WHERE partner_id IN ({partners})", [partner_like]),
            (f"DELETE FROM {table(MigrationBackground)} WHERE mentee_id IN ({mentees})", [partner_like]),
            (f"DELETE FROM {table(Mentee)} WHERE partner_id IN ({partners})", [partner_like]),
            (f"DELETE FROM {table(Mentor)} WHERE partner_id IN ({partners})", [partner_like]),
            (
                f"DELETE FROM {table(ConventionShare)} WHERE partner_id IN ({partners}) "
                f"OR convention_id IN ({conventions})",
                [partner_like, convention_like],
            ),
            (f"DELETE FROM {table(FundingConvention)} WHERE slug LIKE %s", [convention_like]),
            (f"DELETE FROM {table(Programme)} WHERE partner_id IN ({partners})", [partner_like]),
            (f"DELETE FROM {table(Partner)} WHERE slug LIKE %s", [partner_like]),
        ]
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)

    def _analyze(self):
        models = [*self._scale_tables(), Duo, Meeting, Outcome]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
                # VACUUM also sets the visibility map (index-only scans); it
                # cannot run inside a transaction, e.g. in a test.
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                cursor.execute(f"{verb} {tables}")
            else:
                cursor.execute("ANALYZE")
