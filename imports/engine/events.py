"""What happens to a duo once it runs: its meetings (``meeting_log`` /
``meeting_update``), its closure with the primary outcome (``duo_close``)
and its follow-ups (``follow_up_record`` / ``follow_up_update``). A mixin of
``duos.DuoImport``, which replays them duo by duo in the order they
happened."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duos import services
from duos.models import Duo, DuoStatus, MeetingStatus, Outcome, OutcomeSource, OutcomeType
from followups import services as follow_up_services

from ..sheets import FOLLOW_UP_SHEET, MEETING_SHEET, MEETINGS, OUTCOME_SHEET, OUTCOMES
from .base import blank
from .report import display

MEETING_COLUMNS = {name: name for name in ("date", "duration_minutes", "place", "status", "note")}
FOLLOW_UP_COLUMNS = {
    name: name for name in ("offset_months", "date", "situation", "contract_type", "same_job", "source", "note")
}
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


class DuoEvents:
    # --- meetings ---------------------------------------------------------------------

    def import_meetings(self, reference, duo, rows):
        """The meeting rows of one duo, in the order they happened: the new
        meetings go to ``meeting_log_many`` together (one lock of the duo, one
        insert), a recorded meeting to ``meeting_update``. The new meetings
        before a recorded one are logged before it is updated, so each row
        is judged after the ones before it, as one ``meeting_log`` a row
        would judge it."""
        pending = []
        for row in rows:
            self.run.tick()
            if row.errors:
                self.report.cell_errors(row)
                continue
            target = self._duo_of(reference, row, duo)
            if target is None:
                continue
            values = {
                "date": row.values["date"],
                "duration_minutes": row.values["duration_minutes"],
                "place": row.values["place"],
                "status": row.values.get("status") or MeetingStatus.HELD,
                "note": blank(row.values.get("note")) if self.run.has(MEETINGS, "note") else None,
            }
            meeting = self.meetings.get((target.pk, row.values["reference"]))
            if meeting is None:
                pending.append((row, values))
                continue
            self._log_meetings(reference, target, pending)
            pending = []
            self._update_meeting(reference, meeting, row, values)
        self._log_meetings(reference, duo, pending)

    def _log_meetings(self, reference, duo, pending):
        """Log ``pending`` (``[(row, values)]``, new meetings of ``duo``) at once."""
        if not pending:
            return
        items = [
            {
                **values,
                "note": values["note"] or "",
                "confirm_same_day": bool(row.values.get("confirm_same_day")),
                "reference": row.values["reference"],
            }
            for row, values in pending
        ]
        results = services.meeting_log_many(duo=duo, meetings=items, today=self.run.today)
        for (row, values), result in zip(pending, results, strict=True):
            if isinstance(result, ValidationError):
                self.report.validation_error(row, result, MEETING_COLUMNS, rewrite=_same_day_rewrite)
            else:
                self.report.created(row, _meeting_label(reference, row, values))

    def _update_meeting(self, reference, meeting, row, values):
        if values["note"] is None:
            values["note"] = meeting.note
        changes = self.run.changes(MEETING_SHEET, meeting, values)
        if not changes:
            self.report.unchanged(row)
            return
        confirm = bool(row.values.get("confirm_same_day"))
        updated = self.run.apply(
            row,
            MEETING_COLUMNS,
            lambda: services.meeting_update(meeting=meeting, confirm_same_day=confirm, today=self.run.today, **values),
            rewrite=_same_day_rewrite,
        )
        if updated is not None:
            self.report.updated(row, _meeting_label(reference, row, values), changes)

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
        # The run's duo is as recorded: only this row closes it (duo_close re-reads it under its lock).
        status = duo.status
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

    # --- follow-ups ---------------------------------------------------------------------

    def import_follow_up(self, reference, duo, row):
        self.run.tick()
        if row.errors:
            self.report.cell_errors(row)
            return
        duo = self._duo_of(reference, row, duo)
        if duo is None:
            return
        values = {
            "offset_months": row.values["offset_months"],
            "date": row.values["date"],
            "situation": row.values["situation"],
            "contract_type": blank(row.values.get("contract_type")),
            "same_job": row.values.get("same_job"),
            "source": row.values.get("source") or OutcomeSource.MENTEE,
            "note": blank(row.values.get("note")),
        }
        label = _follow_up_label(reference, values)
        follow_up = self.follow_ups.get((duo.pk, values["offset_months"]))
        if follow_up is None:
            recorded = self.run.apply(
                row,
                FOLLOW_UP_COLUMNS,
                lambda: follow_up_services.follow_up_record(
                    duo=duo, user=self.run.user, today=self.run.today, **values
                ),
            )
            if recorded is not None:
                self.report.created(row, label)
            return
        del values["offset_months"]
        if values["situation"] != OutcomeType.JOB:  # as the service records them
            values["contract_type"] = ""
        if values["situation"] not in (OutcomeType.JOB, OutcomeType.SELF_EMPLOYMENT):
            values["same_job"] = None
        changes = self.run.changes(FOLLOW_UP_SHEET, follow_up, values)
        if not changes:
            self.report.unchanged(row)
            return
        updated = self.run.apply(
            row,
            FOLLOW_UP_COLUMNS,
            lambda: follow_up_services.follow_up_update(follow_up=follow_up, today=self.run.today, **values),
        )
        if updated is not None:
            self.report.updated(row, label, changes)

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


def _same_day_rewrite(field, error):
    """The form's same-day message asks to tick a box; the sheet has a column."""
    if field == "date" and getattr(error, "code", None) == services.SAME_DAY_CODE:
        return _(
            "This duo already has a meeting on this day. Write Yes in the column “%(column)s” to record this "
            "one as well (the cadence counts the day once)."
        ) % {"column": MEETING_SHEET.column("confirm_same_day").label}
    return None


def _meeting_label(reference, row, values):
    return f"{reference} / {row.values['reference']} ({display(values['date'])})"


def _follow_up_label(reference, values):
    return f"{reference} +{values['offset_months']} ({display(values['date'])})"
