import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import ConventionShare, FundingConvention, Membership, Programme
from tests.factories import (
    ConventionShareFactory,
    FundingConventionFactory,
    PartnerFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_valid_convention_and_programme():
    convention = FundingConventionFactory()
    convention.full_clean()
    programme = ProgrammeFactory(mentee_min_age=18, mentee_max_age=29)
    programme.full_clean()
    assert convention.period_days == 730


@pytest.mark.parametrize(
    "update",
    [
        {"amount": Decimal("0")},
        {"target_duos_per_year": 0},
        {"period_end": datetime.date(2017, 12, 31)},
        {"period_end": datetime.date(2018, 1, 1)},
    ],
)
def test_convention_constraints(update):
    convention = FundingConventionFactory()
    assert_refused(lambda: FundingConvention.objects.filter(pk=convention.pk).update(**update))


def test_convention_amount_validator_message():
    convention = FundingConventionFactory.build(amount=Decimal("-5"))
    with pytest.raises(ValidationError) as exc:
        convention.full_clean()
    assert "amount" in exc.value.message_dict


@pytest.mark.parametrize(
    "update",
    [
        {"duration_months": 0},
        {"mentee_min_age": 30, "mentee_max_age": 29},
        {"max_active_duos_per_mentor": 0},
    ],
)
def test_programme_constraints(update):
    programme = ProgrammeFactory()
    assert_refused(lambda: Programme.objects.filter(pk=programme.pk).update(**update))


def test_convention_share_constraints():
    share = ConventionShareFactory()
    assert_refused(lambda: ConventionShareFactory(convention=share.convention, partner=share.partner))
    assert_refused(lambda: ConventionShare.objects.filter(pk=share.pk).update(amount=Decimal("0")))
    assert_refused(lambda: ConventionShare.objects.filter(pk=share.pk).update(target_duos_per_year=0))


def test_membership_partner_iff_coordinator():
    user = UserFactory(role=None)
    partner = PartnerFactory()
    with pytest.raises(ValidationError) as exc:
        Membership(user=user, role="coordinator").full_clean()
    assert (
        "A coordinator belongs to exactly one partner; Actiris staff, managers and the data-protection officer to none."
        in exc.value.messages
    )
    assert_refused(lambda: Membership.objects.create(user=user, role="coordinator"))
    assert_refused(lambda: Membership.objects.create(user=user, role="staff", partner=partner))
    Membership.objects.create(user=user, role="coordinator", partner=partner)
