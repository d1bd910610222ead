"""Follow-ups of the demo data (``load_demo_data`` runs this after
``duos.demo``): synthetic, like everything in the demo.

* The demo programmes ask for follow-ups at 3, 6 and 12 months.
* Duos closed in 2018-2019 get their follow-ups, most of them recorded a few
  days after they fell due. Each situation follows from the one before
  (closure outcome, then 3 months, then 6): a job is mostly kept, a job
  seeker sometimes finds one, contact is sometimes lost.
* A few duos per partner closed 3, 6 or 12 months ago (plus some days), so
  that follow-ups are due now: the home page, the "follow-ups due" list and
  ``send_reminders --dry-run`` have something to show on a fresh demo.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta

from duos.demo import DEMO_PARTNER_SLUGS, DEMO_SEED, DemoBuilder
from duos.models import (
    ClosureReason,
    ContractType,
    Duo,
    DuoStatus,
    Meeting,
    Mentee,
    Mentor,
    MigrationBackground,
    Outcome,
    OutcomeSource,
    OutcomeType,
)
from programmes.models import FundingConvention, Partner, Programme

from .dates import add_months
from .models import DEFAULT_FOLLOW_UP_MONTHS, FollowUp, FollowUpOffset

RECORDED_FROM, RECORDED_TO = datetime.date(2018, 1, 1), datetime.date(2019, 12, 31)
# Share of the follow-ups of 2018-2019 that were recorded, per offset.
RECORDED_SHARE = {3: 0.9, 6: 0.85, 12: 0.75}
# Duos closed recently, per partner: (months, days) = closed ``months`` months
# and ``days`` days ago, so that the follow-up at ``months`` is due since ``days``.
RECENT_CLOSURES = {
    "duo-for-a-job": [(3, 2), (3, 9), (3, 21), (3, 40), (6, 5), (6, 33), (12, 12), (3, 75)],
    "team4job": [(3, 4), (3, 27), (6, 15), (12, 3), (12, 50)],
}
RECENT_OUTCOMES = [
    (OutcomeType.JOB, ContractType.CDD),
    (OutcomeType.NONE, ""),
    (OutcomeType.JOB, ContractType.CDI),
    (OutcomeType.TRAINING, ""),
    (OutcomeType.SELF_EMPLOYMENT, ""),
]
PROGRAMME_OF = {"duo-for-a-job": "duo-for-a-job-brussels", "team4job": "team4job-mentoring"}
EMPLOYED = (OutcomeType.JOB, OutcomeType.SELF_EMPLOYMENT)


def next_situation(rng, previous, previous_contract):
    """The situation at the next follow-up, given the one before: ``(situation,
    contract type, same job as at closure)``."""
    roll = rng.random()
    if previous in EMPLOYED:
        if roll < 0.8:
            return previous, previous_contract, True
        if roll < 0.9:
            return OutcomeType.JOB, rng.choice([ContractType.CDI, ContractType.CDD]), False
        return OutcomeType.NONE, "", None
    if previous == OutcomeType.UNKNOWN:
        if roll < 0.6:
            return OutcomeType.UNKNOWN, "", None
        return OutcomeType.NONE, "", None
    if roll < 0.25:
        return OutcomeType.JOB, rng.choice([ContractType.CDD, ContractType.INTERIM, ContractType.CDI]), False
    if roll < 0.32:
        return OutcomeType.SELF_EMPLOYMENT, "", False
    if roll < 0.42:
        return OutcomeType.TRAINING, "", None
    if roll < 0.48:
        return OutcomeType.UNKNOWN, "", None
    return OutcomeType.NONE, "", None


def follow_ups_for(rng, duo, outcome, *, offsets, today, recorded_share):
    """Follow-ups of ``duo`` (closed, with its primary ``outcome``) due by
    ``today``, each recorded with probability ``recorded_share[months]``."""
    situation, contract = outcome.type, outcome.contract_type
    rows = []
    for months in offsets:
        due = add_months(duo.end_date, months)
        if due > today:
            break
        situation, contract, same_job = next_situation(rng, situation, contract)
        if rng.random() >= recorded_share.get(months, 0):
            continue
        rows.append(
            FollowUp(
                duo=duo,
                offset_months=months,
                date=min(today, due + datetime.timedelta(days=rng.randint(0, 20))),
                situation=situation,
                contract_type=contract if situation == OutcomeType.JOB else "",
                same_job=same_job if situation in EMPLOYED else None,
                source=rng.choice(
                    [OutcomeSource.MENTEE, OutcomeSource.MENTEE, OutcomeSource.EMPLOYER, OutcomeSource.ACTIRIS]
                ),
            )
        )
    return rows


def _recent_duos(builder, today):
    """Duos closed recently (``RECENT_CLOSURES``), with people, meetings and
    outcomes written the way ``DemoBuilder.build`` writes them."""
    outcomes = iter(RECENT_OUTCOMES * 5)
    for partner_slug, closures in RECENT_CLOSURES.items():
        for months, days in closures:
            end = today - relativedelta(months=months) - datetime.timedelta(days=days)
            start = end - relativedelta(months=builder.programmes[PROGRAMME_OF[partner_slug]].duration_months)
            duo = builder.add_duo(
                partner_slug=partner_slug,
                programme_slug=PROGRAMME_OF[partner_slug],
                convention_slug=f"actiris-{today.year}",
                start=start,
                outcome=next(outcomes),
            )
            duo.start_date, duo.planned_end_date, duo.end_date = start, end, end
            duo.closure_reason = ClosureReason.COMPLETED
            if start.year != today.year:
                duo.convention = None  # before the current convention: no convention in the demo
    Mentor.objects.bulk_create(builder.mentors)
    Mentee.objects.bulk_create(builder.mentees)
    MigrationBackground.objects.bulk_create(
        MigrationBackground(mentee=mentee, has_migration_background=flag) for mentee, flag in builder.backgrounds
    )
    for duo, _plan in builder.duos:  # bind the saved people's ids
        duo.mentor = duo.mentor
        duo.mentee = duo.mentee
    Duo.objects.bulk_create([duo for duo, _plan in builder.duos])
    Meeting.objects.bulk_create(meeting for duo, plan in builder.duos for meeting in builder.meetings_for(duo, plan))
    Outcome.objects.bulk_create(builder.outcome_for(duo, plan) for duo, plan in builder.duos)
    return [duo for duo, _plan in builder.duos]


def demo_follow_ups(*, today):
    """Write the demo's follow-ups (see the module docstring). Returns
    ``{"recent_duos": n, "follow_ups": n}``."""
    rng = random.Random(DEMO_SEED + 10)
    partners = Partner.objects.filter(slug__in=DEMO_PARTNER_SLUGS)
    programmes = {programme.slug: programme for programme in Programme.objects.filter(partner__in=partners)}
    FollowUpOffset.objects.bulk_create(
        FollowUpOffset(programme=programme, months=months)
        for programme in programmes.values()
        for months in DEFAULT_FOLLOW_UP_MONTHS
    )
    builder = DemoBuilder(seed=DEMO_SEED + 10, today=today)
    builder.partners = {partner.slug: partner for partner in partners}
    builder.programmes = programmes
    builder.conventions = {convention.slug: convention for convention in FundingConvention.objects.all()}
    builder.jobseeker_seq = 5_000_000  # clear of the main demo's numbers
    recent = {duo.pk for duo in _recent_duos(builder, today)}

    outcomes = {
        outcome.duo_id: outcome
        for outcome in Outcome.objects.filter(
            duo__partner__in=partners, is_primary=True, duo__status=DuoStatus.CLOSED
        ).select_related("duo")
    }
    rows = []
    for duo_id in sorted(outcomes):
        outcome = outcomes[duo_id]
        duo = outcome.duo
        if RECORDED_FROM <= duo.end_date <= RECORDED_TO:
            share = RECORDED_SHARE
        elif duo.pk in recent:
            # The follow-ups before the one due now were recorded; that one is not.
            share = {
                months: 1.0
                for months in DEFAULT_FOLLOW_UP_MONTHS
                if add_months(duo.end_date, months) < today - datetime.timedelta(days=90)
            }
        else:
            continue
        rows += follow_ups_for(rng, duo, outcome, offsets=DEFAULT_FOLLOW_UP_MONTHS, today=today, recorded_share=share)
    FollowUp.objects.bulk_create(rows, batch_size=2000)
    return {"recent_duos": len(recent), "follow_ups": len(rows)}
