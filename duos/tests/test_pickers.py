"""The duo form's pickers offer only available people, find them as the
coordinator types, and never show another partner's people."""

import datetime

import pytest
from django.urls import reverse

from duos.models import Duo, MigrationBackground
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


@pytest.fixture
def programme(partner_a):
    return ProgrammeFactory(partner=partner_a, max_active_duos_per_mentor=1, mentee_max_age=30)


def options(response):
    return [value for value, _label in response.context["options"]]


def picker(client, kind, **params):
    return client.get(reverse("duos:picker", args=[kind]), params)


def test_mentees_available_for_the_programme(client_a, partner_a, partner_b, programme):
    today = datetime.date.today()
    free = MenteeFactory(partner=partner_a, last_name="Liégeois", birth_date=today.replace(year=today.year - 25))
    busy = MenteeFactory(partner=partner_a, last_name="Liégeois", birth_date=today.replace(year=today.year - 25))
    DuoFactory(programme=programme, mentee=busy)
    too_old = MenteeFactory(partner=partner_a, last_name="Liégeois", birth_date=today.replace(year=today.year - 40))
    MenteeFactory(partner=partner_b, last_name="Liégeois", birth_date=today.replace(year=today.year - 25))
    found = options(picker(client_a, "mentee", programme=programme.pk, q="liegeois"))
    assert found == [free.pk]
    assert too_old.pk in options(picker(client_a, "mentee", q="liegeois"))  # no programme: no age rule


def test_migration_background_required(client_a, partner_a):
    programme = ProgrammeFactory(partner=partner_a, migration_background_required=True)
    with_background = MenteeFactory(partner=partner_a)
    MigrationBackground.objects.create(mentee=with_background, has_migration_background=True)
    MenteeFactory(partner=partner_a)
    assert options(picker(client_a, "mentee", programme=programme.pk)) == [with_background.pk]


def test_mentors_below_capacity(client_a, partner_a, programme):
    full = MentorFactory(partner=partner_a, last_name="Aaa")
    DuoFactory(programme=programme, mentor=full)
    free = MentorFactory(partner=partner_a, last_name="Bbb")
    roomy = ProgrammeFactory(partner=partner_a, max_active_duos_per_mentor=2)
    assert options(picker(client_a, "mentor", programme=programme.pk)) == [free.pk]
    assert options(picker(client_a, "mentor", programme=roomy.pk)) == [full.pk, free.pk]


def test_labels_tell_namesakes_apart(client_a, partner_a):
    MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois", birth_date=datetime.date(1990, 1, 1))
    MenteeFactory(
        partner=partner_a,
        first_name="Zoé",
        last_name="Liégeois",
        birth_date=datetime.date(1992, 1, 1),
        jobseeker_number="81234567",
    )
    response = picker(client_a, "mentee", q="zoe liegeois")
    labels = [label for _value, label in response.context["options"]]
    assert len(set(labels)) == 2
    assert any("1992" in label and "81234567" in label for label in labels)
    assert b'hx-swap-oob="innerHTML:#mentee-picker-status"' in response.content


def test_another_partners_programme_is_ignored(client_a, partner_b):
    foreign = ProgrammeFactory(partner=partner_b)
    MenteeFactory(partner=partner_b)
    assert options(picker(client_a, "mentee", programme=foreign.pk)) == []


def test_unknown_kind_and_anonymous(client, client_a):
    assert picker(client_a, "partner").status_code == 404
    client.logout()
    assert picker(client, "mentee").status_code == 302


def test_duo_form_lists_available_people_and_keeps_the_rules(client_a, partner_a, programme):
    busy = MenteeFactory(partner=partner_a)
    DuoFactory(programme=programme, mentee=busy)
    free = MenteeFactory(partner=partner_a, birth_date=datetime.date.today().replace(year=2000))
    mentor = MentorFactory(partner=partner_a)
    url = reverse("duos:duo_create")
    response = client_a.get(url, {"programme": programme.pk})
    choices = [value for value, _label in response.context["form"].fields["mentee"].widget.choices]
    assert free.pk in choices and busy.pk not in choices
    content = response.content.decode()
    assert 'for="mentee-picker-search"' in content and 'aria-controls="id_mentee"' in content
    # The picker is a convenience: a busy mentee posted anyway is refused by the service, in words.
    data = {"programme": programme.pk, "mentor": mentor.pk, "mentee": busy.pk, "start_date": datetime.date.today()}
    response = client_a.post(url, data)
    assert response.status_code == 200
    assert "already has an active duo" in str(response.context["form"].errors["mentee"])
    assert Duo.objects.filter(mentee=busy).count() == 1


def test_admin_autocomplete_finds_people_without_accents(client, admin_user_, partner_a):
    mentee = MenteeFactory(partner=partner_a, first_name="Zoé", last_name="Liégeois")
    MenteeFactory(partner=partner_a, first_name="Amina", last_name="Benali")
    client.force_login(admin_user_)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "duos", "model_name": "duo", "field_name": "mentee", "term": "liegeois"},
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(mentee.pk)]


@pytest.mark.parametrize("start_date", ["0001-01-01", "0002-11-29", "9999-12-31", "garbage"])
def test_a_half_typed_or_impossible_start_date_is_ignored(client_a, partner_a, programme, start_date):
    """The browser sends each half-typed year while the coordinator types it."""
    mentee = MenteeFactory(partner=partner_a, birth_date=datetime.date(2000, 1, 1))
    response = picker(client_a, "mentee", programme=programme.pk, start_date=start_date)
    assert response.status_code == 200
    assert mentee.pk in options(response)


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "99999999999999999999999"])
def test_ids_that_are_no_ids_are_ignored(client_a, partner_a, programme, value):
    """str.isdigit() is true of '²' and '٣'; a long number overflows a key."""
    assert picker(client_a, "mentee", programme=value).status_code == 200
    assert picker(client_a, "mentee", programme=programme.pk, chosen=value).status_code == 200
    assert client_a.get(reverse("duos:duo_create"), {"mentee": value, "mentor": value}).status_code == 200
