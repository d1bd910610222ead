"""factory-boy factories for every model, shared by all apps' tests.

Defaults build a valid, eligible duo: the programme has no age or background
rules unless a test sets them.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from duos.models import (
    Duo,
    DuoStatus,
    Gender,
    Meeting,
    MeetingPlace,
    MeetingStatus,
    Mentee,
    Mentor,
    MigrationBackground,
    Outcome,
    OutcomeType,
)
from duos.services import planned_end_for
from programmes.models import ConventionShare, FundingConvention, Membership, Partner, Programme

PASSWORD = "test-password-123"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    duration_months = 6
    min_meetings_per_month = 2
    max_active_duos_per_mentor = 3

    @factory.post_generation
    def follow_up_months(self, create, extracted, **kwargs):
        """The programme's follow-ups after closure: 3, 6 and 12 months unless
        given (``ProgrammeFactory(follow_up_months=[6])``, ``[]`` for none)."""
        if create:
            from followups.models import DEFAULT_FOLLOW_UP_MONTHS, FollowUpOffset

            months = DEFAULT_FOLLOW_UP_MONTHS if extracted is None else extracted
            FollowUpOffset.objects.bulk_create(FollowUpOffset(programme=self, months=value) for value in months)


class FundingConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingConvention

    name = factory.Sequence(lambda n: f"Convention {n}")
    slug = factory.Sequence(lambda n: f"convention-{n}")
    funder = "Actiris"
    amount = Decimal("100000.00")
    period_start = datetime.date(2018, 1, 1)
    period_end = datetime.date(2019, 12, 31)
    target_duos_per_year = 100


class ConventionShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConventionShare

    convention = factory.SubFactory(FundingConventionFactory)
    partner = factory.SubFactory(PartnerFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role: ``UserFactory(role="coordinator", partner=p)``,
    ``UserFactory(role="staff")``; ``role=None`` for no membership."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        role = kwargs.pop("role", "coordinator")
        partner = kwargs.pop("partner", None)
        user = super()._create(model_class, *args, **kwargs)
        if role:
            if role == "coordinator" and partner is None:
                partner = PartnerFactory()
            Membership.objects.update_or_create(
                user=user, defaults={"role": role, "partner": partner if role == "coordinator" else None}
            )
        return user


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    partner = factory.SubFactory(PartnerFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    birth_date = datetime.date(1960, 5, 17)
    gender = Gender.FEMALE
    employer = "Example SA"


class MenteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentee

    partner = factory.SubFactory(PartnerFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    jobseeker_number = factory.Sequence(lambda n: f"{n:08d}")
    birth_date = datetime.date(1995, 3, 9)
    gender = Gender.MALE


class MigrationBackgroundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MigrationBackground

    mentee = factory.SubFactory(MenteeFactory)
    has_migration_background = True


class DuoFactory(factory.django.DjangoModelFactory):
    """An active duo. For a closed one: ``DuoFactory(closed=True)`` (ends on the
    planned end, reason completed)."""

    class Meta:
        model = Duo

    class Params:
        closed = factory.Trait(
            status=DuoStatus.CLOSED,
            end_date=factory.LazyAttribute(lambda d: d.planned_end_date),
            closure_reason="completed",
        )

    programme = factory.SubFactory(ProgrammeFactory)
    partner = factory.LazyAttribute(lambda d: d.programme.partner)
    mentor = factory.SubFactory(MentorFactory, partner=factory.SelfAttribute("..partner"))
    mentee = factory.SubFactory(MenteeFactory, partner=factory.SelfAttribute("..partner"))
    start_date = datetime.date(2018, 9, 3)
    planned_end_date = factory.LazyAttribute(lambda d: planned_end_for(d.programme, d.start_date))
    status = DuoStatus.ACTIVE


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    duo = factory.SubFactory(DuoFactory)
    date = factory.LazyAttribute(lambda m: m.duo.start_date)
    duration_minutes = 60
    place = MeetingPlace.MENTOR_WORKPLACE
    status = MeetingStatus.HELD
    # As the services do: the first held meeting of a day counts for the cadence.
    counts_for_cadence = factory.LazyAttribute(
        lambda m: (
            m.status == MeetingStatus.HELD and not Meeting.objects.for_cadence().filter(duo=m.duo, date=m.date).exists()
        )
    )


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    duo = factory.SubFactory(DuoFactory, closed=True)
    is_primary = True
    type = OutcomeType.JOB
    contract_type = factory.LazyAttribute(lambda o: "cdi" if o.type == OutcomeType.JOB else "")
    recorded_on = factory.LazyAttribute(lambda o: o.duo.end_date or o.duo.start_date)
