"""The small services the workspace added: mentor_save, mentee_save, duo_update."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from duos.models import Mentee, Mentor, MigrationBackground
from duos.services import duo_update, mentee_save, mentor_save
from tests.factories import (
    ConventionShareFactory,
    DuoFactory,
    FundingConventionFactory,
    MenteeFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db


def test_mentor_save_validates(partner_a):
    with pytest.raises(ValidationError) as exc:
        mentor_save(mentor=Mentor(partner=partner_a, first_name="A", last_name="B"))
    assert "birth_date" in exc.value.message_dict
    assert not Mentor.objects.exists()
    mentor = mentor_save(mentor=Mentor(partner=partner_a, first_name="A", last_name="B", birth_date="1960-01-01"))
    assert mentor.pk


def mentee(partner, **kwargs):
    return Mentee(
        partner=partner,
        first_name="Amina",
        last_name="Benali",
        jobseeker_number=kwargs.pop("jobseeker_number", "10001"),
        birth_date=datetime.date(1998, 1, 1),
        gender="f",
        **kwargs,
    )


def test_mentee_save_records_background_apart(partner_a):
    saved = mentee_save(mentee=mentee(partner_a), has_migration_background=True)
    assert MigrationBackground.objects.get(mentee=saved).has_migration_background is True
    mentee_save(mentee=saved, has_migration_background=False)
    assert MigrationBackground.objects.get(mentee=saved).has_migration_background is False
    mentee_save(mentee=saved, has_migration_background=None)
    assert not MigrationBackground.objects.filter(mentee=saved).exists()


def test_mentee_save_duplicate_number_writes_nothing(partner_a):
    MenteeFactory(partner=partner_a, jobseeker_number="10001")
    with pytest.raises(ValidationError) as exc:
        mentee_save(mentee=mentee(partner_a), has_migration_background=True)
    assert exc.value.message_dict == {
        "jobseeker_number": ["This partner already has a mentee with this job-seeker number."]
    }
    assert Mentee.objects.count() == 1
    assert not MigrationBackground.objects.exists()


def test_mentee_save_same_number_other_partner(partner_a):
    MenteeFactory(partner=PartnerFactory(), jobseeker_number="10001")
    assert mentee_save(mentee=mentee(partner_a)).pk


def test_mentee_save_keeps_own_number_on_update(partner_a):
    saved = mentee_save(mentee=mentee(partner_a))
    saved.first_name = "Amira"
    mentee_save(mentee=saved)
    assert Mentee.objects.get().first_name == "Amira"


class TestDuoUpdate:
    def test_changes_convention_and_planned_end(self, partner_a):
        duo = DuoFactory(programme__partner=partner_a)
        convention = FundingConventionFactory()
        ConventionShareFactory(convention=convention, partner=partner_a)
        duo_update(duo=duo, convention=convention, planned_end_date=datetime.date(2019, 6, 30))
        duo.refresh_from_db()
        assert (duo.convention, duo.planned_end_date) == (convention, datetime.date(2019, 6, 30))

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ({"planned_end_date": datetime.date(2018, 9, 3)}, "planned_end_date", "The planned end must be after"),
            ({"convention": "outside"}, "convention", "The start date is outside the convention's period"),
            ({"convention": "unshared"}, "convention", "This convention does not fund this partner."),
        ],
    )
    def test_broken_rules_write_nothing(self, partner_a, change, field, message):
        duo = DuoFactory(programme__partner=partner_a)
        before = (duo.convention_id, duo.planned_end_date)
        kwargs = {"convention": None, "planned_end_date": datetime.date(2019, 6, 30), **change}
        if kwargs["convention"] == "outside":
            kwargs["convention"] = FundingConventionFactory(
                period_start=datetime.date(2020, 1, 1), period_end=datetime.date(2020, 12, 31)
            )
        elif kwargs["convention"] == "unshared":
            kwargs["convention"] = ConventionShareFactory(partner=PartnerFactory()).convention
        with pytest.raises(ValidationError) as exc:
            duo_update(duo=duo, **kwargs)
        assert any(message in m for m in exc.value.message_dict[field])
        duo.refresh_from_db()
        assert (duo.convention_id, duo.planned_end_date) == before

    def test_closed_duo_is_fixed(self):
        duo = DuoFactory(closed=True)
        with pytest.raises(ValidationError, match="This duo is closed"):
            duo_update(duo=duo, convention=None, planned_end_date=datetime.date(2030, 1, 1))
