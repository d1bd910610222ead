"""Corrections of a duo with a reason: correct a closed duo's closure, reopen a
duo closed by mistake, cancel a duo entered by mistake. Each keeps its reason
in the duo's history (``history_change_reason``) and in ``DuoCorrection``;
each broken rule writes nothing."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from duos.models import ClosureReason, CorrectionKind, Duo, DuoCorrection, DuoStatus, Meeting, Outcome, OutcomeType
from duos.services import (
    duo_cancel,
    duo_close,
    duo_closure_correct,
    duo_create,
    duo_reopen,
    meeting_delete,
    meeting_log,
    meeting_update,
)
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MeetingFactory, MentorFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2018, 9, 3)  # planned end 2019-03-03
TODAY = datetime.date(2019, 6, 1)
REASON = "Closed on the wrong date: the mentee's contract started in March, as the employer confirmed."


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def programme(partner_a):
    return ProgrammeFactory(partner=partner_a, name="DUO Brussels", max_active_duos_per_mentor=1)


@pytest.fixture
def closed_duo(programme):
    """Closed as 'ended early: found a job' on 2019-01-10 with a CDD of 6 months."""
    duo = DuoFactory(programme=programme, start_date=START)
    MeetingFactory(duo=duo, date=datetime.date(2018, 10, 1))
    duo_close(
        duo=duo,
        end_date=datetime.date(2019, 1, 10),
        reason=ClosureReason.EARLY_JOB,
        outcome_type=OutcomeType.JOB,
        contract_type="cdd",
        contract_months=6,
        employer="Example SA",
        today=TODAY,
    )
    duo.refresh_from_db()
    return duo


def correct(duo, **kwargs):
    args = {
        "duo": duo,
        "end_date": datetime.date(2019, 3, 1),
        "reason": ClosureReason.COMPLETED,
        "outcome_type": OutcomeType.JOB,
        "contract_type": "cdi",
        "employer": "Example SA",
        "correction_reason": REASON,
        "today": TODAY,
    }
    return duo_closure_correct(**{**args, **kwargs})


def closure(duo):
    duo.refresh_from_db()
    outcome = Outcome.objects.get(duo=duo, is_primary=True)
    return (duo.status, duo.end_date, duo.closure_reason, outcome.type, outcome.contract_type, outcome.contract_months)


BEFORE = ("closed", datetime.date(2019, 1, 10), "early_job", "job", "cdd", 6)


class TestCorrectClosure:
    def test_corrects_date_reason_and_outcome_with_the_reason_in_the_history(self, closed_duo, coordinator_a):
        correct(closed_duo, user=coordinator_a)
        assert closure(closed_duo) == ("closed", datetime.date(2019, 3, 1), "completed", "job", "cdi", None)
        assert closed_duo.history.first().history_change_reason == REASON
        outcome = Outcome.objects.get(duo=closed_duo)
        assert outcome.history.first().history_change_reason == REASON
        correction = DuoCorrection.objects.get(duo=closed_duo)
        assert (correction.kind, correction.reason, correction.made_by) == (
            CorrectionKind.CLOSURE_CORRECTED,
            REASON,
            coordinator_a,
        )

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_needs_a_reason(self, closed_duo, reason):
        with pytest.raises(ValidationError) as exc:
            correct(closed_duo, correction_reason=reason)
        assert exc.value.message_dict["correction_reason"] == [
            "Say why: the reason is kept with the change, in the duo's history."
        ]
        assert closure(closed_duo) == BEFORE
        assert not DuoCorrection.objects.exists()

    def test_reason_is_bounded(self, closed_duo):
        with pytest.raises(ValidationError) as exc:
            correct(closed_duo, correction_reason="x" * 501)
        assert exc.value.message_dict["correction_reason"] == ["A reason has at most 500 characters; this one has 501."]
        assert closure(closed_duo) == BEFORE

    def test_the_closure_rules_apply(self, closed_duo):
        with pytest.raises(ValidationError) as exc:
            correct(closed_duo, end_date=datetime.date(2018, 12, 1))  # "completed" three months early
        assert "A duo completes its planned term when it closes within 14 days" in exc.value.message_dict["reason"][0]
        with pytest.raises(ValidationError) as exc:
            correct(closed_duo, end_date=datetime.date(2018, 9, 20))  # before the meeting of 1 October
        assert exc.value.message_dict["end_date"] == ["A meeting is recorded on 01/10/2018, after this end date."]
        assert closure(closed_duo) == BEFORE

    def test_nothing_changed_is_refused(self, closed_duo):
        with pytest.raises(ValidationError) as exc:
            correct(
                closed_duo,
                end_date=datetime.date(2019, 1, 10),
                reason=ClosureReason.EARLY_JOB,
                contract_type="cdd",
                contract_months=6,
            )
        assert exc.value.messages == ["Nothing to correct: this is the closure as recorded."]
        assert not DuoCorrection.objects.exists()

    def test_only_a_closed_duo(self, programme):
        duo = DuoFactory(programme=programme, start_date=START)
        with pytest.raises(ValidationError) as exc:
            correct(duo)
        assert exc.value.messages == ["Only a closed duo's closure can be corrected."]
        assert not Outcome.objects.exists()


class TestReopen:
    def test_reopened_duo_is_active_without_outcome(self, closed_duo, coordinator_a):
        outcome = Outcome.objects.get(duo=closed_duo)
        duo_reopen(duo=closed_duo, correction_reason="Closed by mistake instead of another duo.", user=coordinator_a)
        closed_duo.refresh_from_db()
        assert (closed_duo.status, closed_duo.end_date, closed_duo.closure_reason) == ("active", None, "")
        assert not Outcome.objects.filter(duo=closed_duo).exists()
        assert closed_duo.history.first().history_change_reason == "Closed by mistake instead of another duo."
        deleted = Outcome.history.filter(id=outcome.pk).first()
        assert (deleted.history_type, deleted.history_change_reason) == (
            "-",
            "Closed by mistake instead of another duo.",
        )
        assert DuoCorrection.objects.get().kind == CorrectionKind.REOPENED
        # Active again: it takes meetings and can be closed again.
        meeting_log(duo=closed_duo, date=datetime.date(2019, 2, 1), duration_minutes=60, place="online", today=TODAY)
        duo_close(
            duo=closed_duo,
            end_date=datetime.date(2019, 3, 3),
            reason=ClosureReason.COMPLETED,
            outcome_type=OutcomeType.NONE,
            today=TODAY,
        )
        assert Outcome.objects.filter(duo=closed_duo, is_primary=True).count() == 1

    def test_needs_a_reason(self, closed_duo):
        with pytest.raises(ValidationError) as exc:
            duo_reopen(duo=closed_duo, correction_reason="")
        assert "correction_reason" in exc.value.message_dict
        assert closure(closed_duo) == BEFORE

    def test_refused_when_the_mentee_started_another_duo(self, closed_duo, programme):
        other = duo_create(
            programme=programme,
            mentor=MentorFactory(partner=programme.partner),
            mentee=closed_duo.mentee,
            start_date=datetime.date(2019, 2, 1),
        )
        with pytest.raises(ValidationError) as exc:
            duo_reopen(duo=closed_duo, correction_reason=REASON)
        assert exc.value.messages == [
            f"The mentee has started another duo since ({other}, from 01/02/2019); a mentee has one active duo "
            "at a time. Close or cancel that one first."
        ]
        assert closure(closed_duo) == BEFORE

    def test_refused_when_the_mentor_is_full(self, closed_duo, programme):
        DuoFactory(programme=programme, mentor=closed_duo.mentor)  # the programme allows one active duo a mentor
        with pytest.raises(ValidationError) as exc:
            duo_reopen(duo=closed_duo, correction_reason=REASON)
        assert exc.value.messages == ["This mentor already runs 1 active duo, the most DUO Brussels allows."]
        assert closure(closed_duo) == BEFORE

    def test_only_a_closed_duo(self, programme):
        duo = DuoFactory(programme=programme)
        with pytest.raises(ValidationError) as exc:
            duo_reopen(duo=duo, correction_reason=REASON)
        assert exc.value.messages == ["Only a closed duo can be reopened."]
        assert not DuoCorrection.objects.exists()


class TestCancel:
    def test_an_active_duo_entered_by_mistake(self, programme, coordinator_a):
        duo = DuoFactory(programme=programme)
        MeetingFactory(duo=duo)
        duo_cancel(duo=duo, correction_reason="Entered twice.", user=coordinator_a)
        duo.refresh_from_db()
        assert duo.status == DuoStatus.CANCELLED
        assert duo.meetings.count() == 1  # kept in the records
        assert not Duo.objects.not_cancelled().filter(pk=duo.pk).exists()  # in no figure
        assert duo.history.first().history_change_reason == "Entered twice."
        assert DuoCorrection.objects.get().kind == CorrectionKind.CANCELLED

    def test_a_closed_duo_keeps_its_closure(self, closed_duo):
        duo_cancel(duo=closed_duo, correction_reason="This mentee never took part.")
        assert closure(closed_duo) == ("cancelled", *BEFORE[1:])

    def test_needs_a_reason(self, programme):
        duo = DuoFactory(programme=programme)
        with pytest.raises(ValidationError):
            duo_cancel(duo=duo, correction_reason=" ")
        duo.refresh_from_db()
        assert duo.status == DuoStatus.ACTIVE

    def test_cancelled_frees_the_mentee_and_nothing_more_happens_to_it(self, programme):
        duo = DuoFactory(programme=programme)
        duo_cancel(duo=duo, correction_reason="Wrong mentee.")
        with pytest.raises(ValidationError, match="already cancelled"):
            duo_cancel(duo=duo, correction_reason="Again.")
        with pytest.raises(ValidationError, match="Only a closed duo can be reopened"):
            duo_reopen(duo=duo, correction_reason="Undo.")
        assert duo_create(
            programme=programme, mentor=MentorFactory(partner=programme.partner), mentee=duo.mentee, start_date=START
        ).is_active


class TestClosedDuoMeetingsAreReadOnly:
    def test_update_and_delete_refused_until_reopened(self, closed_duo):
        meeting = Meeting.objects.get(duo=closed_duo)
        with pytest.raises(ValidationError) as exc:
            meeting_update(
                meeting=meeting,
                date=meeting.date,
                duration_minutes=90,
                place=meeting.place,
                status=meeting.status,
                today=TODAY,
            )
        assert exc.value.messages == ["This duo is closed: its meetings are read-only until it is reopened."]
        with pytest.raises(ValidationError):
            meeting_delete(meeting=meeting)
        meeting.refresh_from_db()
        assert meeting.duration_minutes == 60
        duo_reopen(duo=closed_duo, correction_reason=REASON)
        meeting_update(
            meeting=meeting, date=meeting.date, duration_minutes=90, place=meeting.place, status="held", today=TODAY
        )
        meeting.refresh_from_db()
        assert meeting.duration_minutes == 90

    def test_cancelled_duo_meetings_are_read_only(self, programme):
        duo = DuoFactory(programme=programme, start_date=START)
        meeting = MeetingFactory(duo=duo)
        duo_cancel(duo=duo, correction_reason="Entered by mistake.")
        with pytest.raises(ValidationError, match="cancelled"):
            meeting_delete(meeting=meeting)
        assert Meeting.objects.filter(pk=meeting.pk).exists()


# --- through the pages ---------------------------------------------------------------


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


CORRECTION = {
    "end_date": "2019-03-01",
    "reason": "completed",
    "outcome_type": "job",
    "contract_type": "cdi",
    "employer": "Example SA",
    "source": "mentee",
    "correction_reason": REASON,
}


class TestPages:
    def test_closed_duo_offers_the_corrections_and_no_meeting_edits(self, client_a, closed_duo):
        content = client_a.get(closed_duo.get_absolute_url()).content.decode()
        for name in ("duo_closure_correct", "duo_reopen", "duo_cancel"):
            assert reverse(f"duos:{name}", args=[closed_duo.pk]) in content
        meeting = Meeting.objects.get(duo=closed_duo)
        assert reverse("duos:meeting_update", args=[meeting.pk]) not in content
        assert "This duo is closed: its meetings are read-only until it is reopened." in content

    def test_staff_read_without_correction_buttons(self, client, staff_user, closed_duo):
        client.force_login(staff_user)
        content = client.get(closed_duo.get_absolute_url()).content.decode()
        assert reverse("duos:duo_reopen", args=[closed_duo.pk]) not in content
        assert (
            client.post(reverse("duos:duo_reopen", args=[closed_duo.pk]), {"correction_reason": "x"}).status_code == 403
        )
        closed_duo.refresh_from_db()
        assert closed_duo.status == DuoStatus.CLOSED

    def test_correct_the_closure_form(self, client_a, closed_duo):
        url = reverse("duos:duo_closure_correct", args=[closed_duo.pk])
        form = client_a.get(url).context["form"]
        assert form["end_date"].value() == datetime.date(2019, 1, 10)
        assert (form["reason"].value(), form["contract_type"].value(), form["contract_months"].value()) == (
            "early_job",
            "cdd",
            6,
        )
        response = client_a.post(url, {**CORRECTION, "correction_reason": ""})
        assert response.status_code == 200
        assert "correction_reason" in response.context["form"].errors
        assert closure(closed_duo) == BEFORE
        form = client_a.get(url).context["form"]
        response = client_a.post(url, {**CORRECTION, "opened_version": form["opened_version"].value()})
        assert response.status_code == 302
        assert closure(closed_duo)[:3] == ("closed", datetime.date(2019, 3, 1), "completed")
        page = client_a.get(closed_duo.get_absolute_url()).content.decode()
        assert "Closure corrected" in page and html.escape(REASON) in page

    def test_reopen_asks_then_reopens(self, client_a, closed_duo):
        url = reverse("duos:duo_reopen", args=[closed_duo.pk])
        content = client_a.get(url).content.decode()
        assert "The duo was closed on 10/01/2019. Reopened, it is active again" in content
        assert client_a.post(url, {"correction_reason": ""}).status_code == 200
        assert closure(closed_duo) == BEFORE
        response = client_a.post(url, {"correction_reason": "Closed by mistake."})
        assert response.status_code == 302
        closed_duo.refresh_from_db()
        assert closed_duo.status == DuoStatus.ACTIVE

    def test_cancel_asks_then_cancels(self, client_a, programme):
        duo = DuoFactory(programme=programme)
        url = reverse("duos:duo_cancel", args=[duo.pk])
        assert "Cancel a duo only if it was entered by mistake" in client_a.get(url).content.decode()
        response = client_a.post(url, {"correction_reason": "Entered twice."})
        assert response.status_code == 302
        duo.refresh_from_db()
        assert duo.status == DuoStatus.CANCELLED
        content = client_a.get(duo.get_absolute_url()).content.decode()
        assert "This duo was cancelled: it was entered by mistake." in content
        assert reverse("duos:duo_update", args=[duo.pk]) not in content
        assert reverse("duos:duo_cancel", args=[duo.pk]) not in content
        listed = client_a.get(reverse("duos:duo_list"), {"status": "cancelled"}).context["object_list"]
        assert [row.pk for row in listed] == [duo.pk]
        assert not client_a.get(reverse("duos:duo_list"), {"status": "active"}).context["object_list"]

    def test_meeting_pages_of_a_closed_duo(self, client_a, closed_duo):
        meeting = Meeting.objects.get(duo=closed_duo)
        content = client_a.get(reverse("duos:meeting_update", args=[meeting.pk])).content.decode()
        assert "its meetings are read-only until it is reopened" in content
        assert 'name="duration_minutes"' not in content
        response = client_a.post(reverse("duos:meeting_delete", args=[meeting.pk]), follow=True)
        assert Meeting.objects.filter(pk=meeting.pk).exists()
        assert "This duo is closed: its meetings are read-only until it is reopened." in response.content.decode()

    def test_no_more_advice_to_close_and_start_another_duo(self, client_a, programme):
        duo = DuoFactory(programme=programme)
        content = client_a.get(reverse("duos:duo_update", args=[duo.pk])).content.decode()
        assert "close the duo and start another" not in content
        assert "cancel it (it then counts in no figure) and start the right one" in content


def test_duo_page_query_count_does_not_grow_with_corrections(client_a, closed_duo, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client_a.get(closed_duo.get_absolute_url())
    for number in range(3):
        duo_reopen(duo=closed_duo, correction_reason=f"Reopened {number}.")
        duo_close(
            duo=closed_duo,
            end_date=datetime.date(2019, 3, 1),
            reason=ClosureReason.COMPLETED,
            outcome_type=OutcomeType.NONE,
            today=TODAY,
        )
    assert DuoCorrection.objects.filter(duo=closed_duo).count() == 3
    with django_assert_max_num_queries(len(before.captured_queries)):
        content = client_a.get(closed_duo.get_absolute_url()).content.decode()
    assert content.count("Reopened</span>") == 3
