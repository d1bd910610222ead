"""The suggestions page and the waiting list, as a coordinator uses them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duos.models import Duo, DuoStatus
from matching.models import MatchChoice, MatchingWeights
from matching.selectors import waiting_mentees
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MenteeFactory, MentorFactory, ProgrammeFactory, UserFactory

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def programme(partner_a):
    return ProgrammeFactory(partner=partner_a, name="DUO Brussels", max_active_duos_per_mentor=2, mentor_min_age=50)


@pytest.fixture
def mentee(partner_a):
    return MenteeFactory(
        partner=partner_a,
        spoken_languages=["fr", "ar"],
        sector="it",
        commune="1050",
        registered_on=TODAY() - datetime.timedelta(days=30),
    )


def years_ago(years):
    return TODAY().replace(year=TODAY().year - years) - datetime.timedelta(days=1)


def suggested(response):
    return [s.mentor.pk for s in response.context["suggestions"].ranked]


def test_suggestions_rank_by_the_score_and_show_each_part(client, coordinator_a, partner_a, programme, mentee):
    best = MentorFactory(
        partner=partner_a, birth_date=years_ago(60), spoken_languages=["fr", "ar"], sector="it", commune="1050"
    )
    second = MentorFactory(partner=partner_a, birth_date=years_ago(55), spoken_languages=["fr"], commune="1000")
    young = MentorFactory(partner=partner_a, birth_date=years_ago(40), spoken_languages=["fr", "ar"], sector="it")
    busy = MentorFactory(partner=partner_a, birth_date=years_ago(62), spoken_languages=["fr", "ar"], sector="it")
    DuoFactory.create_batch(2, programme=programme, mentor=busy, start_date=TODAY() - datetime.timedelta(days=20))
    other_partner = MentorFactory(birth_date=years_ago(60), spoken_languages=["fr", "ar"], sector="it")
    client.force_login(coordinator_a)

    response = client.get(reverse("matching:suggestions", args=[mentee.pk]))

    assert response.status_code == 200
    # The programme's rules first: too young (under 50), full (2 active duos
    # of 2), another partner's mentor are not suggested.
    assert suggested(response) == [best.pk, second.pk]
    assert young.pk not in suggested(response) and busy.pk not in suggested(response)
    assert other_partner.pk not in suggested(response)
    html = response.content.decode()
    for label in ("Languages in common", "Sector", "Distance", "Free capacity", "Mentor&#x27;s wait"):
        assert label in html
    assert html.count('data-part="distance"') == 2
    first = response.context["suggestions"].ranked[0]
    # 30 + 25 + 20 (same commune) + 10 (2 of 2 places free) + wait since created today: 0.
    assert first.score == 85


def test_choosing_starts_the_duo_and_records_the_choice(client, coordinator_a, partner_a, programme, mentee):
    best = MentorFactory(partner=partner_a, birth_date=years_ago(60), spoken_languages=["fr", "ar"], sector="it")
    chosen = MentorFactory(partner=partner_a, birth_date=years_ago(60), spoken_languages=["fr"])
    client.force_login(coordinator_a)
    url = reverse("matching:suggestions", args=[mentee.pk])

    response = client.post(url, {"programme": programme.pk, "mentor": chosen.pk, "start_date": TODAY().isoformat()})

    duo = Duo.objects.get(mentee=mentee)
    assert response.status_code == 302 and response.url == duo.get_absolute_url()
    assert (duo.mentor, duo.programme, duo.status) == (chosen, programme, DuoStatus.ACTIVE)
    choice = MatchChoice.objects.get()
    assert (choice.duo, choice.rank, choice.candidates, choice.chosen_by) == (duo, 2, 2, coordinator_a)
    assert choice.parts["languages"] == {"fraction": 0.5, "weight": 30, "points": "15.0", "value": ["fr"]}
    assert choice.score == 25  # 15 for French + 10 free capacity
    assert choice.mentee_waiting_days == 30
    assert best.pk != chosen.pk


def test_a_duo_rule_broken_at_choice_is_shown_and_nothing_is_written(
    client, coordinator_a, partner_a, programme, mentee
):
    mentor = MentorFactory(partner=partner_a, birth_date=years_ago(60))
    client.force_login(coordinator_a)
    too_late = TODAY() + datetime.timedelta(days=400)
    response = client.post(
        reverse("matching:suggestions", args=[mentee.pk]),
        {"programme": programme.pk, "mentor": mentor.pk, "start_date": too_late.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Duo.objects.exists() and not MatchChoice.objects.exists()


def test_weights_are_the_programmes(client, coordinator_a, partner_a, programme, mentee):
    MatchingWeights.objects.create(programme=programme, languages=0, sector=0, distance=0, capacity=0, waiting=0)
    MentorFactory(partner=partner_a, birth_date=years_ago(60), spoken_languages=["fr", "ar"], sector="it")
    client.force_login(coordinator_a)
    response = client.get(reverse("matching:suggestions", args=[mentee.pk]))
    assert response.context["suggestions"].ranked[0].score == 0


def test_a_mentee_who_does_not_fit_the_programme_gets_the_reasons(client, coordinator_a, partner_a, mentee):
    ProgrammeFactory(partner=partner_a, mentee_max_age=25)
    MentorFactory(partner=partner_a)
    client.force_login(coordinator_a)
    response = client.get(reverse("matching:suggestions", args=[mentee.pk]))
    assert response.context["suggestions"].ranked == []
    assert "takes mentees up to 25" in response.content.decode()


def test_another_partners_mentee_is_a_404_and_actiris_reads_without_choosing(
    client, coordinator_b, partner_a, programme, mentee
):
    mentor = MentorFactory(partner=partner_a, birth_date=years_ago(60))
    url = reverse("matching:suggestions", args=[mentee.pk])
    client.force_login(coordinator_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"mentor": mentor.pk, "start_date": TODAY().isoformat()}).status_code == 404
    assert mentee.pk not in [m.pk for m in client.get(reverse("matching:waiting_list")).context["object_list"]]

    client.force_login(UserFactory(role="staff"))
    assert client.get(url).status_code == 200
    assert client.post(url, {"mentor": mentor.pk, "start_date": TODAY().isoformat()}).status_code == 403
    assert not Duo.objects.exists()


def test_the_waiting_list_definition_and_order(coordinator_a, partner_a, programme):
    old = MenteeFactory(partner=partner_a, registered_on=datetime.date(2025, 1, 5))
    recent = MenteeFactory(partner=partner_a, registered_on=datetime.date(2026, 1, 5))
    cancelled_only = MenteeFactory(partner=partner_a, registered_on=datetime.date(2025, 6, 1))
    DuoFactory(programme=programme, mentee=cancelled_only, status=DuoStatus.CANCELLED)
    in_duo = MenteeFactory(partner=partner_a, registered_on=datetime.date(2024, 1, 1))
    DuoFactory(programme=programme, mentee=in_duo)
    ended = MenteeFactory(partner=partner_a, registered_on=datetime.date(2024, 1, 1))
    DuoFactory(programme=programme, mentee=ended, closed=True)
    MenteeFactory(registered_on=datetime.date(2020, 1, 1))  # another partner's

    assert list(waiting_mentees(coordinator_a)) == [old, cancelled_only, recent]


def test_the_waiting_list_page_has_a_constant_number_of_queries(
    client, coordinator_a, partner_a, django_assert_max_num_queries
):
    client.force_login(coordinator_a)
    url = reverse("matching:waiting_list")
    MenteeFactory.create_batch(2, partner=partner_a)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    MenteeFactory.create_batch(20, partner=partner_a, spoken_languages=["fr"], commune="1000")
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 22
    assert reverse("matching:suggestions", args=[response.context["object_list"][0].pk]) in response.content.decode()


def test_the_suggestions_page_has_a_constant_number_of_queries(
    client, coordinator_a, partner_a, programme, mentee, django_assert_max_num_queries
):
    client.force_login(coordinator_a)
    url = reverse("matching:suggestions", args=[mentee.pk])
    MentorFactory(partner=partner_a, birth_date=years_ago(60))
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for mentor in MentorFactory.create_batch(20, partner=partner_a, birth_date=years_ago(60)):
        DuoFactory(programme=programme, mentor=mentor, closed=True, start_date=datetime.date(2024, 1, 1))
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["suggestions"].ranked) == 21
