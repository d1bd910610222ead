"""The run: rows through the services, errors under their column, all or
nothing, and a second import of the same file that changes nothing."""

import datetime
import io

import pytest

from duos.models import Duo, DuoStatus, Meeting, Mentee, Mentor, MigrationBackground, Outcome
from imports.engine import import_rows
from imports.reader import read_spreadsheet
from tests.factories import DuoFactory, MenteeFactory, MentorFactory

from .files import (
    duo_row,
    filled_template,
    follow_up_row,
    meeting_row,
    mentee_row,
    mentor_row,
    outcome_row,
    small_file_rows,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 6, 1)


def run(partner, rows, *, commit=True, language="en"):
    parsed = read_spreadsheet(io.BytesIO(filled_template(rows, language=language)))
    return import_rows(partner=partner, parsed=parsed, commit=commit, today=TODAY)


def counts(partner):
    return {
        "mentors": Mentor.objects.filter(partner=partner).count(),
        "mentees": Mentee.objects.filter(partner=partner).count(),
        "duos": Duo.objects.filter(partner=partner).count(),
        "meetings": Meeting.objects.filter(duo__partner=partner).count(),
        "outcomes": Outcome.objects.filter(duo__partner=partner).count(),
    }


def history_rows():
    return sum(model.history.count() for model in (Mentor, Mentee, Duo, Meeting, Outcome))


def test_a_file_creates_every_record_through_the_services(partner_a, programme_a, convention_a):
    report = run(partner_a, small_file_rows())

    assert report.committed and not report.errors
    assert report.totals() == {"create": 10, "update": 0, "unchanged": 0, "error": 0}
    assert counts(partner_a) == {"mentors": 2, "mentees": 2, "duos": 2, "meetings": 3, "outcomes": 1}
    d1 = Duo.objects.get(partner=partner_a, reference="D-1")
    assert d1.status == DuoStatus.CLOSED and d1.end_date == datetime.date(2019, 3, 1)
    assert d1.planned_end_date == datetime.date(2019, 3, 3)  # start + the programme's 6 months
    assert d1.convention == convention_a
    assert d1.mentor.reference == "M-1" and d1.mentee.jobseeker_number == "10000001"
    outcome = d1.outcomes.get(is_primary=True)
    assert (outcome.type, outcome.contract_type, outcome.contract_months) == ("job", "cdi", None)
    assert sorted(d1.meetings.values_list("reference", flat=True)) == ["1", "2"]
    assert Duo.objects.get(reference="D-2").status == DuoStatus.ACTIVE


def test_the_preview_writes_nothing(partner_a, programme_a, convention_a):
    report = run(partner_a, small_file_rows(), commit=False)

    assert report.totals()["create"] == 10 and not report.committed
    assert counts(partner_a) == {"mentors": 0, "mentees": 0, "duos": 0, "meetings": 0, "outcomes": 0}


def test_importing_the_same_file_again_changes_nothing(partner_a, programme_a, convention_a):
    run(partner_a, small_file_rows())
    before, history = counts(partner_a), history_rows()

    report = run(partner_a, small_file_rows())

    assert report.totals() == {"create": 0, "update": 0, "unchanged": 10, "error": 0}
    assert counts(partner_a) == before
    assert history_rows() == history  # not even a history row


def test_a_changed_row_updates_its_record_and_says_what_changes(partner_a, programme_a, convention_a):
    run(partner_a, small_file_rows())
    rows = small_file_rows()
    rows["mentors"][0]["employer"] = "New Employer SPRL"
    rows["meetings"][2]["duration_minutes"] = 90  # D-2 is running

    report = run(partner_a, rows)

    assert report.totals()["update"] == 2
    mentors = report.as_dict()["sheets"][0]
    assert mentors["updated"][0]["changes"] == [{"column": "Employer", "old": "Example SA", "new": "New Employer SPRL"}]
    assert Mentor.objects.get(reference="M-1").employer == "New Employer SPRL"
    assert Meeting.objects.get(duo__reference="D-2", reference="1").duration_minutes == 90


def test_a_closed_duos_meetings_are_read_only(partner_a, programme_a, convention_a):
    run(partner_a, small_file_rows())
    rows = small_file_rows()
    rows["meetings"][1]["duration_minutes"] = 90  # D-1 is closed

    report = run(partner_a, rows, commit=False)

    assert [(e["sheet"], e["row"], e["column"]) for e in report.errors] == [("Meetings", 4, "")]
    assert report.errors[0]["message"] == "This duo is closed: its meetings are read-only until it is reopened."


def test_one_error_and_nothing_is_written(partner_a, programme_a, convention_a):
    rows = small_file_rows()
    rows["mentees"][1]["birth_date"] = datetime.date(1970, 1, 1)  # 49 at the start of D-2: the programme takes up to 33

    report = run(partner_a, rows)

    assert not report.committed
    assert counts(partner_a) == {"mentors": 0, "mentees": 0, "duos": 0, "meetings": 0, "outcomes": 0}
    assert report.errors == [
        {
            "sheet": "Duos",
            "row": 4,
            "column": "Mentee's job-seeker number",
            "message": "The mentee is 49 on the start date; Job Duo takes mentees up to 33.",
        },
        {
            "sheet": "Meetings",
            "row": 5,
            "column": "Duo reference",
            "message": "This row refers to row 4 of the sheet “Duos”, which has errors: fix that row first.",
        },
    ]


