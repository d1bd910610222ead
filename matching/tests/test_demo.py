"""Matching on the demo data: waiting mentees, and mentors with the fields."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from duos.models import Duo, Mentee, Mentor
from matching.models import MatchChoice
from matching.scoring import PARTS
from programmes.models import Programme
from programmes.tests.world import use_fast_password_hasher
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_demo_mentee_gets_suggestions_with_each_part_and_a_choice_is_recorded(client, settings):
    use_fast_password_hasher(settings)
    call_command("load_demo_data", verbosity=0)
    programme = Programme.objects.get(slug="duo-for-a-job-brussels")
    coordinator = UserFactory(username="coord-duo", role="coordinator", partner=programme.partner)
    client.force_login(coordinator)
    # The demo's people have the matching fields.
    assert not Mentor.objects.filter(spoken_languages=[]).exists()
    assert Mentee.objects.exclude(commune="").exists() and Mentor.objects.exclude(sector="").exists()

    waiting = client.get(reverse("matching:waiting_list")).context["object_list"]
    assert len(waiting) == 14  # matching.demo.WAITING_MENTEES
    mentee = waiting[0]
    response = client.get(reverse("matching:suggestions", args=[mentee.pk]), {"programme": programme.pk})
    suggestions = response.context["suggestions"]
    assert suggestions.mentee_errors == [] and len(suggestions.ranked) > 10
    html = response.content.decode()
    for suggestion in suggestions.shown:
        assert [part.key for part in suggestion.parts] == list(PARTS)
        assert f'data-mentor="{suggestion.mentor.pk}"' in html
    third = suggestions.ranked[2]

    response = client.post(
        reverse("matching:suggestions", args=[mentee.pk]),
        {
            "programme": programme.pk,
            "mentor": third.mentor.pk,
            "start_date": response.context["form"]["start_date"].value(),
        },
    )

    duo = Duo.objects.get(mentee=mentee)
    assert response.status_code == 302
    choice = MatchChoice.objects.get(duo=duo)
    assert (choice.mentor_id, choice.rank, choice.candidates) == (third.mentor.pk, 3, len(suggestions.ranked))
    assert set(choice.parts) == set(PARTS) and choice.score == third.score
