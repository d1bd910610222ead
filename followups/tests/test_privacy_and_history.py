"""A follow-up's note is personal data (erased with the mentee, kept out of
nothing else); a follow-up's changes show in its duo's History tab."""

import datetime

import pytest
from django.urls import reverse

from followups.models import FollowUp
from privacy.services import person_erase

from .conftest import closed_duo

pytestmark = pytest.mark.django_db


def test_erasure_blanks_the_follow_up_note_and_keeps_the_situation(programme_a, coordinator_a):
    duo = closed_duo(programme_a, datetime.date(2019, 6, 15))
    follow_up = FollowUp.objects.create(
        duo=duo, offset_months=3, date=datetime.date(2019, 9, 20), situation="none", note="Moved to Liège."
    )
    person_erase(person=duo.mentee, by=coordinator_a)
    follow_up.refresh_from_db()
    assert (follow_up.note, follow_up.situation) == ("", "none")
    assert not follow_up.history.exclude(note="").exists()


def test_follow_up_changes_show_in_the_duo_history(client, programme_a, coordinator_a):
    duo = closed_duo(programme_a, datetime.date(2019, 6, 15))
    FollowUp.objects.create(duo=duo, offset_months=3, date=datetime.date(2019, 9, 20), situation="training")
    client.force_login(coordinator_a)
    content = client.get(reverse("audit:record_history", args=["duo", duo.pk])).content.decode()
    assert "Follow-up" in content or "follow-up" in content
    assert "Training" in content