def test_cell_errors_name_sheet_row_and_column(partner_a, programme_a):
    rows = {
        "mentors": [mentor_row("M-1", birth_date="1960-02-30"), mentor_row("M-2", gender="Robot")],
        "meetings": [meeting_row("D-9", "1", "2019-01-10", duration_minutes="1,5")],
    }

    report = run(partner_a, rows, commit=False)

    assert [(e["sheet"], e["row"], e["column"]) for e in report.errors] == [
        ("Mentors", 3, "Birth date"),
        ("Mentors", 4, "Gender"),
        ("Meetings", 3, "Duration (minutes)"),
    ]
    assert report.errors[1]["message"] == "Robot is not one of: Female; Male; Other / not stated."
    assert "1,5 is not a whole number" in report.errors[2]["message"]


def test_messages_are_in_the_users_language(partner_a, programme_a):
    from django.utils import translation

    with translation.override("fr"):
        report = run(partner_a, {"mentors": [mentor_row("M-1", gender="Robot")]}, commit=False, language="fr")

    error = report.errors[0]
    assert error["sheet"] == "Mentors" and error["column"] == "Genre"
    assert error["message"].startswith("Robot n'est pas")


def test_references_to_unknown_records_are_errors(partner_a, programme_a):
    report = run(
        partner_a,
        {
            "duos": [duo_row("D-1", "M-404", "99999999")],
            "meetings": [meeting_row("D-404", "1", datetime.date(2019, 1, 10))],
        },
        commit=False,
    )

    messages = {(e["column"], e["message"]) for e in report.errors}
    assert ("Mentor reference", "No mentor has the reference M-404, neither on the Mentors sheet nor in the app.") in (
        messages
    )
    assert (
        "Mentee's job-seeker number",
        "No mentee has the job-seeker number 99999999, neither on the Mentees sheet nor in the app.",
    ) in messages
    assert ("Duo reference", "No duo has the reference D-404, neither on the Duos sheet nor in the app.") in messages


def test_rows_may_refer_to_records_already_in_the_app(partner_a, programme_a):
    mentor = MentorFactory(partner=partner_a, reference="OLD-1")
    mentee = MenteeFactory(partner=partner_a, jobseeker_number="55555555")

    report = run(partner_a, {"duos": [duo_row("D-1", "OLD-1", "55555555")]})

    assert report.committed
    duo = Duo.objects.get(reference="D-1")
    assert (duo.mentor, duo.mentee) == (mentor, mentee)


def test_another_partners_records_are_never_found(partner_a, partner_b, programme_a):
    MentorFactory(partner=partner_b, reference="M-1")
    MenteeFactory(partner=partner_b, jobseeker_number="10000001")

    report = run(partner_a, {"duos": [duo_row("D-1", "M-1", "10000001")]}, commit=False)

    assert {e["column"] for e in report.errors} == {"Mentor reference", "Mentee's job-seeker number"}


def test_duplicates_inside_the_file_are_errors(partner_a, programme_a):
    report = run(
        partner_a,
        {"mentors": [mentor_row("M-1"), mentor_row("M-1", first_name="Other")], "mentees": [mentee_row("1234567")]},
        commit=False,
    )

    assert report.errors == [
        {
            "sheet": "Mentors",
            "row": 4,
            "column": "Reference",
            "message": "Row 3 of this sheet already has this value; a record is given once.",
        }
    ]


def test_a_duos_programme_mentor_mentee_and_start_do_not_change(partner_a, programme_a, convention_a):
    run(partner_a, small_file_rows())
    rows = small_file_rows()
    rows["duos"][1]["start_date"] = datetime.date(2019, 1, 14)

    report = run(partner_a, rows, commit=False)

    assert [(e["row"], e["column"]) for e in report.errors if e["sheet"] == "Duos"] == [(4, "Start date")]
    assert "cancel the duo on its page" in report.errors[0]["message"]


def test_a_duos_convention_and_planned_end_are_updated_by_the_service(partner_a, programme_a, convention_a):
    run(partner_a, small_file_rows())
    rows = small_file_rows()
    rows["duos"][1]["planned_end_date"] = datetime.date(2019, 8, 31)

    report = run(partner_a, rows)

    assert report.totals()["update"] == 1
    assert Duo.objects.get(reference="D-2").planned_end_date == datetime.date(2019, 8, 31)


def test_a_closed_duo_keeps_its_closure(partner_a, programme_a, convention_a):
    run(partner_a, small_file_rows())
    rows = small_file_rows()
    rows["outcomes"][0]["outcome_type"] = "Training"
    rows["outcomes"][0]["contract_type"] = None

    report = run(partner_a, rows, commit=False)

    assert len(report.errors) == 1
    assert report.errors[0]["message"].startswith("This duo is already closed, with other values than this row's in: ")
    assert "correct it on the duo's page" in report.errors[0]["message"]


