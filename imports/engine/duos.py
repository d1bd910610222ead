"""Duos, then their meetings, closure and follow-ups, duo by duo.

The services judge every row as they judge a form: ``duo_create`` (and
``duo_update`` for the convention or the planned end) here, then
``meeting_log`` / ``meeting_update``, ``duo_close``, ``follow_up_record`` /
``follow_up_update`` (``events``). Their rules depend on the order of events
(a meeting only while the duo is open, one active duo per mentee, a mentor's
active duos, a follow-up once closed), so the rows are replayed in the order
they happened: duos by start date, each one started, then its meetings by
date, then its closure and its follow-ups, before the next duo starts.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from duos import services
from duos.models import Duo, Meeting, Mentee, Mentor, Outcome
from followups.models import FollowUp
from programmes.models import ConventionShare, FundingConvention

from ..cells import normalise
from ..sheets import (
    DUO_SHEET,
    DUOS,
    FOLLOW_UPS,
    MEETINGS,
    MENTEES,
    MENTORS,
    OUTCOMES,
)
from .base import Failed, in_chunks
from .events import DuoEvents
from .report import display

DUO_CREATE_COLUMNS = {
    "programme": "programme",
    "mentor": "mentor_reference",
    "mentee": "mentee_jobseeker_number",
    "start_date": "start_date",
    "convention": "convention",
    "planned_end_date": "planned_end_date",
}


def _names(queryset):
    """``{normalised name or short name: object}``."""
    lookup = {}
    for item in queryset:
        lookup.setdefault(normalise(item.slug), item)
        lookup.setdefault(normalise(item.name), item)
    return lookup


def _conventions_of(partner):
    """The conventions a partner's duo may name: those that fund the partner
    (a share), that fund none in particular (no share), or that already fund
    one of its duos. The service checks the rest (its period)."""
    shares = ConventionShare.objects.filter(convention=OuterRef("pk"))
    return FundingConvention.objects.filter(
        Exists(shares.filter(partner=partner))
        | ~Exists(shares)
        | Exists(Duo.objects.filter(convention=OuterRef("pk"), partner=partner))
    ).order_by("name")


class DuoImport(DuoEvents):
    """The Duos, Meetings, Outcomes and Follow-ups sheets of one run."""

    def __init__(self, run):
        self.run = run
        self.report = run.report
        partner = run.partner
        duo_rows = run.parsed.rows(DUOS)
        self.meeting_rows = run.parsed.rows(MEETINGS)
        self.outcome_rows = run.parsed.rows(OUTCOMES)
        self.follow_up_rows = run.parsed.rows(FOLLOW_UPS)
        references = {row.values.get("reference") for row in duo_rows}
        references |= {
            row.values.get("duo_reference") for row in [*self.meeting_rows, *self.outcome_rows, *self.follow_up_rows]
        }
        self.duos = {
            duo.reference: duo
            for duo in in_chunks(
                Duo.objects.filter(partner=partner).select_related("programme", "mentor", "mentee", "convention"),
                "reference",
                references,
            )
        }
        self.meetings = {}
        if self.meeting_rows and self.duos:
            known = Meeting.objects.filter(duo__partner=partner).exclude(reference="")
            for meeting in in_chunks(known, "duo_id", (duo.pk for duo in self.duos.values())):
                self.meetings[(meeting.duo_id, meeting.reference)] = meeting
        self.outcomes = {}
        if self.outcome_rows and self.duos:
            primary = Outcome.objects.filter(is_primary=True)
            for outcome in in_chunks(primary, "duo_id", (duo.pk for duo in self.duos.values())):
                self.outcomes[outcome.duo_id] = outcome
        self.follow_ups = {}
        if self.follow_up_rows and self.duos:
            for follow_up in in_chunks(FollowUp.objects.all(), "duo_id", (duo.pk for duo in self.duos.values())):
                self.follow_ups[(follow_up.duo_id, follow_up.offset_months)] = follow_up
        self._load_people(duo_rows)
        self.programmes = _names(partner.programmes.all())
        self.conventions = _names(_conventions_of(partner))
        self.duo_rows = duo_rows
        self.resolved = {}  # reference -> Duo, Failed, or absent (unknown)

    def _load_people(self, duo_rows):
        run = self.run
        mentor_refs = {row.values.get("mentor_reference") for row in duo_rows} - set(run.mentors)
        for mentor in in_chunks(Mentor.objects.filter(partner=run.partner), "reference", mentor_refs):
            run.mentors[mentor.reference] = mentor
        numbers = {row.values.get("mentee_jobseeker_number") for row in duo_rows} - set(run.mentees)
        for mentee in in_chunks(Mentee.objects.filter(partner=run.partner), "jobseeker_number", numbers):
            run.mentees[mentee.jobseeker_number] = mentee

    # --- order ----------------------------------------------------------------------

    def groups(self):
        """``[(reference, duo row, [meeting rows], outcome row)]`` in the order
        the duos started; duplicates are reported and left out."""
        groups = {}

        def group(reference):
            return groups.setdefault(
                reference, {"duo": None, "meetings": [], "outcome": None, "follow_ups": [], "first": None}
            )

        seen = {}
        for kind, rows, key in (
            (DUOS, self.duo_rows, "reference"),
            (MEETINGS, self.meeting_rows, "duo_reference"),
            (OUTCOMES, self.outcome_rows, "duo_reference"),
            (FOLLOW_UPS, self.follow_up_rows, "duo_reference"),
        ):
            for row in rows:
                reference = row.values.get(key)
                second_key = {MEETINGS: "reference", FOLLOW_UPS: "offset_months"}.get(kind)
                identity = (kind, reference, row.values.get(second_key) if second_key else None)
                if reference and identity in seen:
                    self.run.tick()
                    self.report.error(
                        row,
                        {DUOS: "reference", MEETINGS: "reference", FOLLOW_UPS: "offset_months"}.get(
                            kind, "duo_reference"
                        ),
                        _("Row %(row)s of this sheet already has this reference; a record is given once.")
                        % {"row": seen[identity].number},
                    )
                    continue
                seen[identity] = row
                entry = group(reference)
                if kind == DUOS:
                    entry["duo"] = row
                elif kind == MEETINGS:
                    entry["meetings"].append(row)
                elif kind == FOLLOW_UPS:
                    entry["follow_ups"].append(row)
                else:
                    entry["outcome"] = row
                entry["first"] = entry["first"] or row

        def started(item):
            reference, entry = item
            day = None
            if entry["duo"] is not None and isinstance(entry["duo"].values.get("start_date"), datetime.date):
                day = entry["duo"].values["start_date"]
            elif reference in self.duos:
                day = self.duos[reference].start_date
            return (day or datetime.date.max, entry["first"].kind != DUOS, entry["first"].number)

        ordered = sorted(groups.items(), key=started)
        return [(reference, e["duo"], e["meetings"], e["outcome"], e["follow_ups"]) for reference, e in ordered]

    def run_all(self):
        for reference, duo_row, meeting_rows, outcome_row, follow_up_rows in self.groups():
            duo = self.import_duo(reference, duo_row)
            dated = sorted(
                meeting_rows,
                key=lambda row: (row.values.get("date") or datetime.date.max, row.number),
            )
            self.import_meetings(reference, duo, dated)
            if outcome_row is not None:
                self.import_outcome(reference, duo, outcome_row)
            for row in sorted(follow_up_rows, key=lambda row: (row.values.get("offset_months") or 0, row.number)):
                self.import_follow_up(reference, duo, row)

    # --- duos -------------------------------------------------------------------------

    def _person(self, row, key, found, what_sheet, unknown_message):
        value = row.values.get(key)
        person = found.get(value)
        if isinstance(person, Failed):
            self.run.refers_to_failed(row, key, person, sheet_title=what_sheet)
            return None
        if person is None:
            self.report.error(row, key, unknown_message % {"value": value})
        return person

    def _resolve(self, row):
        """``{service argument: object}`` named by the duo row, or ``None``
        (errors reported)."""
        run = self.run
        found, ok = {}, True
        programme = self.programmes.get(normalise(row.values.get("programme") or ""))
        if programme is None:
            names = "; ".join(sorted({p.name for p in self.programmes.values()})) or "—"
            self.report.error(
                row,
                "programme",
                _("%(value)s is not one of your programmes: %(choices)s.")
                % {"value": row.values.get("programme"), "choices": names},
            )
            ok = False
        found["programme"] = programme
        found["mentor"] = self._person(
            row,
            "mentor_reference",
            run.mentors,
            run.sheet_name(MENTORS),
            _("No mentor has the reference %(value)s, neither on the Mentors sheet nor in the app."),
        )
        found["mentee"] = self._person(
            row,
            "mentee_jobseeker_number",
            run.mentees,
            run.sheet_name(MENTEES),
            _("No mentee has the job-seeker number %(value)s, neither on the Mentees sheet nor in the app."),
        )
        ok = ok and found["mentor"] is not None and found["mentee"] is not None
        found["convention"] = None
        name = row.values.get("convention")
        if name:
            found["convention"] = self.conventions.get(normalise(name))
            if found["convention"] is None:
                self.report.error(
                    row,
                    "convention",
                    _("%(value)s is not a funding convention of yours.") % {"value": name},
                )
                ok = False
        return found if ok else None

    def import_duo(self, reference, row):
        """The duo of ``reference`` once its row is applied: a ``Duo``, a
        ``Failed`` or ``None`` (no row and not in the app)."""
        if row is None:
            duo = self.duos.get(reference)
            self.resolved[reference] = duo
            return duo
        self.run.tick()
        if row.errors:
            self.report.cell_errors(row)
            return self._failed(reference, row)
        found = self._resolve(row)
        if found is None:
            return self._failed(reference, row)
        existing = self.duos.get(reference)
        if existing is not None:
            return self._update_duo(reference, row, existing, found)
        start = row.values["start_date"]
        planned_end = row.values.get("planned_end_date")

        def create():
            duo = services.duo_create(
                programme=found["programme"],
                mentor=found["mentor"],
                mentee=found["mentee"],
                start_date=start,
                convention=found["convention"],
                today=self.run.today,
                reference=reference,
            )
            if planned_end and planned_end != duo.planned_end_date:
                duo = services.duo_update(duo=duo, convention=found["convention"], planned_end_date=planned_end)
            return duo

        # With a planned end of its own, a second service follows the first write.
        duo = self.run.apply(row, DUO_CREATE_COLUMNS, create, savepoint=bool(planned_end))
        if duo is None:
            return self._failed(reference, row)
        self.report.created(row, _duo_label(reference, duo))
        self.resolved[reference] = duo
        return duo

    def _failed(self, reference, row):
        failed = Failed(row)
        self.resolved[reference] = failed
        return failed

    def _update_duo(self, reference, row, duo, found):
        fixed = (
            ("programme", duo.programme, found["programme"]),
            ("mentor_reference", duo.mentor, found["mentor"]),
            ("mentee_jobseeker_number", duo.mentee, found["mentee"]),
            ("start_date", duo.start_date, row.values["start_date"]),
        )
        differs = [(key, old) for key, old, new in fixed if old != new]
        for key, old in differs:
            self.report.error(
                row,
                key,
                _(
                    "This duo is recorded with %(value)s. A duo's programme, mentor, mentee and start date do not "
                    "change: cancel the duo on its page and import the right one under a new reference."
                )
                % {"value": display(old)},
            )
        if differs:
            return self._failed(reference, row)
        convention = found["convention"] if self.run.has(DUOS, "convention") else duo.convention
        planned_end = row.values.get("planned_end_date") or duo.planned_end_date
        changes = []
        if convention != duo.convention:
            changes.append((DUO_SHEET.column("convention").label, display(duo.convention), display(convention)))
        if planned_end != duo.planned_end_date:
            changes.append(
                (DUO_SHEET.column("planned_end_date").label, display(duo.planned_end_date), display(planned_end))
            )
        if not changes:
            self.report.unchanged(row)
            self.resolved[reference] = duo
            return duo
        updated = self.run.apply(
            row,
            DUO_CREATE_COLUMNS,
            lambda: services.duo_update(duo=duo, convention=convention, planned_end_date=planned_end),
        )
        if updated is None:
            return self._failed(reference, row)
        self.report.updated(row, _duo_label(reference, updated), changes)
        self.resolved[reference] = updated
        return updated

    def _duo_of(self, reference, row, duo):
        """The duo a meeting or outcome row belongs to, or ``None`` (reported)."""
        if isinstance(duo, Failed):
            self.run.refers_to_failed(row, "duo_reference", duo, sheet_title=self.run.sheet_name(DUOS))
            return None
        if duo is None:
            self.report.error(
                row,
                "duo_reference",
                _("No duo has the reference %(value)s, neither on the Duos sheet nor in the app.")
                % {"value": reference},
            )
        return duo


def _duo_label(reference, duo):
    return f"{reference}: {duo.mentee} & {duo.mentor} ({display(duo.start_date)})"
