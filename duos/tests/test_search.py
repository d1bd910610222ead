"""Searching people and duos without regard to accents or case, on PostgreSQL
and on SQLite alike (``duos.search``)."""

import pytest
from django.db import connection
from django.urls import reverse

from duos.models import Mentee, Mentor
from duos.search import mentees_matching, mentors_matching, normalise
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MenteeFactory, MentorFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


def listed(response):
    return [obj.pk for obj in response.context["object_list"]]


def test_normalise_drops_accents_case_and_ligatures():
    assert normalise("Élodie LIÉGEOIS") == "elodie liegeois"
    assert normalise("Cœur Straße Øster Łukasz Ñúñez") == "coeur strasse oster lukasz nunez"
    assert normalise(None) is None


@pytest.mark.parametrize("typed", ["Liegeois", "liegeois", "LIEGEOIS", "Liégeois", "liégEOIS", "geo"])
def test_mentee_found_without_accents(partner_a, typed):
    found = MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois")
    MenteeFactory(partner=partner_a, first_name="Amina", last_name="Benali")
    assert list(mentees_matching(Mentee.objects.all(), typed)) == [found]


def test_the_database_normalises_like_python(partner_a):
    """The SQL function (PostgreSQL's unaccent, SQLite's registered function)
    agrees with ``normalise`` on the accents of Brussels' names."""
    name = "Çelik Hélène Gülşen Nguyễn Đặng Ørsted Œuvray"
    MenteeFactory(partner=partner_a, first_name="X", last_name=name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT mentoring_search_text(last_name) FROM duos_mentee")
        assert cursor.fetchone()[0] == normalise(name)


def test_every_word_must_match_the_same_person(partner_a):
    zoe = MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois")
    MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Benali")
    assert list(mentees_matching(Mentee.objects.all(), "zoe liegeois")) == [zoe]
    assert set(mentees_matching(Mentee.objects.all(), "ZOE")) == set(Mentee.objects.all())


def test_jobseeker_number_matches_exactly(partner_a):
    mentee = MenteeFactory(partner=partner_a, jobseeker_number="71234567")
    MenteeFactory(partner=partner_a, jobseeker_number="71234568")
    assert list(mentees_matching(Mentee.objects.all(), "71234567")) == [mentee]
    assert list(mentees_matching(Mentee.objects.all(), "7123456")) == []


def test_like_wildcards_are_plain_characters(partner_a):
    MenteeFactory(partner=partner_a, first_name="Amina", last_name="Benali")
    assert list(mentees_matching(Mentee.objects.all(), "%")) == []
    assert list(mentees_matching(Mentee.objects.all(), "_")) == []


def test_mentor_found_by_name_or_employer_without_accents(partner_a):
    mentor = MentorFactory(partner=partner_a, first_name="François", last_name="Dubois", employer="Société Générale")
    MentorFactory(partner=partner_a, first_name="Jan", last_name="Peeters", employer="Proximus")
    assert list(mentors_matching(Mentor.objects.all(), "francois")) == [mentor]
    assert list(mentors_matching(Mentor.objects.all(), "societe")) == [mentor]


class TestListPages:
    def test_mentee_list(self, client_a, partner_a):
        mentee = MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois")
        MenteeFactory(partner=partner_a, first_name="Amina", last_name="Benali")
        assert listed(client_a.get(reverse("duos:mentee_list"), {"q": "Liegeois"})) == [mentee.pk]

    def test_mentor_list(self, client_a, partner_a):
        mentor = MentorFactory(partner=partner_a, first_name="Hélène", last_name="Müller")
        MentorFactory(partner=partner_a, first_name="Jan", last_name="Peeters")
        assert listed(client_a.get(reverse("duos:mentor_list"), {"q": "helene muller"})) == [mentor.pk]

    def test_duo_list_by_mentee_or_mentor(self, client_a, partner_a):
        programme = ProgrammeFactory(partner=partner_a)
        by_mentee = DuoFactory(
            programme=programme, mentee=MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois")
        )
        by_mentor = DuoFactory(
            programme=programme, mentor=MentorFactory(partner=partner_a, first_name="Noël", last_name="Liégeois")
        )
        DuoFactory(programme=programme)
        url = reverse("duos:duo_list")
        assert set(listed(client_a.get(url, {"q": "LIEGEOIS"}))) == {by_mentee.pk, by_mentor.pk}
        assert listed(client_a.get(url, {"q": "noel liegeois"})) == [by_mentor.pk]
        assert listed(client_a.get(url, {"q": by_mentee.mentee.jobseeker_number})) == [by_mentee.pk]

    def test_search_stays_within_the_partner(self, client_a, partner_a, partner_b):
        MenteeFactory(partner=partner_b, first_name="Zoé", last_name="Liégeois")
        DuoFactory(
            programme=ProgrammeFactory(partner=partner_b),
            mentee=MenteeFactory(partner=partner_b, first_name="Léa", last_name="Liégeois"),
        )
        assert listed(client_a.get(reverse("duos:mentee_list"), {"q": "liegeois"})) == []
        assert listed(client_a.get(reverse("duos:duo_list"), {"q": "liegeois"})) == []


def test_searched_duo_list_has_constant_queries(client_a, partner_a, django_assert_max_num_queries):
    programme = ProgrammeFactory(partner=partner_a)
    url = reverse("duos:duo_list")
    DuoFactory(programme=programme, mentee=MenteeFactory(partner=partner_a, last_name="Liégeois"))
    with django_assert_max_num_queries(20) as one:
        client_a.get(url, {"q": "liegeois"})
    for _ in range(5):
        DuoFactory(programme=programme, mentee=MenteeFactory(partner=partner_a, last_name="Liégeois"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(listed(client_a.get(url, {"q": "liegeois"}))) == 6


@pytest.mark.parametrize("ids_max", [300, 0])
def test_a_word_that_finds_many_people_finds_the_same_duos(client_a, partner_a, partner_b, ids_max, monkeypatch):
    """Past ``PEOPLE_IDS_MAX`` people found, the duo list is searched through
    a union of two queries instead of id lists: the same duos either way
    (``ids_max`` 0 takes that path with a handful of people), the partner's
    only, each once even when its mentee and its mentor are both found."""
    import duos.search

    monkeypatch.setattr(duos.search, "PEOPLE_IDS_MAX", ids_max)
    programme = ProgrammeFactory(partner=partner_a)
    both = DuoFactory(
        programme=programme,
        mentee=MenteeFactory(partner=partner_a, last_name="Dubois"),
        mentor=MentorFactory(partner=partner_a, last_name="Dubois"),
    )
    by_mentee = DuoFactory(programme=programme, mentee=MenteeFactory(partner=partner_a, first_name="Éric"))
    by_employer = DuoFactory(programme=programme, mentor=MentorFactory(partner=partner_a, employer="Dubois SA"))
    DuoFactory(
        programme=programme,
        mentee=MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Peeters"),
        mentor=MentorFactory(partner=partner_a, first_name="Jan", last_name="Peeters", employer="STIB"),
    )
    DuoFactory(
        programme=ProgrammeFactory(partner=partner_b),
        mentee=MenteeFactory(partner=partner_b, last_name="Dubois"),
    )
    url = reverse("duos:duo_list")
    assert sorted(listed(client_a.get(url, {"q": "dubois"}))) == sorted([both.pk, by_employer.pk])
    assert listed(client_a.get(url, {"q": "eric"})) == [by_mentee.pk]
    assert client_a.get(url, {"q": "DUBOIS"}).context["page_obj"].paginator.count == 2
