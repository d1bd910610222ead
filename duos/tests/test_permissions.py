"""Partner isolation: coordinator A can neither read, change, delete nor
attach through a form any record of partner B (GET and POST); migration
background only where the policy allows, and never in a list."""

import pytest
from django.urls import reverse

from duos.models import Duo, DuoStatus, Meeting, Mentee, Mentor, MigrationBackground
from programmes.models import Programme
from programmes.tests.world import build_world, use_fast_password_hasher
from tests.factories import DuoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def world(partner_a, partner_b):
    return build_world(partner_a, partner_b)


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


def test_lists_show_only_own_partner(client_a, world):
    for name, own, foreign in [
        ("duos:duo_list", world.duo_a, world.duo_b),
        ("duos:mentor_list", world.mentor_a, world.mentor_b),
        ("duos:mentee_list", world.mentee_a, world.mentee_b),
        ("programmes:programme_list", world.programme_a, world.programme_b),
        ("programmes:convention_list", world.convention_a, world.convention_b),
    ]:
        objects = list(client_a.get(reverse(name)).context["object_list"])
        assert own in objects, name
        assert foreign not in objects, name


def test_search_does_not_reach_other_partner(client_a, world):
    response = client_a.get(reverse("duos:mentee_list"), {"q": world.mentee_b.jobseeker_number})
    assert list(response.context["object_list"]) == []


def test_filter_choices_limited_to_visible(client_a, world):
    response = client_a.get(reverse("duos:duo_list"))
    programmes = list(response.context["filter"].form.fields["programme"].queryset)
    assert programmes == [world.programme_a]
    assert "partner" not in response.context["filter"].form.fields
    # A foreign programme id in the query string is an invalid filter: no rows at all.
    response = client_a.get(reverse("duos:duo_list"), {"programme": world.programme_b.pk})
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize(
    ("url_name", "target", "data"),
    [
        ("duos:mentor_update", "mentor_b", {"first_name": "X", "last_name": "Y", "birth_date": "1960-01-01"}),
        (
            "duos:mentee_update",
            "mentee_b",
            {"first_name": "X", "last_name": "Y", "jobseeker_number": "1", "birth_date": "1990-01-01", "gender": "f"},
        ),
        ("duos:duo_update", "duo_b", {"planned_end_date": "2030-01-01"}),
        (
            "duos:duo_close",
            "duo_b",
            {"end_date": "2019-01-01", "reason": "completed", "outcome_type": "none", "source": "mentee"},
        ),
        (
            "duos:meeting_create",
            "duo_b",
            {"date": "2018-10-01", "duration_minutes": "60", "place": "mentor_workplace", "status": "held"},
        ),
        (
            "duos:meeting_update",
            "meeting_b",
            {"date": "2018-10-01", "duration_minutes": "5", "place": "mentor_workplace", "status": "held"},
        ),
        ("duos:meeting_delete", "meeting_b", {}),
    ],
)
def test_cannot_change_other_partner_records(client_a, world, url_name, target, data):
    obj = getattr(world, target)
    before = _snapshot(world)
    response = client_a.post(reverse(url_name, args=[obj.pk]), data)
    assert response.status_code == 404
    assert _snapshot(world) == before


def _snapshot(world):
    duo = Duo.objects.get(pk=world.duo_b.pk)
    return (
        Mentor.objects.filter(pk=world.mentor_b.pk).values_list("first_name", flat=True).get(),
        Mentee.objects.filter(pk=world.mentee_b.pk).values_list("first_name", flat=True).get(),
        duo.status,
        duo.planned_end_date,
        list(Meeting.objects.filter(duo=duo).values_list("pk", "duration_minutes")),
    )


def test_cannot_attach_foreign_mentee_mentor_or_programme(client_a, world):
    cases = [
        {"mentee": world.mentee_b.pk},
        {"mentor": world.mentor_b.pk},
        {"programme": world.programme_b.pk},
        {"convention": world.convention_b.pk},
    ]
    for override in cases:
        data = {
            "programme": world.programme_a.pk,
            "mentor": world.mentor_a.pk,
            "mentee": world.mentee_a.pk,
            "start_date": "2019-01-07",
            **override,
        }
        count = Duo.objects.count()
        response = client_a.post(reverse("duos:duo_create"), data)
        assert response.status_code == 200
        field = next(iter(override))
        assert "Select a valid choice" in str(response.context["form"].errors[field])
        assert Duo.objects.count() == count


