"""Duos, their meetings and their closure with its outcome, duo by duo.

The services judge every row as they judge a form: ``duo_create`` (and
``duo_update`` for the convention or the planned end), ``meeting_log`` /
``meeting_update``, ``duo_close``. Their rules depend on the order of
events (a meeting only while the duo is open, one active duo per mentee, a
mentor's active duos), so the rows are replayed in the order they happened:
duos by start date, each one started, then its meetings by date, then its
closure, before the next duo starts.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from duos import services
from duos.models import Duo, DuoStatus, Meeting, MeetingStatus, Mentee, Mentor, Outcome, OutcomeSource, OutcomeType
from programmes.models import FundingConvention

from ..cells import normalise
from ..sheets import DUO_SHEET, DUOS, MEETING_SHEET, MEETINGS, MENTEES, MENTORS, OUTCOME_SHEET, OUTCOMES
from .base import Failed, blank, in_chunks
from .report import display

DUO_CREATE_COLUMNS = {
    "programme": "programme",
    "mentor": "mentor_reference",
    "mentee": "mentee_jobseeker_number",
    "start_date": "start_date",
    "convention": "convention",
    "planned_end_date": "planned_end_date",
}
MEETING_COLUMNS = {name: name for name in ("date", "duration_minutes", "place", "status", "note")}
MEETING_FIELDS = ("date", "duration_minutes", "place", "status", "note")
CLOSE_COLUMNS = {
    "end_date": "end_date",
    "reason": "closure_reason",
    "outcome_type": "outcome_type",
    "contract_type": "contract_type",
    "contract_months": "contract_months",
    "outcome_start_date": "outcome_start_date",
    "employer": "employer",
    "source": "source",
    "note": "note",
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
    return (
        FundingConvention.objects.filter(Q(shares__partner=partner) | Q(shares__isnull=True) | Q(duos__partner=partner))
        .distinct()
        .order_by("name")
    )


class DuoImport:
    """The Duos, Meetings and Outcomes sheets of one run."""

    def __init__(self, run):
        self.run = run
        self.report = run.report
        partner = run.partner
        duo_rows = run.parsed.rows(DUOS)
        self.meeting_rows = run.parsed.rows(MEETINGS)
        self.outcome_rows = run.parsed.rows(OUTCOMES)
        references = {row.values.get("reference") for row in duo_rows}
        references |= {row.values.get("duo_reference") for row in [*self.meeting_rows, *self.outcome_rows]}
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
            return groups.setdefault(reference, {"duo": None, "meetings": [], "outcome": None, "first": None})

        seen = {}
        for kind, rows, key in (
            (DUOS, self.duo_rows, "reference"),
            (MEETINGS, self.meeting_rows, "duo_reference"),
            (OUTCOMES, self.outcome_rows, "duo_reference"),
        ):
            for row in rows:
                reference = row.values.get(key)
                identity = (kind, reference, row.values.get("reference") if kind == MEETINGS else None)
                if reference and identity in seen:
                    self.run.tick()
                    self.report.error(
                        row,
                        "reference" if kind != OUTCOMES else "duo_reference",
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
        return [(reference, e["duo"], e["meetings"], e["outcome"]) for reference, e in ordered]

    def run_all(self):
        for reference, duo_row, meeting_rows, outcome_row in self.groups():
            duo = self.import_duo(reference, duo_row)
            dated = sorted(
                meeting_rows,
                key=lambda row: (row.values.get("date") or datetime.date.max, row.number),
            )
            for row in dated:
                self.import_meeting(reference, duo, row)
            if outcome_row is not None:
                self.import_outcome(reference, duo, outcome_row)

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
            )
            _set_reference(duo, reference)
            if planned_end and planned_end != duo.planned_end_date:
                duo = services.duo_update(duo=duo, convention=found["convention"], planned_end_date=planned_end)
            return duo

        duo = self.run.apply(row, DUO_CREATE_COLUMNS, create)
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

    # --- meetings ---------------------------------------------------------------------

    def import_meeting(self, reference, duo, row):
        self.run.tick()
        if row.errors:
            self.report.cell_errors(row)
            return
        duo = self._duo_of(reference, row, duo)
        if duo is None:
            return
        values = {
            "date": row.values["date"],
            "duration_minutes": row.values["duration_minutes"],
            "place": row.values["place"],
            "status": row.values.get("status") or MeetingStatus.HELD,
            "note": blank(row.values.get("note")) if self.run.has(MEETINGS, "note") else None,
        }
        confirm = bool(row.values.get("confirm_same_day"))
        meeting_reference = row.values["reference"]
        label = f"{reference} / {meeting_reference} ({display(values['date'])})"
        meeting = self.meetings.get((duo.pk, meeting_reference))
        rewrite = _same_day_rewrite
        if meeting is None:
            values["note"] = values["note"] or ""

            def log():
                logged = services.meeting_log(duo=duo, confirm_same_day=confirm, today=self.run.today, **values)
                _set_reference(logged, meeting_reference)
                return logged

            if self.run.apply(row, MEETING_COLUMNS, log, rewrite=rewrite) is not None:
                self.report.created(row, label)
            return
        if values["note"] is None:
            values["note"] = meeting.note
        changes = self.run.changes(MEETING_SHEET, meeting, values)
        if not changes:
            self.report.unchanged(row)
            return
        updated = self.run.apply(
            row,
            MEETING_COLUMNS,
            lambda: services.meeting_update(meeting=meeting, confirm_same_day=confirm, today=self.run.today, **values),
            rewrite=rewrite,
        )
        if updated is not None:
            self.report.updated(row, label, changes)

    # --- outcomes ---------------------------------------------------------------------

    def import_outcome(self, reference, duo, row):
        self.run.tick()
        if row.errors:
            self.report.cell_errors(row)
            return
        duo = self._duo_of(reference, row, duo)
        if duo is None:
            return
        values = {
            "end_date": row.values["end_date"],
            "reason": row.values["closure_reason"],
            "outcome_type": row.values["outcome_type"],
            "contract_type": blank(row.values.get("contract_type")),
            "outcome_start_date": row.values.get("outcome_start_date"),
            "contract_months": row.values.get("contract_months"),
            "employer": blank(row.values.get("employer")),
            "source": row.values.get("source") or OutcomeSource.MENTEE,
            "note": blank(row.values.get("note")),
        }
        label = f"{reference}: {display(values['outcome_type'], OUTCOME_SHEET.column('outcome_type').cell)}"
        status = Duo.objects.filter(pk=duo.pk).values_list("status", flat=True).first()
        if status == DuoStatus.ACTIVE:
            closed = self.run.apply(
                row, CLOSE_COLUMNS, lambda: services.duo_close(duo=duo, today=self.run.today, **values)
            )
            if closed is not None:
                self.report.created(row, label)
            return
        if status == DuoStatus.CANCELLED:
            self.report.error(row, "duo_reference", _("This duo was cancelled; it takes no closure."))
            return
        differences = self._closure_differences(duo, values)
        if not differences:
            self.report.unchanged(row)
            return
        self.report.error(
            row,
            None,
            _(
                "This duo is already closed, with other values than this row's in: %(columns)s. The import does "
                "not change a closure: correct it on the duo's page."
            )
            % {"columns": ", ".join(str(label) for label in differences)},
        )

    def _closure_differences(self, duo, values):
        """The columns whose value differs from the duo's recorded closure."""
        duo = Duo.objects.get(pk=duo.pk)
        outcome = self.outcomes.get(duo.pk) or Outcome.objects.filter(duo=duo, is_primary=True).first()
        if values["outcome_type"] != OutcomeType.JOB:  # as duo_close records them
            values = {**values, "contract_type": "", "contract_months": None}
        recorded = {
            "end_date": duo.end_date,
            "closure_reason": duo.closure_reason,
            "note": duo.closure_note,
            "outcome_type": outcome.type if outcome else None,
            "contract_type": outcome.contract_type if outcome else "",
            "contract_months": outcome.contract_months if outcome else None,
            "outcome_start_date": outcome.start_date if outcome else None,
            "employer": outcome.employer if outcome else "",
            "source": outcome.source if outcome else None,
        }
        given = {CLOSE_COLUMNS[name]: value for name, value in values.items()}
        return [
            OUTCOME_SHEET.column(key).label
            for key, value in given.items()
            if self.run.has(OUTCOMES, key) and recorded[key] != value
        ]


def _set_reference(record, reference):
    """The partner's reference of a record a service just created (the
    services take no reference: it names the row, it carries no rule)."""
    type(record).objects.filter(pk=record.pk).update(reference=reference)
    record.reference = reference


def _same_day_rewrite(field, error):
    """The form's same-day message asks to tick a box; the sheet has a column."""
    if field == "date" and getattr(error, "code", None) == services.SAME_DAY_CODE:
        return _(
            "This duo already has a meeting on this day. Write Yes in the column “%(column)s” to record this "
            "one as well (the cadence counts the day once)."
        ) % {"column": MEETING_SHEET.column("confirm_same_day").label}
    return None


def _duo_label(reference, duo):
    return f"{reference}: {duo.mentee} & {duo.mentor} ({display(duo.start_date)})"
