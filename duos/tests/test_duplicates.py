"""Duplicates: a new mentor or mentee who looks like one the partner already
recorded is flagged before saving (a confirmation, with links to the records),
and Actiris sees the job seekers enrolled at two partners at once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from duos import services
from duos.enrolments import double_enrolments
from duos.models import Duo, DuoStatus, Mentee, Mentor
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MenteeFactory, MentorFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1990, 4, 2)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


def mentee_data(**overrides):
    data = {
        "first_name": "Zoe",
        "last_name": "LIEGEOIS",
        "jobseeker_number": "81234567",
        "birth_date": BIRTH.isoformat(),
        "gender": "f",
    }
    return {**data, **overrides}


def mentor_data(**overrides):
    return {"first_name": "Helene", "last_name": "Muller", "birth_date": "1965-01-02", "gender": "f", **overrides}


class TestWithinAPartner:
    def test_same_name_and_birth_date_asks_for_confirmation(self, client_a, partner_a):
        existing = MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois", birth_date=BIRTH)
        url = reverse("duos:mentee_create")

        response = client_a.post(url, mentee_data())
        assert response.status_code == 200
        assert Mentee.objects.count() == 1
        form = response.context["form"]
        assert form.asks_duplicate_confirmation
        assert response.context["duplicates"] == [existing]
        content = response.content.decode()
        assert existing.get_absolute_url() in content
        assert 'name="confirm_duplicate"' in content and 'type="checkbox"' in content

        response = client_a.post(url, mentee_data(confirm_duplicate="on"))
        assert response.status_code == 302
        assert Mentee.objects.count() == 2

    def test_another_birth_date_is_another_person(self, client_a, partner_a):
        MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois", birth_date=BIRTH)
        response = client_a.post(reverse("duos:mentee_create"), mentee_data(birth_date="1991-04-02"))
        assert response.status_code == 302

    def test_same_jobseeker_number_links_to_the_record(self, client_a, partner_a):
        existing = MenteeFactory(partner=partner_a, jobseeker_number="81234567", birth_date=datetime.date(1980, 1, 1))
        response = client_a.post(reverse("duos:mentee_create"), mentee_data())
        assert response.status_code == 200
        assert response.context["form"].has_error("jobseeker_number")
        assert response.context["duplicates"] == [existing]
        assert existing.get_absolute_url() in response.content.decode()

    def test_mentor_same_name_and_birth_date(self, client_a, partner_a):
        existing = MentorFactory(
            partner=partner_a, first_name="Hélène", last_name="Müller", birth_date=datetime.date(1965, 1, 2)
        )
        url = reverse("duos:mentor_create")
        response = client_a.post(url, mentor_data())
        assert response.status_code == 200
        assert response.context["duplicates"] == [existing]
        assert client_a.post(url, mentor_data(confirm_duplicate="on")).status_code == 302
        assert Mentor.objects.count() == 2

    def test_editing_a_person_asks_nothing(self, client_a, partner_a):
        MentorFactory(partner=partner_a, first_name="Hélène", last_name="Müller", birth_date=datetime.date(1965, 1, 2))
        other = MentorFactory(partner=partner_a, first_name="Jan", last_name="Peeters")
        response = client_a.get(reverse("duos:mentor_update", args=[other.pk]))
        assert "confirm_duplicate" not in response.context["form"].fields

    def test_another_partners_people_are_never_flagged(self, client_a, partner_b):
        MenteeFactory(partner=partner_b, first_name="Zoé", last_name="Liégeois", birth_date=BIRTH)
        MenteeFactory(partner=partner_b, jobseeker_number="81234567")
        response = client_a.post(reverse("duos:mentee_create"), mentee_data())
        assert response.status_code == 302
        MentorFactory(partner=partner_b, first_name="Helene", last_name="Muller", birth_date=datetime.date(1965, 1, 2))
        assert client_a.post(reverse("duos:mentor_create"), mentor_data()).status_code == 302

    def test_the_service_refuses_until_confirmed(self, partner_a):
        MentorFactory(partner=partner_a, first_name="Hélène", last_name="Müller", birth_date=datetime.date(1965, 1, 2))
        mentor = Mentor(
            partner=partner_a, first_name="HELENE", last_name="muller", birth_date=datetime.date(1965, 1, 2)
        )
        with pytest.raises(ValidationError) as error:
            services.mentor_save(mentor=mentor, confirm_duplicate=False)
        assert error.value.code == services.DUPLICATE_CODE
        assert mentor.pk is None
        services.mentor_save(mentor=mentor, confirm_duplicate=True)
        assert mentor.pk is not None


@pytest.fixture
def enrolled_twice(partner_a, partner_b):
    """A job seeker (number 81234567) in a duo of each partner, overlapping."""
    duo_a = DuoFactory(
        programme=ProgrammeFactory(partner=partner_a),
        mentee=MenteeFactory(partner=partner_a, jobseeker_number="81234567", last_name="Secret-A"),
        start_date=datetime.date(2024, 1, 10),
    )
    duo_b = DuoFactory(
        programme=ProgrammeFactory(partner=partner_b),
        mentee=MenteeFactory(partner=partner_b, jobseeker_number="81234567", last_name="Secret-B"),
        start_date=datetime.date(2024, 3, 1),
    )
    return duo_a, duo_b


class TestDoubleEnrolments:
    def test_overlapping_duos_of_two_partners(self, enrolled_twice):
        assert set(double_enrolments(Duo.objects.all())) == set(enrolled_twice)

    def test_no_overlap_no_row(self, enrolled_twice):
        duo_a, duo_b = enrolled_twice
        Duo.objects.filter(pk=duo_a.pk).update(
            status=DuoStatus.CLOSED, end_date=duo_b.start_date, closure_reason="completed"
        )  # ends the day the other starts: not at once
        assert list(double_enrolments(Duo.objects.all())) == []

    def test_cancelled_duos_do_not_count(self, enrolled_twice):
        Duo.objects.filter(pk=enrolled_twice[1].pk).update(status=DuoStatus.CANCELLED)
        assert list(double_enrolments(Duo.objects.all())) == []

    def test_two_duos_of_one_partner_are_not_a_double_enrolment(self, partner_a):
        programme = ProgrammeFactory(partner=partner_a)
        mentee = MenteeFactory(partner=partner_a)
        DuoFactory(programme=programme, mentee=mentee, start_date=datetime.date(2024, 1, 1))
        DuoFactory(programme=programme, mentor=MentorFactory(partner=partner_a), mentee=mentee, status="cancelled")
        assert list(double_enrolments(Duo.objects.all())) == []

    @pytest.mark.parametrize("persona", ["staff_user", "manager_user"])
    def test_actiris_sees_the_list(self, client, request, persona, enrolled_twice):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(reverse("duos:double_enrolment_list"))
        assert response.status_code == 200
        assert set(response.context["object_list"]) == set(enrolled_twice)
        assert reverse("duos:double_enrolment_list") in response.content.decode()  # in the navigation

    def test_coordinators_get_403_and_no_link(self, client_a, enrolled_twice):
        response = client_a.get(reverse("duos:double_enrolment_list"))
        assert response.status_code == 403
        assert b"Secret-B" not in response.content
        home = client_a.get(reverse("duos:duo_list"))
        assert reverse("duos:double_enrolment_list") not in home.content.decode()

    def test_anonymous_goes_to_sign_in(self, client):
        response = client.get(reverse("duos:double_enrolment_list"))
        assert response.status_code == 302

    def test_constant_queries(self, client, staff_user, partner_a, partner_b, django_assert_max_num_queries):
        programme_a, programme_b = ProgrammeFactory(partner=partner_a), ProgrammeFactory(partner=partner_b)

        def add_pairs(first, count):
            for index in range(first, first + count):
                number = f"7{index:07d}"
                DuoFactory(programme=programme_a, mentee=MenteeFactory(partner=partner_a, jobseeker_number=number))
                DuoFactory(programme=programme_b, mentee=MenteeFactory(partner=partner_b, jobseeker_number=number))

        client.force_login(staff_user)
        url = reverse("duos:double_enrolment_list")
        add_pairs(0, 1)
        with django_assert_max_num_queries(20) as one:
            client.get(url)
        add_pairs(1, 5)
        with django_assert_max_num_queries(len(one.captured_queries)):
            response = client.get(url)
        assert len(response.context["object_list"]) == 12
