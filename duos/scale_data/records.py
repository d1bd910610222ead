"""The bulk of the scale set: mentees, duos, their meetings and outcomes,
one row at a time into the table writers."""

import datetime

from dateutil.relativedelta import relativedelta

from duos.models import ClosureReason, DuoStatus, MeetingPlace, MeetingStatus, OutcomeType
from programmes.models import MeetingPlaceRule

from .weights import (
    CLOSURE_WEIGHTS,
    CONTRACT_MONTHS,
    CONTRACT_WEIGHTS,
    EDUCATION_WEIGHTS,
    GENDER_WEIGHTS,
    LANGUAGE_SETS,
    MEETING_DURATIONS,
    MEETING_NOTES,
    MEETING_PLACE_WEIGHTS,
    OUTCOME_WEIGHTS,
    SOURCE_WEIGHTS,
    UTC,
    WITH_EMPLOYER,
    WITH_START_DATE,
    Picker,
    birth_date_for_age,
)

# Meetings go to COPY as text without escaping (``_add_meetings``).
assert not any(set(note) & set("\t\n\r\\") for note in MEETING_NOTES), "a meeting note needs escaping"


class Records:
    """The part of ``ScaleDataGenerator`` that adds a duo and what hangs on it."""

    def _pickers(self):
        self.pick_closure = Picker(CLOSURE_WEIGHTS)
        self.pick_outcome = {reason: Picker(pairs) for reason, pairs in OUTCOME_WEIGHTS.items()}
        self.pick_contract = Picker(CONTRACT_WEIGHTS)
        self.pick_source = Picker(SOURCE_WEIGHTS)
        self.pick_place = Picker(MEETING_PLACE_WEIGHTS)
        self.pick_education = Picker(EDUCATION_WEIGHTS)
        self.pick_gender = Picker(GENDER_WEIGHTS)

    def _stamp(self, day):
        """A fixed time on ``day``, as an aware datetime (cached: few distinct days)."""
        stamp = self._stamps.get(day)
        if stamp is None:
            stamp = self._stamps[day] = datetime.datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
        return stamp

    def _add_mentee(self, mentee_id, partner, programme, start):
        rng = self.rng
        gender = self.pick_gender(rng)
        first, last = self._person_name(gender)
        low = programme.mentee_min_age or 18
        # One year short of the maximum, so a re-matched duo still fits the rule.
        high = (programme.mentee_max_age - 1) if programme.mentee_max_age else 60
        birth = birth_date_for_age(rng, start, rng.randint(low, max(low, high)))
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
        last_held = self._add_meetings(duo_id, programme, start, last_day)
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
                last_held,
            )
        )
        if active:
            return None
        self._add_outcomes(duo_id, start, end, reason)
        return end, reason

    def _add_meetings(self, duo_id, programme, start, last_day):
        """Meetings spread evenly over the duo's life: most duos keep the
        programme's cadence, one in five falls behind; some meetings are cancelled.
        Returns the date of the last held meeting (the duo's ``last_meeting_date``),
        or ``None``."""
        rng = self.rng
        span = (last_day - start).days
        expected = span / 30.4375 * programme.min_meetings_per_month
        factor = rng.uniform(0.4, 0.9) if rng.random() < 0.2 else rng.uniform(1.2, 1.55)
        count = round(expected * factor) + (1 if rng.random() < 0.5 else 0)
        if count <= 0:
            return None
        cancel_rate = rng.uniform(0.0, 0.12)
        workplace = programme.meeting_place == MeetingPlaceRule.MENTOR_WORKPLACE
        writer = self.writers["meetings"]
        # 25 rows a duo, most of the generator's rows: on PostgreSQL each row
        # goes straight to COPY's text (no tuple, no per-value conversion).
        as_text = writer.use_copy
        add = writer.add_line if as_text else writer.rows.append
        prefix, suffix = f"{duo_id}\t", writer.line_suffix
        pick_place = self.pick_place
        random_ = rng.random
        first = start.toordinal()
        step = (span + 1) / count
        day_texts = self._day_texts
        month_add = self.writers["meeting_months"].add_line if as_text else None
        month, held_in_month = None, 0  # MeetingMonth on PostgreSQL, where its triggers are off
        counted = None  # ordinals only grow: one held meeting a day counts for the cadence
        held, cancelled = MeetingStatus.HELD.value, MeetingStatus.CANCELLED.value
        mentor_workplace = MeetingPlace.MENTOR_WORKPLACE.value
        n_notes, n_durations = len(MEETING_NOTES), len(MEETING_DURATIONS)
        for j in range(count):
            ordinal = first + min(span, int((j + random_()) * step))
            status = cancelled if random_() < cancel_rate else held
            place = mentor_workplace if workplace else pick_place(rng)
            note = MEETING_NOTES[int(random_() * n_notes)] if random_() < 0.05 else ""
            duration = MEETING_DURATIONS[int(random_() * n_durations)]
            counts = status == held and ordinal != counted
            if counts:
                counted = ordinal
            if as_text:
                day, stamp, month_text = day_texts(ordinal)
                if counts:
                    if month_text != month:
                        if month is not None:
                            month_add(f"{prefix}{month}\t{held_in_month}")
                        month, held_in_month = month_text, 0
                    held_in_month += 1
                flag = "t" if counts else "f"
                add(f"{prefix}{day}\t{duration}\t{place}\t{status}\t{note}\t{flag}\t{stamp}\t{stamp}{suffix}")
            else:
                day = self._dates(ordinal)
                stamp = self._stamp(day)
                add((duo_id, day, duration, place, status, note, counts, stamp, stamp))
        if month is not None:
            month_add(f"{prefix}{month}\t{held_in_month}")
        return None if counted is None else self._dates(counted)

    def _day_texts(self, ordinal):
        """``(date, timestamp, month)`` of a day as COPY reads them, the month
        as MeetingMonth's first and last day (cached: few distinct days)."""
        texts = self._text_cache.get(ordinal)
        if texts is None:
            day = self._dates(ordinal)
            first = day.replace(day=1)
            last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            month = f"{first.isoformat()}\t{last.isoformat()}"
            texts = self._text_cache[ordinal] = (day.isoformat(), self._stamp(day).isoformat(), month)
        return texts

    _date_cache: dict[int, datetime.date] = {}
    _text_cache: dict[int, tuple[str, str, str]] = {}

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
