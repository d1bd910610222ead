"""What two people or two requests at once must not do to a record, checked
one step after the other (both databases; the same races with two threads
at once are in ``test_races.py``, on PostgreSQL)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from duos.models import ClosureReason, Duo, DuoStatus, Meeting, Mentor, Outcome, OutcomeType
from duos.selectors import duo_cadence_by_month
from duos.services import duo_close, duo_update, meeting_delete, meeting_log, meeting_update, mentor_save
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MeetingFactory, MenteeFactory, MentorFactory, OutcomeFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2018, 9, 3)
TODAY = datetime.date(2019, 6, 1)
STALE = "This record changed since you opened it"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


@pytest.fixture
def duo(partner_a):
    return DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=START)


def opened(client, url):
    """The form's fields as a user's browser would send them back."""
    form = client.get(url).context["form"]
    return {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}


# --- two users editing the same record --------------------------------------------


class TestSecondSaveIsRefused:
    def test_mentor(self, client_a, partner_a, coordinator_b):
        mentor = MentorFactory(partner=partner_a, first_name="Jean", phone="")
        url = reverse("duos:mentor_update", args=[mentor.pk])
        mine = opened(client_a, url)
        # Someone else saves the mentor meanwhile.
        mentor.phone = "0470 12 34 56"
        mentor_save(mentor=mentor)

        response = client_a.post(url, {**mine, "first_name": "Jeanne", "birth_date": "1960-05-17"})
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert len(errors) == 1 and errors[0].startswith(STALE)
        assert 'value="Jeanne"' in response.content.decode()  # the input is kept
        mentor.refresh_from_db()
        assert (mentor.first_name, mentor.phone) == ("Jean", "0470 12 34 56")

        # Seen the message, the user saves again: this time it replaces the other change.
        again = {**mine, "first_name": "Jeanne", "birth_date": "1960-05-17"}
        again["opened_version"] = response.context["form"]["opened_version"].value()
        assert client_a.post(url, again).status_code == 302
        mentor.refresh_from_db()
        assert (mentor.first_name, mentor.phone) == ("Jeanne", "")

    def test_the_message_names_who_saved(self, client_a, coordinator_a, partner_a):
        mentor = MentorFactory(partner=partner_a)
        url = reverse("duos:mentor_update", args=[mentor.pk])
        mine = opened(client_a, url)
        other = {**mine, "first_name": "Other", "birth_date": "1960-05-17"}
        assert client_a.post(url, other).status_code == 302  # the same user in another tab
        response = client_a.post(url, {**mine, "birth_date": "1960-05-17"})
        message = response.context["form"].non_field_errors()[0]
        assert message.startswith(f"{STALE}: coord-a saved it on ")
        assert message.endswith("save again to replace their changes.")

    def test_mentee(self, client_a, partner_a):
        mentee = MenteeFactory(partner=partner_a, first_name="Amina")
        url = reverse("duos:mentee_update", args=[mentee.pk])
        mine = opened(client_a, url)
        assert client_a.post(url, {**mine, "first_name": "Amira"}).status_code == 302
        response = client_a.post(url, {**mine, "first_name": "Aminata"})
        assert response.context["form"].non_field_errors()[0].startswith(STALE)
        mentee.refresh_from_db()
        assert mentee.first_name == "Amira"

    def test_duo(self, client_a, duo):
        url = reverse("duos:duo_update", args=[duo.pk])
        mine = opened(client_a, url)
        duo_update(duo=duo, convention=None, planned_end_date=datetime.date(2019, 4, 1))
        response = client_a.post(url, {**mine, "planned_end_date": "2019-05-01"})
        assert response.context["form"].non_field_errors()[0].startswith(STALE)
        duo.refresh_from_db()
        assert duo.planned_end_date == datetime.date(2019, 4, 1)

    def test_meeting(self, client_a, duo):
        meeting = MeetingFactory(duo=duo, date=datetime.date(2018, 10, 1), duration_minutes=60)
        url = reverse("duos:meeting_update", args=[meeting.pk])
        mine = opened(client_a, url)
        meeting_update(
            meeting=meeting, date=meeting.date, duration_minutes=45, place=meeting.place, status="held", today=TODAY
        )
        response = client_a.post(url, {**mine, "duration_minutes": "90"})
        assert response.context["form"].non_field_errors()[0].startswith(STALE)
        meeting.refresh_from_db()
        assert meeting.duration_minutes == 45

    def test_without_a_version_the_service_checks_nothing(self, partner_a):
        """An import or the API that opened no form saves as before."""
        mentor = MentorFactory(partner=partner_a)
        mentor.first_name = "Imported"
        assert mentor_save(mentor=mentor).first_name == "Imported"
        assert Mentor.objects.get().first_name == "Imported"


class TestEditRacingClosure:
    def test_an_edit_opened_before_the_closure_is_refused(self, client_a, duo):
        url = reverse("duos:duo_update", args=[duo.pk])
        mine = opened(client_a, url)
        duo_close(
            duo=duo,
            end_date=datetime.date(2019, 3, 1),
            reason=ClosureReason.COMPLETED,
            outcome_type=OutcomeType.NONE,
            today=TODAY,
        )
        response = client_a.post(url, {**mine, "planned_end_date": "2019-06-30"})
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == ["This duo is closed; it can no longer be changed."]
        duo.refresh_from_db()
        assert duo.status == DuoStatus.CLOSED and duo.outcomes.filter(is_primary=True).count() == 1

    def test_the_service_rereads_the_duo(self, duo):
        """The caller's copy of the duo says active; the row says closed."""
        stale_copy = Duo.objects.get(pk=duo.pk)
        duo_close(
            duo=duo,
            end_date=datetime.date(2019, 3, 1),
            reason=ClosureReason.COMPLETED,
            outcome_type=OutcomeType.NONE,
            today=TODAY,
        )
        with pytest.raises(Exception, match="This duo is closed"):
            duo_update(duo=stale_copy, convention=None, planned_end_date=datetime.date(2019, 6, 30))
        duo.refresh_from_db()
        assert duo.status == DuoStatus.CLOSED and duo.end_date == datetime.date(2019, 3, 1)


