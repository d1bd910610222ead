"""Retention: people whose last duo closed more than RETENTION_YEARS ago are
pseudonymised, nightly; ``apply_retention --dry-run`` lists them first."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from duos.models import Mentee, Mentor
from privacy.models import Erasure, ErasureReason
from privacy.services import retention_apply
from privacy.tasks import apply_retention
from tests.factories import DuoFactory, MenteeFactory, ProgrammeFactory

TODAY = datetime.date(2026, 6, 15)


def closed_duo(programme, end):
    duo = DuoFactory(programme=programme, start_date=end - datetime.timedelta(days=180))
    duo.status, duo.end_date, duo.closure_reason = "closed", end, "completed"
    duo.save()
    return duo


@pytest.fixture
def people(partner_a):
    programme = ProgrammeFactory(partner=partner_a)
    old = closed_duo(programme, datetime.date(2021, 6, 1))  # > 5 years before TODAY
    recent = closed_duo(programme, datetime.date(2023, 1, 1))
    active = DuoFactory(programme=programme, start_date=datetime.date(2026, 3, 1))
    never_matched = MenteeFactory(partner=partner_a)
    Mentee.objects.filter(pk=never_matched.pk).update(created_at=timezone.make_aware(datetime.datetime(2020, 1, 1)))
    # Created before the cut-off, to be eligible at all.
    for model in (Mentee, Mentor):
        model.objects.exclude(pk=never_matched.pk).update(created_at=timezone.make_aware(datetime.datetime(2015, 1, 1)))
    return {"old": old, "recent": recent, "active": active, "never_matched": never_matched}


def test_dry_run_lists_and_changes_nothing(people):
    affected = retention_apply(today=TODAY, dry_run=True)
    assert {pk for pk, _partner in affected["mentee"]} == {people["old"].mentee_id, people["never_matched"].pk}
    assert {pk for pk, _partner in affected["mentor"]} == {people["old"].mentor_id}
    assert not Erasure.objects.exists()
    assert Mentee.objects.get(pk=people["old"].mentee_id).first_name != "Erased"


def test_apply_pseudonymises_only_those_past_the_period(people, settings):
    settings.RETENTION_YEARS = 5
    retention_apply(today=TODAY)
    assert Mentee.objects.get(pk=people["old"].mentee_id).first_name == "Erased"
    assert Mentee.objects.get(pk=people["never_matched"].pk).first_name == "Erased"
    assert Mentor.objects.get(pk=people["old"].mentor_id).first_name == "Erased"
    for key in ("recent", "active"):
        assert Mentee.objects.get(pk=people[key].mentee_id).first_name != "Erased"
    assert set(Erasure.objects.values_list("reason", flat=True)) == {ErasureReason.RETENTION}
    assert Erasure.objects.count() == 3
    # Safe to run twice.
    assert retention_apply(today=TODAY) == {"mentee": [], "mentor": []}


def test_setting_changes_the_period(people, settings):
    settings.RETENTION_YEARS = 3
    affected = retention_apply(today=TODAY, dry_run=True)
    assert people["recent"].mentee_id in {pk for pk, _partner in affected["mentee"]}


def test_command_dry_run(people, settings):
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--years", "5", stdout=out)
    text = out.getvalue()
    assert "Would pseudonymise" in text
    assert f"mentee #{people['old'].mentee_id}" in text
    assert not Erasure.objects.exists()
    call_command("apply_retention", "--years", "5", stdout=StringIO())
    assert Erasure.objects.exists()


def test_nightly_task_is_scheduled_and_runs(people, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["privacy-apply-retention"]
    assert schedule["task"] == "privacy.tasks.apply_retention"
    counts = apply_retention.delay().get()
    assert counts["mentee"] >= 2
