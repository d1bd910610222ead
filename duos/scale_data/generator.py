"""The scale-data generator: one run writes a whole set in one transaction."""

import bisect
import datetime
import random
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from faker import Faker
from tqdm import tqdm

from duos.models import ClosureReason, Duo, Meeting, Mentee, MigrationBackground, Outcome
from reporting.models import MeetingMonth

from .bulk_load import BulkLoad
from .cleanup import analyze, delete_scale_data, refuse_if_referenced, scale_data_exist
from .errors import ScaleDataError
from .records import Records
from .reference import ReferenceData
from .weights import CHUNK_DUOS, NAME_LOCALES, PARTNER_SLUG_PREFIX
from .writer import Copier, TableWriter


class DuoPlan(NamedTuple):
    """What every duo slot is decided from before any row is made."""

    partners: list  # Partner rows, in order
    programmes_by_partner: dict  # partner id -> its programmes
    starts: list  # start date ordinal of each slot, in order
    partner_picks: list  # index into ``partners`` of each slot
    convention_for: dict  # (partner id, year) -> convention id
    mentor_ids: list  # per partner, the ids of its mentor pool


class ScaleDataGenerator(ReferenceData, Records):
    """One run of the generator (``run``). Its state (the random source, the
    table writers, caches) lives on the instance; the reference rows come from
    ``ReferenceData``, the duos and what hangs on them from ``Records``."""

    def __init__(self, *, seed, first_day, as_of, log=None, progress=True):
        if as_of <= first_day + datetime.timedelta(days=60):
            raise ScaleDataError("--end must be at least two months after --start.")
        self.first_day = first_day
        self.as_of = as_of
        self.seed = seed
        self.log = log or (lambda message: None)
        self.progress = progress
        self.use_copy = connection.vendor == "postgresql"

    def run(self, *, n_duos, n_partners, reset=False):
        """Write ``n_duos`` duos for ``n_partners`` partners (1 to 99) in one
        transaction, then ``ANALYZE``. Returns the number of rows written per
        kind, e.g. ``{"partners": 10, ..., "outcomes": 81234}``. Raises
        ``ScaleDataError`` when scale data exist and ``reset`` is false, or
        when rows outside the scale data refer to them."""
        if n_duos < 1 or not 1 <= n_partners <= 99:
            raise ScaleDataError("--duos must be at least 1 and --partners between 1 and 99.")
        exists = scale_data_exist()
        if exists and not reset:
            raise ScaleDataError(
                "Scale data already exist (partners whose short name starts with "
                f"'{PARTNER_SLUG_PREFIX}'). Run with --reset to delete them and generate a fresh set."
            )
        self.rng = random.Random(self.seed)
        self.faker = Faker(NAME_LOCALES)
        self.faker.seed_instance(self.seed)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                self.cursor = cursor
                if self.use_copy:
                    # Check foreign keys row by row (a blocked delete fails at
                    # once; COPY does not queue millions of deferred checks).
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                if exists:
                    refuse_if_referenced()
                    self.log("Deleting previous scale data...")
                    delete_scale_data()
                counts = self._generate(n_duos, n_partners)
                if self.use_copy:
                    # Back to Django's default (foreign keys are INITIALLY DEFERRED),
                    # for a caller's enclosing transaction.
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        except IntegrityError as exc:
            if not exists:
                raise
            raise ScaleDataError(
                "Cannot delete the previous scale data: other rows refer to it (for example a coordinator's "
                "membership or a report request of a scale partner). Delete those first. Nothing was changed."
            ) from exc
        self.log("Analyzing tables...")
        analyze()
        return counts

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

        writers = {
            "mentees": TableWriter(
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
            "backgrounds": TableWriter(
                self.cursor,
                MigrationBackground,
                ["mentee_id", "has_migration_background", "recorded_at"],
                use_copy=self.use_copy,
            ),
            "duos": TableWriter(
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
                    "last_meeting_date",
                ],
                use_copy=self.use_copy,
            ),
            "meetings": TableWriter(
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
            "outcomes": TableWriter(
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
        if self.use_copy:
            # Written by the bulk load itself: the triggers that keep it are off.
            writers["meeting_months"] = TableWriter(
                self.cursor, MeetingMonth, ["duo_id", "month", "month_end", "held_meetings"], use_copy=True
            )
        self.writers = writers
        self._pickers()
        self._jobseeker_counter = 0
        self._stamps = {}

        self._new_duo_ids = None  # (first, last) id of the duos written
        plan = DuoPlan(partners, programmes_by_partner, starts, partner_picks, convention_for, mentor_ids)
        if self.use_copy:
            tables = [m._meta.db_table for m in (Mentee, MigrationBackground, Duo, Meeting, Outcome, MeetingMonth)]
            with BulkLoad(self.cursor, tables, new_duo_ids=lambda: self._new_duo_ids):
                self._write_duos(n_duos, plan)
        else:
            self._write_duos(n_duos, plan)
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

    def _write_duos(self, n_duos, plan):
        """The duos in chronological order, chunk by chunk, with their mentees,
        meetings and outcomes; each chunk flushed to the table writers (on
        PostgreSQL handed to a ``Copier`` thread, which stores a chunk while
        the next one is made)."""
        writers = self.writers
        # Every id first: while the rows are made, the connection is the copier's.
        mentee_ids = iter(self._reserve_ids(Mentee, n_duos))
        duo_ids = self._reserve_ids(Duo, n_duos)
        self._new_duo_ids = (duo_ids[0], duo_ids[-1])
        copier = Copier(connection).start() if self.use_copy else None
        for writer in writers.values():
            writer.copier = copier
        failed = True
        try:
            self._make_duos(n_duos, plan, mentee_ids, iter(duo_ids))
            failed = False
        finally:
            for writer in writers.values():
                writer.copier = None
            if copier is not None:
                try:
                    copier.finish()
                except Exception:
                    if not failed:
                        raise  # else the error already on its way matters more

    def _make_duos(self, n_duos, plan, mentee_ids, duo_ids):
        rng = self.rng
        partners, programmes_by_partner, starts, partner_picks, convention_for, mentor_ids = plan
        writers = self.writers
        mentor_cursor = [0] * len(partners)
        progress = tqdm(total=n_duos, unit="duo", disable=not self.progress, desc="duos")
        rematch = None  # a mentee whose mentor withdrew, to pair again in the next slot
        slot = 0
        while slot < n_duos:
            chunk_end = min(slot + CHUNK_DUOS, n_duos)
            size = chunk_end - slot
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
