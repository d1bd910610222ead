"""Every workspace form through its view: the good case writes and redirects
with a message; each broken rule re-renders the form with the message a
coordinator reads, keeps the input, and writes nothing."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from duos.models import Duo, DuoStatus, Meeting, MeetingStatus, Mentee, Mentor, MigrationBackground, Outcome
from programmes.models import MeetingPlaceRule
from programmes.tests.world import use_fast_password_hasher
from tests.factories import (
    ConventionShareFactory,
    DuoFactory,
    FundingConventionFactory,
    MeetingFactory,
    MenteeFactory,
    MentorFactory,
    MigrationBackgroundFactory,
    PartnerFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = (timezone.localdate() + datetime.timedelta(days=366)).isoformat()  # in the future, in the allowed range


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


@pytest.fixture
def programme(partner_a):
    return ProgrammeFactory(partner=partner_a, name="DUO Brussels", max_active_duos_per_mentor=1)


@pytest.fixture
def duo(programme):
    return DuoFactory(programme=programme, start_date=datetime.date(2018, 9, 3))


def success_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(response):
    form = response.context["form"]
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


# --- mentors -----------------------------------------------------------------

MENTOR = {"first_name": "Marc", "last_name": "Dupont", "birth_date": "1960-04-02", "gender": "m", "employer": "STIB"}


def test_mentor_create(client_a, partner_a):
    response = client_a.post(reverse("duos:mentor_create"), MENTOR)
    mentor = Mentor.objects.get(last_name="Dupont")
    assert response.status_code == 302
    assert response.url == mentor.get_absolute_url()
    assert mentor.partner == partner_a
    assert success_messages(response) == ["Mentor Marc Dupont saved."]


def test_mentor_create_missing_birth_date(client_a):
    response = client_a.post(reverse("duos:mentor_create"), {**MENTOR, "birth_date": ""})
    assert response.status_code == 200
    assert form_errors(response) == {"birth_date": ["This field is required."]}
    assert 'value="Dupont"' in response.content.decode()  # input kept
    assert not Mentor.objects.exists()


def test_mentor_update(client_a, duo):
    response = client_a.post(reverse("duos:mentor_update", args=[duo.mentor.pk]), {**MENTOR, "last_name": "Renamed"})
    assert response.status_code == 302
    duo.mentor.refresh_from_db()
    assert duo.mentor.last_name == "Renamed"


# --- mentees -----------------------------------------------------------------

MENTEE = {
    "first_name": "Amina",
    "last_name": "Benali",
    "jobseeker_number": "1042042",
    "birth_date": "1998-01-20",
    "gender": "f",
    "education_level": "upper_secondary",
    "languages": "French, Arabic",
}


def test_mentee_create_with_migration_background(client_a, partner_a):
    response = client_a.post(reverse("duos:mentee_create"), {**MENTEE, "migration_background": "yes"})
    mentee = Mentee.objects.get(jobseeker_number="1042042")
    assert response.status_code == 302
    assert response.url == mentee.get_absolute_url()
    assert mentee.partner == partner_a
    assert MigrationBackground.objects.get(mentee=mentee).has_migration_background is True


def test_mentee_create_without_background_records_nothing(client_a):
    client_a.post(reverse("duos:mentee_create"), {**MENTEE, "migration_background": ""})
    assert Mentee.objects.filter(jobseeker_number="1042042").exists()
    assert not MigrationBackground.objects.exists()


def test_mentee_duplicate_jobseeker_number(client_a, partner_a):
    MenteeFactory(partner=partner_a, jobseeker_number="1042042")
    response = client_a.post(reverse("duos:mentee_create"), {**MENTEE, "migration_background": "yes"})
    assert response.status_code == 200
    assert form_errors(response) == {
        "jobseeker_number": ["This partner already has a mentee with this job-seeker number."]
    }
    assert Mentee.objects.count() == 1
    assert not MigrationBackground.objects.exists()


def test_same_jobseeker_number_at_another_partner_is_fine(client_a):
    MenteeFactory(partner=PartnerFactory(), jobseeker_number="1042042")
    assert client_a.post(reverse("duos:mentee_create"), MENTEE).status_code == 302


def test_mentee_update_changes_then_clears_background(client_a, partner_a):
    mentee = MenteeFactory(partner=partner_a)
    MigrationBackgroundFactory(mentee=mentee, has_migration_background=True)
    url = reverse("duos:mentee_update", args=[mentee.pk])
    client_a.post(url, {**MENTEE, "migration_background": "no"})
    assert MigrationBackground.objects.get(mentee=mentee).has_migration_background is False
    client_a.post(url, {**MENTEE, "migration_background": ""})
    assert not MigrationBackground.objects.filter(mentee=mentee).exists()


def test_mentee_invalid_email_keeps_input(client_a):
    response = client_a.post(reverse("duos:mentee_create"), {**MENTEE, "email": "not-an-email"})
    assert response.status_code == 200
    assert "email" in form_errors(response)
    assert 'value="Benali"' in response.content.decode()
    assert not Mentee.objects.exists()


# --- duos --------------------------------------------------------------------


@pytest.fixture
def people(partner_a):
    return MentorFactory(partner=partner_a), MenteeFactory(partner=partner_a, birth_date=datetime.date(1998, 1, 1))


def duo_data(programme, mentor, mentee, **extra):
    return {
        "programme": programme.pk,
        "mentor": mentor.pk,
        "mentee": mentee.pk,
        "start_date": "2019-01-07",
        **extra,
    }


def test_duo_create(client_a, programme, people):
    mentor, mentee = people
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, mentor, mentee))
    duo = Duo.objects.get()
    assert response.status_code == 302
    assert response.url == duo.get_absolute_url()
    assert duo.planned_end_date == datetime.date(2019, 7, 7)
    assert success_messages(response) == [f"Duo {duo} started."]


def test_duo_create_form_prefills_from_query(client_a, people):
    mentor, mentee = people
    response = client_a.get(reverse("duos:duo_create"), {"mentee": mentee.pk})
    assert response.context["form"].initial["mentee"] == str(mentee.pk)


def assert_duo_rejected(response, field, message):
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(message in error for error in errors.get(field, [])), errors
    assert message in response.content.decode().replace("&#x27;", "'")


def test_duo_create_mentee_already_in_active_duo(client_a, programme, people, duo):
    mentor, _ = people
    count = Duo.objects.count()
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, mentor, duo.mentee))
    assert_duo_rejected(response, "mentee", "This mentee already has an active duo")
    assert Duo.objects.count() == count


def test_duo_create_mentee_too_old(client_a, partner_a, people):
    programme = ProgrammeFactory(partner=partner_a, name="Young", mentee_max_age=20)
    mentor, mentee = people
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, mentor, mentee))
    assert_duo_rejected(response, "mentee", "The mentee is 21 on the start date; Young takes mentees up to 20.")
    assert not Duo.objects.exists()


def test_duo_create_mentor_too_young(client_a, partner_a, people):
    programme = ProgrammeFactory(partner=partner_a, name="Seniors", mentor_min_age=70)
    mentor, mentee = people
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, mentor, mentee))
    assert_duo_rejected(response, "mentor", "Seniors takes mentors from 70")
    assert not Duo.objects.exists()


def test_duo_create_migration_background_required(client_a, partner_a, people):
    programme = ProgrammeFactory(partner=partner_a, name="DUO", migration_background_required=True)
    mentor, mentee = people
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, mentor, mentee))
    assert_duo_rejected(response, "mentee", "DUO is for mentees with a migration background")
    assert not Duo.objects.exists()


def test_duo_create_mentor_at_capacity(client_a, programme, duo, partner_a):
    mentee = MenteeFactory(partner=partner_a)
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, duo.mentor, mentee))
    assert_duo_rejected(response, "mentor", "This mentor already runs 1 active duo")
    assert Duo.objects.count() == 1


def test_duo_create_outside_convention_period(client_a, programme, people, partner_a):
    convention = FundingConventionFactory(
        period_start=datetime.date(2020, 1, 1), period_end=datetime.date(2020, 12, 31)
    )
    ConventionShareFactory(convention=convention, partner=partner_a)
    mentor, mentee = people
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, mentor, mentee, convention=convention.pk))
    assert_duo_rejected(response, "convention", "The start date is outside the convention's period")
    assert not Duo.objects.exists()


def test_duo_create_inactive_programme_not_offered(client_a, partner_a, people):
    programme = ProgrammeFactory(partner=partner_a, is_active=False)
    mentor, mentee = people
    response = client_a.post(reverse("duos:duo_create"), duo_data(programme, mentor, mentee))
    assert response.status_code == 200
    assert "programme" in form_errors(response)
    assert not Duo.objects.exists()


def test_duo_create_missing_fields(client_a):
    response = client_a.post(reverse("duos:duo_create"), {})
    assert set(form_errors(response)) == {"programme", "mentor", "mentee", "start_date"}
    assert not Duo.objects.exists()


def test_duo_update(client_a, duo):
    response = client_a.post(reverse("duos:duo_update", args=[duo.pk]), {"planned_end_date": "2019-04-30"})
    assert response.status_code == 302
    duo.refresh_from_db()
    assert duo.planned_end_date == datetime.date(2019, 4, 30)


def test_duo_update_end_before_start(client_a, duo):
    planned = duo.planned_end_date
    response = client_a.post(reverse("duos:duo_update", args=[duo.pk]), {"planned_end_date": "2018-01-01"})
    assert_duo_rejected(response, "planned_end_date", "The planned end must be after the start date.")
    duo.refresh_from_db()
    assert duo.planned_end_date == planned


def test_closed_duo_cannot_be_edited(client_a, programme):
    duo = DuoFactory(programme=programme, closed=True)
    response = client_a.post(reverse("duos:duo_update", args=[duo.pk]), {"planned_end_date": "2019-04-30"})
    assert response.status_code == 200
    assert "This duo is closed; it can no longer be changed." in str(response.context["form"].non_field_errors())


# --- meetings ----------------------------------------------------------------

MEETING = {"date": "2018-10-01", "duration_minutes": "60", "place": "mentor_workplace", "status": "held", "note": "CV"}


def test_meeting_form_defaults_to_today(client_a, duo):
    response = client_a.get(reverse("duos:duo_detail", args=[duo.pk]))
    form = response.context["meeting_form"]
    assert form.fields["date"].initial == timezone.localdate()
    assert f'value="{timezone.localdate().isoformat()}"' in response.content.decode()


def test_meeting_log_without_htmx_redirects(client_a, duo):
    response = client_a.post(reverse("duos:meeting_create", args=[duo.pk]), MEETING)
    assert response.status_code == 302
    assert response.url == duo.get_absolute_url()
    meeting = Meeting.objects.get(duo=duo)
    assert (meeting.date, meeting.note) == (datetime.date(2018, 10, 1), "CV")


def test_meeting_log_with_htmx_returns_the_section(client_a, duo):
    response = client_a.post(reverse("duos:meeting_create", args=[duo.pk]), MEETING, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="meetings"')
    assert "<html" not in content
    assert "Meeting of 01/10/2018 logged." in content
    assert '<div id="duo-status" hx-swap-oob="true">' in content  # the status badges follow
    assert Meeting.objects.filter(duo=duo).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2018-08-01"}, "date", "A meeting cannot be before the duo started (03/09/2018)."),
        ({"date": NEXT_YEAR}, "date", "A meeting cannot be in the future."),
        ({"duration_minutes": "0"}, "duration_minutes", "A meeting lasts from 1 to 480 minutes (8 hours)."),
        ({"date": ""}, "date", "This field is required."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_meeting_log_broken_rules(client_a, duo, data, field, message, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_a.post(reverse("duos:meeting_create", args=[duo.pk]), {**MEETING, **data}, **headers)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "CV</textarea>" in content  # input kept
    assert not Meeting.objects.exists()


def test_meeting_at_workplace_rule(client_a, partner_a):
    programme = ProgrammeFactory(partner=partner_a, name="Team4Job", meeting_place=MeetingPlaceRule.MENTOR_WORKPLACE)
    duo = DuoFactory(programme=programme)
    response = client_a.post(reverse("duos:meeting_create", args=[duo.pk]), {**MEETING, "place": "online"})
    assert "Team4Job meetings take place at the mentor&#x27;s workplace." in response.content.decode()
    assert not Meeting.objects.exists()
    # A cancelled meeting may be recorded wherever it was planned.
    response = client_a.post(
        reverse("duos:meeting_create", args=[duo.pk]), {**MEETING, "place": "online", "status": "cancelled"}
    )
    assert response.status_code == 302


def test_meeting_on_closed_duo_refused(client_a, programme):
    duo = DuoFactory(programme=programme, closed=True)
    response = client_a.post(reverse("duos:meeting_create", args=[duo.pk]), MEETING)
    assert response.status_code == 200
    assert "This duo is closed; it cannot take new meetings." in response.content.decode()
    assert not Meeting.objects.exists()


def test_meeting_update(client_a, duo):
    meeting = MeetingFactory(duo=duo, date=datetime.date(2018, 9, 10))
    response = client_a.post(
        reverse("duos:meeting_update", args=[meeting.pk]), {**MEETING, "status": MeetingStatus.CANCELLED}
    )
    assert response.status_code == 302
    assert response.url == duo.get_absolute_url() + "#meetings"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.date) == (MeetingStatus.CANCELLED, datetime.date(2018, 10, 1))


def test_meeting_update_future_date(client_a, duo):
    meeting = MeetingFactory(duo=duo, date=datetime.date(2018, 9, 10))
    response = client_a.post(reverse("duos:meeting_update", args=[meeting.pk]), {**MEETING, "date": NEXT_YEAR})
    assert response.status_code == 200
    assert form_errors(response) == {"date": ["A meeting cannot be in the future."]}
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2018, 9, 10)


def test_meeting_delete_asks_then_deletes(client_a, duo):
    meeting = MeetingFactory(duo=duo, date=datetime.date(2018, 9, 10))
    url = reverse("duos:meeting_delete", args=[meeting.pk])
    response = client_a.get(url)
    assert response.status_code == 200
    assert "This cannot be undone." in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    response = client_a.post(url)
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert success_messages(response) == ["Meeting deleted."]


# --- closing a duo -----------------------------------------------------------

CLOSE = {
    "end_date": "2019-03-01",
    "reason": "completed",
    "outcome_type": "job",
    "contract_type": "cdi",
    "outcome_start_date": "2019-03-04",
    "employer": "Brussels Airport",
    "source": "mentee",
}


def test_close_with_cdi(client_a, duo):
    response = client_a.post(reverse("duos:duo_close", args=[duo.pk]), CLOSE)
    assert response.status_code == 302
    assert response.url == duo.get_absolute_url()
    duo.refresh_from_db()
    assert (duo.status, duo.end_date, duo.closure_reason) == (DuoStatus.CLOSED, datetime.date(2019, 3, 1), "completed")
    outcome = Outcome.objects.get(duo=duo)
    assert (outcome.type, outcome.contract_type, outcome.employer) == ("job", "cdi", "Brussels Airport")
    assert success_messages(response) == [f"Duo {duo} closed."]


def test_close_with_training_drops_job_fields(client_a, duo):
    client_a.post(reverse("duos:duo_close", args=[duo.pk]), {**CLOSE, "outcome_type": "training"})
    outcome = Outcome.objects.get(duo=duo)
    assert (outcome.type, outcome.contract_type) == ("training", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"contract_type": ""}, "contract_type", "Choose the contract type of the job."),
        ({"contract_type": "cdd"}, "contract_months", "Give the contract length in months (only a CDI has none)."),
        ({"end_date": "2018-01-01"}, "end_date", "The end date cannot be before the duo started (03/09/2018)."),
        ({"end_date": NEXT_YEAR}, "end_date", "The end date cannot be in the future."),
        ({"end_date": "2018-09-05"}, "end_date", "A meeting is recorded on 20/09/2018, after this end date."),
        ({"reason": "bogus"}, "reason", "Select a valid choice."),
        (
            {"contract_months": "0", "contract_type": "cdd"},
            "contract_months",
            "A contract's length is from 1 to 60 months.",
        ),
    ],
)
def test_close_broken_rules(client_a, duo, data, field, message):
    MeetingFactory(duo=duo, date=datetime.date(2018, 9, 20))
    response = client_a.post(reverse("duos:duo_close", args=[duo.pk]), {**CLOSE, **data})
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(message in error for error in errors.get(field, [])), errors
    assert 'value="Brussels Airport"' in response.content.decode()  # input kept
    duo.refresh_from_db()
    assert duo.status == DuoStatus.ACTIVE
    assert not Outcome.objects.exists()


def test_close_already_closed(client_a, programme):
    duo = DuoFactory(programme=programme, closed=True)
    response = client_a.post(reverse("duos:duo_close", args=[duo.pk]), CLOSE)
    assert response.status_code == 200
    assert "This duo is already closed." in response.content.decode()
    assert not Outcome.objects.exists()
