"""Two partners with one of everything each, for access tests.

``build_world(partner_a, partner_b)`` returns a ``SimpleNamespace`` whose
attributes end in ``_a`` / ``_b`` (``duo_a``, ``meeting_b``...).
"""

import datetime
from types import SimpleNamespace

from followups.models import FollowUp
from imports.models import ImportRequest, ImportStatus
from tests.factories import (
    ConventionShareFactory,
    DuoFactory,
    FundingConventionFactory,
    MeetingFactory,
    MigrationBackgroundFactory,
    OutcomeFactory,
    ProgrammeFactory,
    UserFactory,
)


def build_world(partner_a, partner_b):
    world = SimpleNamespace(partner_a=partner_a, partner_b=partner_b)
    for suffix, partner in (("a", partner_a), ("b", partner_b)):
        programme = ProgrammeFactory(partner=partner, name=f"Programme {suffix.upper()}", slug=f"programme-{suffix}")
        convention = FundingConventionFactory(
            name=f"Convention {suffix.upper()}",
            slug=f"convention-{suffix}",
            period_start=datetime.date(2018, 1, 1),
            period_end=datetime.date(2030, 12, 31),
        )
        ConventionShareFactory(convention=convention, partner=partner)
        duo = DuoFactory(programme=programme, convention=convention, start_date=datetime.date(2018, 9, 3))
        MigrationBackgroundFactory(mentee=duo.mentee)
        meeting = MeetingFactory(duo=duo, date=datetime.date(2018, 9, 10))
        setattr(world, f"programme_{suffix}", programme)
        setattr(world, f"convention_{suffix}", convention)
        setattr(world, f"duo_{suffix}", duo)
        setattr(world, f"mentor_{suffix}", duo.mentor)
        setattr(world, f"mentee_{suffix}", duo.mentee)
        setattr(world, f"meeting_{suffix}", meeting)
        # A closed duo (no convention) with its follow-up at 3 months.
        closed = DuoFactory(programme=programme, closed=True, start_date=datetime.date(2018, 3, 5))
        OutcomeFactory(duo=closed, type="job", contract_type="cdi")
        follow_up = FollowUp.objects.create(
            duo=closed,
            offset_months=3,
            date=datetime.date(2018, 12, 10),
            situation="job",
            contract_type="cdi",
            same_job=True,
        )
        setattr(world, f"closed_duo_{suffix}", closed)
        setattr(world, f"follow_up_{suffix}", follow_up)
        uploader = UserFactory(username=f"uploader-{suffix}", role="coordinator", partner=partner)
        import_request = ImportRequest.objects.create(
            partner=partner, requested_by=uploader, file_name="records.xlsx", language="en", status=ImportStatus.FAILED
        )
        setattr(world, f"import_request_{suffix}", import_request)
    return world


def use_fast_password_hasher(settings):
    """Personas are created for every test; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
