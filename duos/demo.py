"""The demo data set: synthetic people whose counts reproduce the founding
press release (Brussels Region, 2018; ``shared/seed/press-release-2018.txt``).

Every name and number is made up (Faker with a fixed seed). The counts are
not: ``COHORTS`` lists, per partner and funder, how many duos started and
closed by 31 December 2017 and what became of the mentees, so that the
founding press release's figures (docs/design.md) come out as published:

* Team4Job: 171 duos started, 152 closed, 77 salaried jobs (25 CDI) and 8
  self-employed: 77/152 = 50.7 % (50.6 % truncated, as published).
* DUO for a JOB, Actiris-funded: 471 started, 383 closed, 212 jobs (82 CDI,
  130 CDD): 212/383 = 55.4 %.
* DUO for a JOB, all funders since 2013: 1,031 started, 900 closed, 477 jobs:
  53.0 %.
* Positive outcomes over the 535 Actiris-funded closed duos: 396/535 = 74.0 %.

The non-job outcomes are synthetic, chosen to give that 74 %. Duos of the
1,762,500 EUR convention (June 2018 to December 2019) fill the quarters of
2018-2019, and a few duos run now, so the workspace has live work.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from matching import demo as matching_demo
from matching.choices import parse_language_names
from programmes.models import ConventionShare, FundingConvention, MeetingPlaceRule, Membership, Partner, Programme, Role

from .models import (
    ClosureReason,
    ContractType,
    Duo,
    DuoStatus,
    EducationLevel,
    Gender,
    Meeting,
    MeetingPlace,
    MeetingStatus,
    Mentee,
    Mentor,
    MigrationBackground,
    Outcome,
    OutcomeSource,
    OutcomeType,
)
from .services import planned_end_for

DEMO_PASSWORD = "demo-mentoring"
DEMO_SEED = 2018
PRESS_DATE = datetime.date(2017, 12, 31)

# (username, role, partner slug or None, superuser)
DEMO_ACCOUNTS = [
    ("staff", Role.STAFF, None, False),
    ("manager", Role.MANAGER, None, False),
    ("duo", Role.COORDINATOR, "duo-for-a-job", False),
    ("team4job", Role.COORDINATOR, "team4job", False),
    ("admin", None, None, True),
    ("dpo", Role.DPO, None, False),
]


@dataclass
class Cohort:
    """Duos of one partner under one convention, started in ``[first_start, last_start]``.

    ``closed`` of them close by ``closed_by`` with the outcomes in ``outcomes``
    (type, contract type) -> count; the rest are still active on that date and
    close later with outcomes drawn from ``later_mix``.
    """

    partner: str
    programme: str
    convention: str
    started: int
    first_start: datetime.date
    last_start: datetime.date
    closed: int
    closed_by: datetime.date
    outcomes: dict = field(default_factory=dict)


# Press-release cohorts: counts at 31 Dec 2017.
COHORTS = [
    Cohort(
        partner="team4job",
        programme="team4job-mentoring",
        convention="actiris-2013-2017",
        started=171,
        first_start=datetime.date(2015, 1, 12),
        last_start=datetime.date(2017, 12, 11),
        closed=152,
        closed_by=PRESS_DATE,
        outcomes={
            (OutcomeType.JOB, ContractType.CDI): 25,
            (OutcomeType.JOB, ContractType.CDD): 35,
            (OutcomeType.JOB, ContractType.INTERIM): 12,
            (OutcomeType.JOB, ContractType.REPLACEMENT): 3,
            (OutcomeType.JOB, ContractType.ARTICLE_60): 2,
            (OutcomeType.SELF_EMPLOYMENT, ""): 8,
            (OutcomeType.FPI, ""): 6,
            (OutcomeType.TRAINING, ""): 13,
            (OutcomeType.INTERNSHIP, ""): 5,
            (OutcomeType.STUDIES, ""): 5,
            (OutcomeType.NONE, ""): 28,
            (OutcomeType.UNKNOWN, ""): 10,
        },
    ),
    Cohort(
        partner="duo-for-a-job",
        programme="duo-for-a-job-brussels",
        convention="actiris-2013-2017",
        started=471,
        first_start=datetime.date(2013, 3, 4),
        last_start=datetime.date(2017, 12, 11),
        closed=383,
        closed_by=PRESS_DATE,
        outcomes={
            (OutcomeType.JOB, ContractType.CDI): 82,
            (OutcomeType.JOB, ContractType.CDD): 130,
            (OutcomeType.FPI, ""): 15,
            (OutcomeType.TRAINING, ""): 30,
            (OutcomeType.INTERNSHIP, ""): 10,
            (OutcomeType.STUDIES, ""): 15,
            (OutcomeType.NONE, ""): 70,
            (OutcomeType.UNKNOWN, ""): 31,
        },
    ),
    Cohort(
        partner="duo-for-a-job",
        programme="duo-for-a-job-brussels",
        convention="other-funders-duo",
        started=560,
        first_start=datetime.date(2013, 3, 4),
        last_start=datetime.date(2017, 12, 11),
        closed=517,
        closed_by=PRESS_DATE,
        outcomes={
            (OutcomeType.JOB, ContractType.CDI): 100,
            (OutcomeType.JOB, ContractType.CDD): 165,
            (OutcomeType.SELF_EMPLOYMENT, ""): 12,
            (OutcomeType.FPI, ""): 18,
            (OutcomeType.TRAINING, ""): 35,
            (OutcomeType.INTERNSHIP, ""): 10,
            (OutcomeType.STUDIES, ""): 15,
            (OutcomeType.NONE, ""): 110,
            (OutcomeType.UNKNOWN, ""): 52,
        },
    ),
]

# Outcomes of duos that close after the press-release date (shares, not counts).
LATER_MIX = {
    (OutcomeType.JOB, ContractType.CDI): 18,
    (OutcomeType.JOB, ContractType.CDD): 24,
    (OutcomeType.JOB, ContractType.INTERIM): 8,
    (OutcomeType.JOB, ContractType.ARTICLE_60): 3,
    (OutcomeType.SELF_EMPLOYMENT, ""): 4,
    (OutcomeType.FPI, ""): 4,
    (OutcomeType.TRAINING, ""): 10,
    (OutcomeType.INTERNSHIP, ""): 4,
    (OutcomeType.STUDIES, ""): 3,
    (OutcomeType.NONE, ""): 16,
    (OutcomeType.UNKNOWN, ""): 6,
}

# Duos under the 1,762,500 EUR convention (June 2018 - December 2019): about
# 87 % of the pro-rata target of 1,356 duos.
CONVENTION_2018_DUOS = {"duo-for-a-job": 700, "team4job": 480}

# Duos running now (relative to the day the demo is loaded).
CURRENT_DUOS = {"duo-for-a-job": 30, "team4job": 20}


# Where the demo's non-workplace meetings take place (public places twice as often).
DUO_PLACES = [MeetingPlace.PUBLIC_PLACE, MeetingPlace.PUBLIC_PLACE, MeetingPlace.PARTNER_OFFICE, MeetingPlace.ONLINE]


class DemoBuilder:
    def __init__(self, *, seed=DEMO_SEED, today=None, stdout=None):
        self.rng = random.Random(seed)
        self.profile_rng = matching_demo.profile_rng(seed)
        self.fake = Faker(["fr_BE", "nl_BE"])
        self.fake.seed_instance(seed)
        self.today = today or timezone.localdate()
        self.stdout = stdout
        self.jobseeker_seq = 0
        self.mentors = []
        self.mentees = []
        self.backgrounds = []
        self.duos = []  # (Duo, plan) where plan = dict(outcome, cadence ...)

    # --- reference data ---------------------------------------------------
    def reference_data(self):
        duo = Partner.objects.create(name="DUO for a JOB", slug="duo-for-a-job", website="https://www.duoforajob.be")
        t4j = Partner.objects.create(name="Team4Job", slug="team4job")
        self.partners = {"duo-for-a-job": duo, "team4job": t4j}
        self.programmes = {
            "duo-for-a-job-brussels": Programme.objects.create(
                partner=duo,
                name="DUO for a JOB Brussels",
                slug="duo-for-a-job-brussels",
                description="Intergenerational and intercultural mentoring: young job seekers with a "
                "migration background and mentors over 50 meet once a week for six months.",
                duration_months=6,
                min_meetings_per_month=4,
                meeting_place=MeetingPlaceRule.ANY,
                mentee_min_age=18,
                mentee_max_age=29,
                mentor_min_age=50,
                migration_background_required=True,
                max_active_duos_per_mentor=1,
            ),
            "team4job-mentoring": Programme.objects.create(
                partner=t4j,
                name="Team4Job mentoring",
                slug="team4job-mentoring",
                description="Mentors meet their mentee at least twice a month at their workplace; no age "
                "or nationality restriction.",
                duration_months=6,
                min_meetings_per_month=2,
                meeting_place=MeetingPlaceRule.MENTOR_WORKPLACE,
                mentee_min_age=18,
                max_active_duos_per_mentor=2,
            ),
        }
        year = self.today.year
        conventions = [
            dict(
                name="Actiris mentoring 2013-2017",
                slug="actiris-2013-2017",
                funder="Actiris",
                amount=Decimal("950000.00"),
                period_start=datetime.date(2013, 1, 1),
                period_end=datetime.date(2017, 12, 31),
                target_duos_per_year=140,
                notes="Synthetic amount and target: the press release gives the duos, not this budget.",
            ),
            dict(
                name="DUO for a JOB - other funders",
                slug="other-funders-duo",
                funder="Private foundations (synthetic)",
                amount=Decimal("1100000.00"),
                period_start=datetime.date(2013, 1, 1),
                period_end=datetime.date(2019, 12, 31),
                target_duos_per_year=120,
                notes="Synthetic: DUO for a JOB duos funded outside the Region.",
            ),
            dict(
                name="Actiris mentoring June 2018 - December 2019",
                slug="actiris-2018-2019",
                funder="Actiris",
                amount=Decimal("1762500.00"),
                period_start=datetime.date(2018, 6, 1),
                period_end=datetime.date(2019, 12, 31),
                target_duos_per_year=855,
                notes="Brussels Region budget announced in the 2018 press release.",
            ),
            dict(
                name=f"Actiris mentoring {year}",
                slug=f"actiris-{year}",
                funder="Actiris",
                amount=Decimal("600000.00"),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                target_duos_per_year=400,
                notes="Synthetic current convention for the demo's running duos.",
            ),
        ]
        self.conventions = {c["slug"]: FundingConvention.objects.create(**c) for c in conventions}
        shares = [
            ("actiris-2013-2017", duo, None, None),
            ("actiris-2013-2017", t4j, None, None),
            ("other-funders-duo", duo, None, None),
            ("actiris-2018-2019", duo, Decimal("1057500.00"), 513),
            ("actiris-2018-2019", t4j, Decimal("705000.00"), 342),
            (f"actiris-{year}", duo, None, None),
            (f"actiris-{year}", t4j, None, None),
        ]
        ConventionShare.objects.bulk_create(
            ConventionShare(convention=self.conventions[c], partner=p, amount=a, target_duos_per_year=t)
            for c, p, a, t in shares
        )

    def accounts(self):
        User = get_user_model()
        for username, role, partner_slug, superuser in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@demo.invalid", "first_name": username.title()}
            )
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = superuser
            user.is_staff = superuser
            user.save()
            if role:
                Membership.objects.update_or_create(
                    user=user,
                    defaults={"role": role, "partner": self.partners[partner_slug] if partner_slug else None},
                )

    # --- people ---------------------------------------------------------------
    def _person_names(self):
        return self.fake.first_name(), self.fake.last_name()

    def new_mentor(self, partner_slug, start):
        programme_is_duo = partner_slug == "duo-for-a-job"
        age = self.rng.randint(51, 68) if programme_is_duo else self.rng.randint(30, 62)
        first, last = self._person_names()
        mentor = Mentor(
            partner=self.partners[partner_slug],
            first_name=first,
            last_name=last,
            email=f"mentor{len(self.mentors) + 1}@demo.invalid",
            birth_date=start - relativedelta(years=age, days=self.rng.randint(0, 360)),
            gender=self.rng.choice([Gender.FEMALE, Gender.MALE]),
            employer=self.fake.company(),
            job_title=self.fake.job()[:200],
        )
        matching_demo.fill_profile(mentor, self.profile_rng, base_languages=matching_demo.MENTOR_LANGUAGES)
        self.mentors.append(mentor)
        return mentor

    def new_mentee(self, partner_slug, start):
        is_duo = partner_slug == "duo-for-a-job"
        age = self.rng.randint(19, 29) if is_duo else self.rng.randint(19, 55)
        first, last = self._person_names()
        self.jobseeker_seq += 1
        mentee = Mentee(
            partner=self.partners[partner_slug],
            first_name=first,
            last_name=last,
            jobseeker_number=f"9{self.jobseeker_seq:07d}",
            birth_date=start - relativedelta(years=age, days=self.rng.randint(0, 360)),
            gender=self.rng.choice([Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE, Gender.X]),
            education_level=self.rng.choice(EducationLevel.values),
        )
        spoken = self.rng.choice(["French", "French, Arabic", "Dutch, French", "French, English", "Arabic"])
        mentee.spoken_languages, mentee.languages = parse_language_names(spoken)
        mentee.registered_on = start - datetime.timedelta(days=self.profile_rng.randint(5, 120))
        matching_demo.fill_profile(mentee, self.profile_rng, base_languages=[])
        self.mentees.append(mentee)
        if is_duo:
            self.backgrounds.append((mentee, True))
        elif self.rng.random() < 0.8:
            self.backgrounds.append((mentee, self.rng.random() < 0.5))
        return mentee

    # --- duos -------------------------------------------------------------------
    def _spread(self, n, first, last):
        """``n`` sorted dates spread evenly over ``[first, last]``, with jitter."""
        span = (last - first).days
        days = sorted(min(span, max(0, round(i * span / max(n - 1, 1)) + self.rng.randint(-3, 3))) for i in range(n))
        return [first + datetime.timedelta(days=d) for d in days]

    def _expand(self, mix, n):
        """Exactly ``n`` outcome keys in the proportions of ``mix`` (largest remainder)."""
        total = sum(mix.values())
        quotas = {k: n * v / total for k, v in mix.items()}
        counts = {k: int(q) for k, q in quotas.items()}
        for k in sorted(quotas, key=lambda k: quotas[k] - counts[k], reverse=True)[: n - sum(counts.values())]:
            counts[k] += 1
        keys = [k for k, c in counts.items() for _ in range(c)]
        self.rng.shuffle(keys)
        return keys

    def add_duo(self, *, partner_slug, programme_slug, convention_slug, start, outcome=None, close_by=None):
        programme = self.programmes[programme_slug]
        planned_end = planned_end_for(programme, start)
        duo = Duo(
            partner=self.partners[partner_slug],
            programme=programme,
            mentor=self.new_mentor(partner_slug, start),
            mentee=self.new_mentee(partner_slug, start),
            convention=self.conventions[convention_slug],
            start_date=start,
            planned_end_date=planned_end,
        )
        plan = {"outcome": outcome, "behind": self.rng.random() < 0.15}
        if outcome is not None:
            early = self.rng.random() < 0.25
            end = planned_end
            if early:
                end = start + datetime.timedelta(days=self.rng.randint(30, (planned_end - start).days - 1))
            if close_by and end > close_by:
                end = close_by
            duo.status = DuoStatus.CLOSED
            duo.end_date = end
            if end >= planned_end:
                duo.closure_reason = ClosureReason.COMPLETED
            elif outcome[0] == OutcomeType.UNKNOWN:
                duo.closure_reason = ClosureReason.EARLY_LOST_CONTACT
            elif outcome[0] not in (OutcomeType.NONE,):
                duo.closure_reason = ClosureReason.EARLY_JOB
            else:
                duo.closure_reason = self.rng.choice([ClosureReason.EARLY_MENTEE, ClosureReason.EARLY_MENTOR])
        self.duos.append((duo, plan))
        return duo

    def press_release_cohorts(self):
        for cohort in COHORTS:
            closing = self._expand(cohort.outcomes, cohort.closed)
            # The duos that close by the press date start early enough to finish
            # their six months in time; the others start in the last half-year.
            half_year_before = cohort.closed_by - relativedelta(months=6)
            closed_starts = self._spread(cohort.closed, cohort.first_start, half_year_before)
            open_starts = self._spread(
                cohort.started - cohort.closed, half_year_before + datetime.timedelta(days=7), cohort.last_start
            )
            for start, outcome in zip(closed_starts, closing, strict=True):
                self.add_duo(
                    partner_slug=cohort.partner,
                    programme_slug=cohort.programme,
                    convention_slug=cohort.convention,
                    start=start,
                    outcome=outcome,
                    close_by=cohort.closed_by,
                )
            later = self._expand(LATER_MIX, len(open_starts))
            for start, outcome in zip(open_starts, later, strict=True):
                duo = self.add_duo(
                    partner_slug=cohort.partner,
                    programme_slug=cohort.programme,
                    convention_slug=cohort.convention,
                    start=start,
                    outcome=outcome,
                )
                # These were still running on the press date: they finish in 2018.
                if duo.end_date <= cohort.closed_by:
                    duo.end_date = duo.planned_end_date
                    duo.closure_reason = ClosureReason.COMPLETED

    def convention_2018_duos(self):
        convention = self.conventions["actiris-2018-2019"]
        programme_of = {"duo-for-a-job": "duo-for-a-job-brussels", "team4job": "team4job-mentoring"}
        for partner_slug, n in CONVENTION_2018_DUOS.items():
            starts = self._spread(n, convention.period_start, convention.period_end - datetime.timedelta(days=10))
            for start, outcome in zip(starts, self._expand(LATER_MIX, n), strict=True):
                self.add_duo(
                    partner_slug=partner_slug,
                    programme_slug=programme_of[partner_slug],
                    convention_slug="actiris-2018-2019",
                    start=start,
                    outcome=outcome,
                )

    def current_duos(self):
        """Duos running now: most on time, some behind cadence, a few without a
        meeting yet, a few past their planned end and not closed."""
        programme_of = {"duo-for-a-job": "duo-for-a-job-brussels", "team4job": "team4job-mentoring"}
        convention_slug = f"actiris-{self.today.year}"
        year_start = datetime.date(self.today.year, 1, 1)
        for partner_slug, n in CURRENT_DUOS.items():
            for i in range(n):
                if i < 2:  # past the planned end, not closed
                    days_ago = 200 + i * 10
                elif i < 4:  # just started, no meeting yet
                    days_ago = 2 + i
                else:
                    days_ago = self.rng.randint(10, 170)
                start = max(year_start, self.today - datetime.timedelta(days=days_ago))
                self.add_duo(
                    partner_slug=partner_slug,
                    programme_slug=programme_of[partner_slug],
                    convention_slug=convention_slug,
                    start=start,
                )

    def double_enrolments(self, n=2):
        """Synthetic cases for Actiris' "double enrolments" list: the mentees of
        ``n`` running Team4Job duos are job seekers also in a running DUO for a
        JOB duo (same number, name and birth date). No record is added: every
        count stays as it was."""
        running = {
            slug: [d for d, plan in self.duos if d.partner.slug == slug and d.end_date is None] for slug in CURRENT_DUOS
        }
        for duo, other in zip(running["team4job"][4 : 4 + n], running["duo-for-a-job"][4 : 4 + n], strict=True):
            for name in ("jobseeker_number", "first_name", "last_name", "birth_date"):
                setattr(duo.mentee, name, getattr(other.mentee, name))

    # --- meetings and outcomes -------------------------------------------------
    def meetings_for(self, duo, plan):
        programme = duo.programme
        weekly = programme.min_meetings_per_month >= 4
        step = 7 if weekly else 14
        if plan["behind"]:
            step = 11 if weekly else 24
        last = duo.end_date or (self.today - datetime.timedelta(days=1))
        if duo.end_date is None and (self.today - duo.start_date).days < 7:
            return []  # just started: no meeting yet
        workplace_only = programme.meeting_place == MeetingPlaceRule.MENTOR_WORKPLACE
        day = duo.start_date
        meetings = []
        while day <= last:
            cancelled = self.rng.random() < 0.05
            place = MeetingPlace.MENTOR_WORKPLACE if workplace_only else self.rng.choice(DUO_PLACES)
            meetings.append(
                Meeting(
                    duo=duo,
                    date=day,
                    duration_minutes=self.rng.choice([45, 60, 60, 90, 120]),
                    place=place,
                    status=MeetingStatus.CANCELLED if cancelled else MeetingStatus.HELD,
                )
            )
            day += datetime.timedelta(days=step)
        return meetings

    def outcome_for(self, duo, plan):
        outcome_type, contract_type = plan["outcome"]
        months = None
        if contract_type == ContractType.CDD:
            months = self.rng.choice([2, 3, 6, 6, 12, 12, 24])
        elif contract_type in (ContractType.INTERIM, ContractType.REPLACEMENT):
            months = self.rng.choice([1, 2, 3, 4])
        elif contract_type == ContractType.ARTICLE_60:
            months = 12
        is_work = outcome_type in (OutcomeType.JOB, OutcomeType.SELF_EMPLOYMENT, OutcomeType.FPI)
        return Outcome(
            duo=duo,
            is_primary=True,
            type=outcome_type,
            contract_type=contract_type,
            start_date=duo.end_date + datetime.timedelta(days=self.rng.randint(0, 20)) if is_work else None,
            contract_months=months,
            employer=self.fake.company() if outcome_type in (OutcomeType.JOB, OutcomeType.FPI) else "",
            source=self.rng.choice(OutcomeSource.values),
            recorded_on=duo.end_date + datetime.timedelta(days=self.rng.randint(0, 14)),
        )

    # --- writing ----------------------------------------------------------------
    def build(self):
        with transaction.atomic():
            self.reference_data()
            self.accounts()
            self.press_release_cohorts()
            self.convention_2018_duos()
            self.current_duos()
            self.double_enrolments()
            Mentor.objects.bulk_create(self.mentors, batch_size=1000)
            Mentee.objects.bulk_create(self.mentees, batch_size=1000)
            MigrationBackground.objects.bulk_create(
                (MigrationBackground(mentee=m, has_migration_background=flag) for m, flag in self.backgrounds),
                batch_size=1000,
            )
            for duo, _plan in self.duos:  # bind the saved people's ids
                duo.mentor = duo.mentor
                duo.mentee = duo.mentee
            Duo.objects.bulk_create([d for d, _ in self.duos], batch_size=1000)
            meetings = [m for duo, plan in self.duos for m in self.meetings_for(duo, plan)]
            Meeting.objects.bulk_create(meetings, batch_size=2000)
            Outcome.objects.bulk_create(
                (self.outcome_for(duo, plan) for duo, plan in self.duos if duo.status == DuoStatus.CLOSED),
                batch_size=1000,
            )
            matching_demo.create_waiting_mentees(self)
        return {
            "partners": len(self.partners),
            "duos": len(self.duos),
            "meetings": len(meetings),
            "mentors": len(self.mentors),
            "mentees": len(self.mentees),
        }


DEMO_PARTNER_SLUGS = ("duo-for-a-job", "team4job")


def demo_loaded():
    return Partner.objects.filter(slug__in=DEMO_PARTNER_SLUGS).exists()


def demo_delete():
    """Remove the demo partners and everything that hangs off them, and the demo accounts."""
    with transaction.atomic():
        partners = Partner.objects.filter(slug__in=DEMO_PARTNER_SLUGS)
        Meeting.objects.filter(duo__partner__in=partners).delete()
        Outcome.objects.filter(duo__partner__in=partners).delete()
        conventions = list(FundingConvention.objects.filter(duos__partner__in=partners).distinct())
        Duo.objects.filter(partner__in=partners).delete()
        Mentee.objects.filter(partner__in=partners).delete()
        Mentor.objects.filter(partner__in=partners).delete()
        Programme.objects.filter(partner__in=partners).delete()
        Membership.objects.filter(user__username__in=[a[0] for a in DEMO_ACCOUNTS]).delete()
        get_user_model().objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).delete()
        ConventionShare.objects.filter(partner__in=partners).delete()
        Membership.objects.filter(partner__in=partners).delete()
        partners.delete()
        for convention in conventions:
            if not convention.duos.exists() and not convention.shares.exists():
                convention.delete()