def test_cannot_attach_foreign_convention_to_duo(client_a, world):
    response = client_a.post(
        reverse("duos:duo_update", args=[world.duo_a.pk]),
        {"convention": world.convention_b.pk, "planned_end_date": "2019-03-03"},
    )
    assert response.status_code == 200
    assert "convention" in response.context["form"].errors
    world.duo_a.refresh_from_db()
    assert world.duo_a.convention == world.convention_a


def test_new_records_belong_to_coordinators_partner(client_a, world):
    # A posted "partner" is not a field: it is ignored, the record is A's.
    client_a.post(
        reverse("duos:mentor_create"),
        {"first_name": "Ann", "last_name": "Own", "birth_date": "1960-01-01", "partner": world.partner_b.pk},
    )
    assert Mentor.objects.get(last_name="Own").partner == world.partner_a


def test_coordinator_cannot_create_programme_for_anyone(client_a, world):
    count = Programme.objects.count()
    response = client_a.post(
        reverse("programmes:programme_create"),
        {"partner": world.partner_a.pk, "name": "Mine", "slug": "mine", "duration_months": 6},
    )
    assert response.status_code == 403
    assert Programme.objects.count() == count


def test_staff_reads_but_cannot_close(client, staff_user, world):
    client.force_login(staff_user)
    response = client.get(reverse("duos:duo_detail", args=[world.duo_b.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("duos:duo_close", args=[world.duo_b.pk]) not in content
    assert reverse("duos:meeting_create", args=[world.duo_b.pk]) not in content
    assert reverse("duos:meeting_update", args=[world.meeting_b.pk]) not in content
    response = client.post(
        reverse("duos:duo_close", args=[world.duo_b.pk]),
        {"end_date": "2019-01-01", "reason": "completed", "outcome_type": "none", "source": "mentee"},
    )
    assert response.status_code == 403
    assert Duo.objects.get(pk=world.duo_b.pk).status == DuoStatus.ACTIVE


def test_staff_lists_have_no_create_buttons(client, staff_user, world):
    client.force_login(staff_user)
    for name, create in [
        ("duos:duo_list", "duos:duo_create"),
        ("duos:mentor_list", "duos:mentor_create"),
        ("duos:mentee_list", "duos:mentee_create"),
    ]:
        content = client.get(reverse(name)).content.decode()
        assert reverse(create) not in content


class TestMigrationBackground:
    def test_shown_to_the_coordinator_on_detail(self, client_a, world):
        response = client_a.get(reverse("duos:mentee_detail", args=[world.mentee_a.pk]))
        assert 'data-testid="migration-background"' in response.content.decode()

    @pytest.mark.parametrize("persona", ["staff_user", "manager_user"])
    def test_hidden_from_actiris_roles(self, client, world, persona, request):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(reverse("duos:mentee_detail", args=[world.mentee_a.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        assert 'data-testid="migration-background"' not in content
        assert "Migration background" not in content

    @pytest.mark.parametrize("persona", ["coordinator_a", "staff_user"])
    def test_never_in_lists(self, client, world, persona, request):
        client.force_login(request.getfixturevalue(persona))
        for name in ["duos:mentee_list", "duos:duo_list", "duos:mentor_list"]:
            content = client.get(reverse(name)).content.decode()
            assert "migration" not in content.lower(), name

    def test_form_field_only_for_coordinator(self, client_a, world):
        response = client_a.get(reverse("duos:mentee_update", args=[world.mentee_a.pk]))
        assert response.context["form"].fields["migration_background"].initial == "yes"
        assert MigrationBackground.objects.filter(mentee=world.mentee_a).exists()


def test_convention_counts_only_own_duos(client_a, world, partner_b):
    # Both partners' duos under convention A: coordinator A counts only A's.
    DuoFactory(programme=world.programme_b, convention=world.convention_a)
    response = client_a.get(reverse("programmes:convention_detail", args=[world.convention_a.pk]))
    assert response.context["object"].duo_count == 1
    assert [row.duo_count for row in client_a.get(reverse("programmes:convention_list")).context["object_list"]] == [1]
