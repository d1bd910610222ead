"""Staff forms: partners, programmes and funding conventions."""

import datetime

import pytest
from django.urls import reverse

from programmes.models import ConventionShare, FundingConvention, Partner, Programme
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def errors(response):
    return {field: [str(e) for e in errs] for field, errs in response.context["form"].errors.items()}


def test_partner_create(staff_client):
    response = staff_client.post(
        reverse("programmes:partner_create"),
        {"name": "Team4Job", "slug": "team4job", "website": "https://team4job.example", "is_active": "on"},
    )
    partner = Partner.objects.get(slug="team4job")
    assert response.status_code == 302
    assert response.url == partner.get_absolute_url()


def test_partner_duplicate_name(staff_client):
    PartnerFactory(name="Team4Job", slug="t4j")
    response = staff_client.post(reverse("programmes:partner_create"), {"name": "Team4Job", "slug": "other"})
    assert response.status_code == 200
    assert errors(response) == {"name": ["Partner with this Name already exists."]}
    assert Partner.objects.count() == 1


def test_partner_update(staff_client, partner_a):
    response = staff_client.post(
        reverse("programmes:partner_update", args=[partner_a.pk]), {"name": "Partner A2", "slug": "partner-a"}
    )
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert (partner_a.name, partner_a.is_active) == ("Partner A2", False)


PROGRAMME = {
    "name": "DUO for a JOB",
    "slug": "duo",
    "duration_months": "6",
    "min_meetings_per_month": "4",
    "meeting_place": "any",
    "mentee_min_age": "18",
    "mentee_max_age": "29",
    "mentor_min_age": "50",
    "migration_background_required": "on",
    "max_active_duos_per_mentor": "1",
    "completion_tolerance_days": "14",
    "is_active": "on",
}


def test_programme_create_with_rules(staff_client, partner_a):
    response = staff_client.post(reverse("programmes:programme_create"), {**PROGRAMME, "partner": partner_a.pk})
    programme = Programme.objects.get(slug="duo")
    assert response.status_code == 302
    assert response.url == programme.get_absolute_url()
    assert (programme.min_meetings_per_month, programme.mentee_max_age, programme.migration_background_required) == (
        4,
        29,
        True,
    )


def test_programme_create_prefills_partner(staff_client, partner_a):
    response = staff_client.get(reverse("programmes:programme_create"), {"partner": partner_a.pk})
    assert response.context["form"].initial["partner"] == str(partner_a.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"mentee_min_age": "30", "mentee_max_age": "18"},
            "mentee_max_age",
            "The maximum age must be at least the minimum age.",
        ),
        ({"duration_months": "0"}, "duration_months", "greater than or equal to 1"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_programme_broken_rules(staff_client, partner_a, data, field, message):
    response = staff_client.post(reverse("programmes:programme_create"), {**PROGRAMME, "partner": partner_a.pk, **data})
    assert response.status_code == 200
    assert any(message in e for e in errors(response).get(field, [])), errors(response)
    assert not Programme.objects.exists()


CONVENTION = {
    "name": "Actiris 2018-2019",
    "slug": "actiris-2018",
    "funder": "Actiris",
    "amount": "1762500.00",
    "period_start": "2018-06-01",
    "period_end": "2019-12-31",
    "target_duos_per_year": "855",
    "shares-TOTAL_FORMS": "0",
    "shares-INITIAL_FORMS": "0",
}


def with_shares(*shares):
    data = {**CONVENTION, "shares-TOTAL_FORMS": str(len(shares))}
    for index, (partner, amount) in enumerate(shares):
        data[f"shares-{index}-partner"] = partner.pk
        data[f"shares-{index}-amount"] = amount
    return data


def test_convention_create(staff_client):
    response = staff_client.post(reverse("programmes:convention_create"), CONVENTION)
    convention = FundingConvention.objects.get()
    assert response.status_code == 302
    assert convention.period_days == 579
    assert convention.period_start == datetime.date(2018, 6, 1)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period_end": "2018-01-01"}, "period_end"),
        ({"amount": "0"}, "amount"),
        ({"target_duos_per_year": "0"}, "target_duos_per_year"),
    ],
)
def test_convention_broken_rules(staff_client, data, field):
    response = staff_client.post(reverse("programmes:convention_create"), {**CONVENTION, **data})
    assert response.status_code == 200
    assert field in errors(response)
    assert not FundingConvention.objects.exists()


@pytest.mark.parametrize("field", ["period_start", "period_end"])
def test_convention_dates_outside_the_allowed_range(staff_client, field):
    response = staff_client.post(reverse("programmes:convention_create"), {**CONVENTION, field: "9999-12-31"})
    assert response.status_code == 200
    assert errors(response)[field] == ["Enter a date from 01/01/2000 to 31/12/2099."]
    assert not FundingConvention.objects.exists()


def test_convention_with_split_between_partners(staff_client, partner_a, partner_b):
    response = staff_client.post(
        reverse("programmes:convention_create"), with_shares((partner_a, "1000000"), (partner_b, "762500"))
    )
    assert response.status_code == 302
    convention = FundingConvention.objects.get()
    assert {(s.partner, s.amount) for s in convention.shares.all()} == {(partner_a, 1000000), (partner_b, 762500)}


def test_convention_shares_above_amount(staff_client, partner_a, partner_b):
    response = staff_client.post(
        reverse("programmes:convention_create"), with_shares((partner_a, "1000000"), (partner_b, "1000000"))
    )
    assert response.status_code == 200
    assert "The partners&#x27; shares add up to more than the convention&#x27;s amount." in response.content.decode()
    assert not FundingConvention.objects.exists()
    assert not ConventionShare.objects.exists()


def test_convention_same_partner_twice(staff_client, partner_a):
    response = staff_client.post(
        reverse("programmes:convention_create"), with_shares((partner_a, "1000"), (partner_a, "1000"))
    )
    assert response.status_code == 200
    assert not FundingConvention.objects.exists()


def test_convention_update_removes_a_share(staff_client, partner_a, partner_b):
    staff_client.post(reverse("programmes:convention_create"), with_shares((partner_a, "1000"), (partner_b, "1000")))
    convention = FundingConvention.objects.get()
    share_a, share_b = convention.shares.order_by("partner__name")
    data = {
        **CONVENTION,
        "shares-TOTAL_FORMS": "2",
        "shares-INITIAL_FORMS": "2",
        "shares-0-id": share_a.pk,
        "shares-0-partner": partner_a.pk,
        "shares-0-amount": "1000",
        "shares-1-id": share_b.pk,
        "shares-1-partner": partner_b.pk,
        "shares-1-amount": "1000",
        "shares-1-DELETE": "on",
    }
    response = staff_client.post(reverse("programmes:convention_update", args=[convention.pk]), data)
    assert response.status_code == 302
    assert list(convention.shares.values_list("partner", flat=True)) == [partner_a.pk]