def test_a_second_meeting_on_a_day_needs_its_column(partner_a, programme_a, convention_a):
    rows = small_file_rows()
    rows["meetings"].append(meeting_row("D-1", "3", datetime.date(2018, 9, 24)))

    report = run(partner_a, rows, commit=False)

    assert report.errors[0]["column"] == "Date"
    assert "Write Yes in the column “Second meeting that day”" in report.errors[0]["message"]

    rows["meetings"][-1]["confirm_same_day"] = "Yes"
    assert not run(partner_a, rows).errors
    assert Meeting.objects.filter(duo__reference="D-1", date=datetime.date(2018, 9, 24)).count() == 2


def test_events_are_replayed_in_order_whatever_the_rows_order(partner_a, programme_a):
    """A mentee's second duo starts after the first closed: the rows list the
    second duo first and the closure last; the run starts, meets and closes
    the first duo before it starts the second."""
    rows = {
        "mentors": [mentor_row("M-1")],
        "mentees": [mentee_row("10000001")],
        "duos": [
            duo_row("D-2", "M-1", "10000001", start=datetime.date(2019, 3, 4)),
            duo_row("D-1", "M-1", "10000001", start=datetime.date(2018, 9, 3)),
        ],
        "meetings": [
            meeting_row("D-2", "1", datetime.date(2019, 3, 11)),
            meeting_row("D-1", "1", datetime.date(2018, 9, 10)),
        ],
        "outcomes": [outcome_row("D-1", datetime.date(2019, 3, 1))],
    }

    report = run(partner_a, rows)

    assert report.committed, report.errors
    assert set(Duo.objects.values_list("reference", "status")) == {("D-1", "closed"), ("D-2", "active")}


def test_migration_background_is_set_and_an_empty_cell_keeps_it(partner_a, programme_a):
    run(partner_a, {"mentees": [mentee_row("10000001", migration_background="Yes")]})
    mentee = Mentee.objects.get(jobseeker_number="10000001")
    assert MigrationBackground.objects.get(mentee=mentee).has_migration_background is True

    report = run(partner_a, {"mentees": [mentee_row("10000001", migration_background=None)]})

    assert report.totals()["unchanged"] == 1
    assert MigrationBackground.objects.get(mentee=mentee).has_migration_background is True

    report = run(partner_a, {"mentees": [mentee_row("10000001", migration_background="No")]})
    change = report.as_dict()["sheets"][0]["updated"][0]["changes"]
    assert change == [{"column": "Migration background", "old": "…", "new": "…"}]  # never the value
    assert MigrationBackground.objects.get(mentee=mentee).has_migration_background is False


def test_history_names_the_importer(partner_a, programme_a, coordinator_a):
    parsed = read_spreadsheet(io.BytesIO(filled_template({"mentors": [mentor_row("M-1")]})))

    import_rows(partner=partner_a, parsed=parsed, commit=True, user=coordinator_a)

    assert Mentor.history.get().history_user == coordinator_a


def test_existing_active_duo_gets_meetings_then_closes(partner_a, programme_a):
    duo = DuoFactory(programme=programme_a, reference="D-7", start_date=datetime.date(2018, 9, 3))

    report = run(
        partner_a,
        {
            "outcomes": [outcome_row("D-7", datetime.date(2019, 3, 1))],
            "meetings": [meeting_row("D-7", "a", datetime.date(2018, 10, 1))],
        },
    )

    assert report.committed, report.errors
    duo.refresh_from_db()
    assert duo.status == DuoStatus.CLOSED and duo.meetings.count() == 1
    assert duo.last_meeting_date == datetime.date(2018, 10, 1)  # kept by the database (duos.database_rules)


def test_follow_ups_after_the_closure(partner_a, programme_a, convention_a):
    from followups.models import FollowUp, FollowUpOffset

    for months in (3, 6, 12):
        FollowUpOffset.objects.get_or_create(programme=programme_a, months=months)
    rows = small_file_rows()
    rows["follow_ups"] = [
        follow_up_row("D-1", 3, datetime.date(2019, 6, 1)),
        follow_up_row("D-1", 12, datetime.date(2019, 5, 1)),  # not due before February 2020
        follow_up_row("D-2", 3, datetime.date(2019, 5, 1)),  # D-2 is still running
    ]

    report = run(partner_a, rows, commit=False)

    assert [(e["row"], e["column"]) for e in report.errors] == [(4, "Date of the follow-up"), (5, "")]
    assert report.errors[1]["message"] == "Follow-ups are recorded once the duo is closed."

    del rows["follow_ups"][1:]
    report = run(partner_a, rows)
    assert report.committed, report.errors
    follow_up = FollowUp.objects.get()
    assert (follow_up.offset_months, follow_up.situation, follow_up.same_job) == (3, "job", True)

    rows["follow_ups"][0]["same_job"] = "No"
    report = run(partner_a, rows)
    assert report.totals()["update"] == 1 and FollowUp.objects.get().same_job is False
    assert run(partner_a, rows).totals()["update"] == 0
