"""The matching fields of the demo data (``duos.demo``): drawn from their own
random generator, so that adding them changed none of the draws the
press-release counts rest on, and the mentees waiting for a mentor now."""

import datetime
import random

from duos.models import Mentee, MigrationBackground

from .choices import Availability, Language, Sector
from .communes import Commune

# Mentees registered and waiting for a mentor now (no duo yet), per partner.
WAITING_MENTEES = {"duo-for-a-job": 14, "team4job": 9}
# The languages of the Region a mentor speaks one or two of.
MENTOR_LANGUAGES = [Language.FRENCH, Language.DUTCH, Language.ENGLISH]
# The mentors' languages beside the one or two of the Region they speak.
MENTOR_EXTRA_LANGUAGES = [Language.ARABIC, Language.TURKISH, Language.SPANISH, Language.BERBER]


def profile_rng(seed):
    return random.Random(seed + 1)


def fill_profile(person, rng, *, base_languages):
    """A sector, a commune (one person in ten outside the Region), one to
    three availabilities, and, given ``base_languages`` (mentors), one or two
    of them plus, now and then, a language of the mentees."""
    person.sector = rng.choice(Sector.values)
    person.commune = "" if rng.random() < 0.1 else rng.choice(Commune.values)
    person.availability = rng.sample(Availability.values, rng.randint(1, 3))
    if base_languages:
        spoken = rng.sample(base_languages, rng.randint(1, 2))
        if rng.random() < 0.3:
            spoken.append(rng.choice(MENTOR_EXTRA_LANGUAGES))
        person.spoken_languages = spoken


def create_waiting_mentees(builder):
    """Save mentees registered lately who have no duo yet (the waiting list)
    and their migration backgrounds, made by ``builder.new_mentee`` (a
    ``duos.demo.DemoBuilder``) after every other draw."""
    backgrounds_before = len(builder.backgrounds)
    waiting = []
    for partner_slug, n in WAITING_MENTEES.items():
        for _i in range(n):
            mentee = builder.new_mentee(partner_slug, builder.today)
            mentee.registered_on = builder.today - datetime.timedelta(days=builder.profile_rng.randint(2, 150))
            waiting.append(mentee)
    Mentee.objects.bulk_create(waiting)
    MigrationBackground.objects.bulk_create(
        MigrationBackground(mentee=mentee, has_migration_background=flag)
        for mentee, flag in builder.backgrounds[backgrounds_before:]
    )
