"""The bounds as a coordinator meets them in the forms: a form error in the
page (never a server error), the input kept, nothing written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duos.models import Duo, Meeting, Mentee, Outcome
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MeetingFactory, MenteeFactory, MentorFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

MEETING = {"date": "2018-10-01", "duration_minutes": "60", "place": "online", "status": "held", "note": "CV"}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


@pytest.fixture
def duo(partner_a):
    return DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=datetime.date(2018, 9, 3))


def form_errors(response, form="form"):
    return {field: [str(e) for e in errors] for field, errors in response.context[form].errors.items()}


def test_duo_starting_in_year_9999_is_a_form_error(client_a, partner_a):
    programme = ProgrammeFactory(partner=partner_a)
    data = {
        "programme": programme.pk,
        "mentor": MentorFactory(partner=partner_a).pk,
        "mentee": MenteeFactory(partner=partner_a).pk,
        "start_date": "9999-07-01",
    }
    response = client_a.post(reverse("duos:duo_create"), data)
    assert response.status_code == 200
    assert form_errors(response) == {"start_date": ["Enter a date from 01/01/2000 to 31/12/2099."]}
    assert not Duo.objects.exists()


def test_duo_starting_next_year_is_refused_and_the_form_says_the_rule(client_a, partner_a):
    programme = ProgrammeFactory(partner=partner_a)
    response = client_a.get(reverse("duos:duo_create"))
    assert "A duo is recorded at most 31 days before it starts." in response.content.decode()
    next_year = timezone.localdate() + datetime.timedelta(days=365)
    data = {
        "programme": programme.pk,
        "mentor": MentorFactory(partner=partner_a).pk,
        "mentee": MenteeFactory(partner=partner_a).pk,
        "start_date": next_year.isoformat(),
    }
    response = client_a.post(reverse("duos:duo_create"), data)
    assert response.status_code == 200
    assert "A duo is recorded at most 31 days before it starts" in form_errors(response)["start_date"][0]
    assert not Duo.objects.exists()


def test_duo_starting_soon_shows_when_it_starts(client_a, duo):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    later = DuoFactory(programme=duo.programme, start_date=soon)
    response = client_a.get(later.get_absolute_url())
    assert f"Starts on {soon:%d/%m/%Y}" in response.content.decode()
    assert "Starts on" in client_a.get(reverse("duos:duo_list")).content.decode()


def test_planned_end_in_year_9999_is_a_form_error(client_a, duo):
    response = client_a.post(reverse("duos:duo_update", args=[duo.pk]), {"planned_end_date": "9999-12-31"})
    assert response.status_code == 200
    assert form_errors(response) == {"planned_end_date": ["Enter a date from 01/01/2000 to 31/12/2099."]}
    duo.refresh_from_db()
    assert duo.planned_end_date == datetime.date(2019, 3, 3)


@pytest.mark.parametrize("htmx", [False, True])
def test_meeting_of_99999999999_minutes(client_a, duo, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("duos:meeting_create", args=[duo.pk])
    response = client_a.post(url, {**MEETING, "duration_minutes": "99999999999"}, **headers)
    assert response.status_code == 200
    assert "A meeting lasts from 1 to 480 minutes (8 hours)." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_second_meeting_on_a_day_asks_then_counts_once(client_a, duo, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    MeetingFactory(duo=duo, date=datetime.date(2018, 10, 1))
    url = reverse("duos:meeting_create", args=[duo.pk])
    response = client_a.post(url, MEETING, **headers)
    content = response.content.decode()
    assert response.status_code == 200
    assert "This duo already has a meeting on 01/10/2018." in content
    assert 'type="checkbox" name="confirm_same_day"' in content
    assert Meeting.objects.count() == 1
    response = client_a.post(url, {**MEETING, "confirm_same_day": "on"}, **headers)
    assert response.status_code == (200 if htmx else 302)
    assert Meeting.objects.count() == 2


def test_meeting_form_hides_the_confirmation_until_needed(client_a, duo):
    content = client_a.get(duo.get_absolute_url()).content.decode()
    assert 'type="hidden" name="confirm_same_day"' in content
    assert 'type="checkbox" name="confirm_same_day"' not in content


def test_long_notes_wrap_on_screen(client_a, duo):
    MeetingFactory(duo=duo, note="x" * 2000)
    content = client_a.get(duo.get_absolute_url()).content.decode()
    assert f'<div class="small text-break">{"x" * 2000}</div>' in content


def test_close_form_preselects_no_reason_and_no_outcome(client_a, duo):
    response = client_a.get(reverse("duos:duo_close", args=[duo.pk]))
    form = response.context["form"]
    assert form["reason"].value() is None and form["outcome_type"].value() is None
    content = response.content.decode()
    assert '<option value="" selected>---------</option>' in content
    response = client_a.post(
        reverse("duos:duo_close", args=[duo.pk]), {"end_date": "2019-03-01", "reason": "completed", "source": "mentee"}
    )
    assert form_errors(response) == {"outcome_type": ["This field is required."]}
    assert not Outcome.objects.exists()


def test_close_with_a_cdd_of_5000_months(client_a, duo):
    data = {
        "end_date": "2019-03-01",
        "reason": "completed",
        "outcome_type": "job",
        "contract_type": "cdd",
        "contract_months": "5000",
        "source": "mentee",
    }
    response = client_a.post(reverse("duos:duo_close", args=[duo.pk]), data)
    assert form_errors(response) == {"contract_months": ["A contract's length is from 1 to 60 months."]}
    assert not Outcome.objects.exists()


def test_closure_date_in_year_9999(client_a, duo):
    data = {"end_date": "9999-07-01", "reason": "completed", "outcome_type": "none", "source": "mentee"}
    response = client_a.post(reverse("duos:duo_close", args=[duo.pk]), data)
    assert response.status_code == 200
    assert form_errors(response) == {"end_date": ["Enter a date from 01/01/2000 to 31/12/2099."]}


def test_jobseeker_number_format_in_the_form(client_a):
    response = client_a.get(reverse("duos:mentee_create"))
    assert "5 to 12 digits, without spaces or other signs" in response.content.decode()  # the help text
    data = {
        "first_name": "A",
        "last_name": "B",
        "jobseeker_number": "abc-!!",
        "birth_date": "1998-01-20",
        "gender": "f",
    }
    response = client_a.post(reverse("duos:mentee_create"), data)
    assert form_errors(response) == {
        "jobseeker_number": ["Enter the job-seeker number as 5 to 12 digits, without spaces or other signs."]
    }
    assert not Mentee.objects.exists()


def test_mentor_born_next_year_in_the_form(client_a):
    next_year = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    response = client_a.post(
        reverse("duos:mentor_create"), {"first_name": "A", "last_name": "B", "birth_date": next_year}
    )
    assert form_errors(response) == {"birth_date": ["A birth date cannot be in the future."]}