# --- a form sent twice ------------------------------------------------------------------


MEETING = {"date": "2018-10-01", "duration_minutes": "60", "place": "online", "status": "held", "note": "CV"}


class TestMeetingFormToken:
    @pytest.mark.parametrize("htmx", [False, True])
    def test_a_double_submit_stores_one_meeting(self, client_a, duo, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        token = client_a.get(duo.get_absolute_url()).context["meeting_form"]["form_token"].value()
        url = reverse("duos:meeting_create", args=[duo.pk])
        first = client_a.post(url, {**MEETING, "form_token": token}, **headers)
        second = client_a.post(url, {**MEETING, "form_token": token}, **headers)
        assert first.status_code == second.status_code == (200 if htmx else 302)
        assert Meeting.objects.filter(duo=duo).count() == 1
        if htmx:  # the second answer is the section with the one meeting, not a same-day question
            assert "already has a meeting" not in second.content.decode()

    def test_each_form_has_its_own_token(self, client_a, duo):
        first = client_a.get(duo.get_absolute_url()).context["meeting_form"]["form_token"].value()
        second = client_a.get(duo.get_absolute_url()).context["meeting_form"]["form_token"].value()
        assert first != second

    def test_service_returns_the_stored_meeting(self, duo):
        token = "6b0f8f0e-6a3c-4c55-9a57-2f1f1b9d2c11"
        args = {"duo": duo, "date": START, "duration_minutes": 60, "place": "online", "today": TODAY}
        first = meeting_log(**args, form_token=token)
        assert meeting_log(**args, form_token=token) == first
        assert Meeting.objects.count() == 1


# --- the database rule ---------------------------------------------------------------


class TestNoActiveDuoWithPrimaryOutcome:
    def test_a_primary_outcome_on_an_active_duo_is_refused(self, duo):
        with pytest.raises(IntegrityError), transaction.atomic():
            Outcome.objects.create(duo=duo, is_primary=True, type="none", recorded_on=TODAY)
        assert not Outcome.objects.exists()

    def test_reactivating_a_duo_with_its_outcome_is_refused(self):
        outcome = OutcomeFactory()  # of a closed duo
        duo = outcome.duo
        duo.status, duo.end_date, duo.closure_reason = DuoStatus.ACTIVE, None, ""
        with pytest.raises(IntegrityError), transaction.atomic():
            duo.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            Duo.objects.filter(pk=duo.pk).update(status=DuoStatus.ACTIVE, end_date=None, closure_reason="")
        duo.refresh_from_db()
        assert duo.status == DuoStatus.CLOSED

    def test_what_stays_allowed(self, duo):
        Outcome.objects.create(duo=duo, is_primary=False, type="training", recorded_on=TODAY)  # not primary
        closed = OutcomeFactory().duo
        Duo.objects.filter(pk=closed.pk).update(status=DuoStatus.CANCELLED)  # cancelled keeps its outcome
        assert Outcome.objects.count() == 2

    def test_the_admin_is_told_in_words(self):
        outcome = OutcomeFactory()
        duo = outcome.duo
        duo.status, duo.end_date, duo.closure_reason = DuoStatus.ACTIVE, None, ""
        with pytest.raises(Exception) as exc:
            duo.full_clean()
        assert exc.value.message_dict["status"] == [
            "An active duo has no primary outcome: remove the outcome to reopen the duo."
        ]


# --- a day counts once for the cadence ---------------------------------------------------


def counting(duo):
    return sorted(Meeting.objects.filter(duo=duo, counts_for_cadence=True).values_list("pk", flat=True))


class TestCadenceFlag:
    def log(self, duo, day, **kwargs):
        return meeting_log(
            duo=duo, date=day, duration_minutes=60, place="online", today=TODAY, confirm_same_day=True, **kwargs
        )

    def test_deleting_the_counting_meeting_hands_the_day_over(self, duo):
        day = datetime.date(2018, 10, 1)
        first, second = self.log(duo, day), self.log(duo, day)
        assert counting(duo) == [first.pk]
        meeting_delete(meeting=first)
        assert counting(duo) == [second.pk]

    def test_moving_a_meeting_moves_the_count(self, duo):
        day, other_day = datetime.date(2018, 10, 1), datetime.date(2018, 10, 8)
        first, second = self.log(duo, day), self.log(duo, day)
        meeting_update(meeting=first, date=other_day, duration_minutes=60, place="online", status="held", today=TODAY)
        assert counting(duo) == [first.pk, second.pk]
        meeting_update(
            meeting=first,
            date=day,
            duration_minutes=60,
            place="online",
            status="held",
            today=TODAY,
            confirm_same_day=True,
        )
        assert counting(duo) == [first.pk]  # the earlier-recorded meeting of the day counts again

    def test_a_cancelled_meeting_does_not_take_the_count(self, duo):
        day = datetime.date(2018, 10, 1)
        cancelled = self.log(duo, day, status="cancelled")
        held = self.log(duo, day)
        assert counting(duo) == [held.pk]
        meeting_update(
            meeting=cancelled,
            date=day,
            duration_minutes=60,
            place="online",
            status="held",
            today=TODAY,
            confirm_same_day=True,
        )
        assert counting(duo) == [cancelled.pk]
        months = duo_cadence_by_month(duo, today=datetime.date(2018, 11, 5))
        assert months[-1]["held"] == 1

    def test_two_counting_meetings_on_a_day_are_impossible(self, duo):
        MeetingFactory(duo=duo, date=START)
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.create(duo=duo, date=START, duration_minutes=30, place="online", counts_for_cadence=True)
