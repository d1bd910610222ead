"""The reminder settings on the user's own page."""

import pytest
from django.urls import reverse

from reminders.models import DigestPreference

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
PREFERENCE = reverse("reminders:preference")


def test_profile_shows_the_choice(client, coordinator_a):
    client.force_login(coordinator_a)
    content = client.get(PROFILE).content.decode()
    assert 'id="reminders"' in content
    form = client.get(PROFILE).context["form"]
    assert (form.initial["frequency"], form.initial["language"]) == ("daily", "en")
    assert PREFERENCE in content


def test_saving_the_choice(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(PREFERENCE, {"frequency": "weekly", "language": "nl"}, follow=True)
    assert response.redirect_chain[-1][0] == PROFILE + "#reminders"
    assert "Your reminder settings are saved." in response.content.decode()
    preference = DigestPreference.objects.get(user=coordinator_a)
    assert (preference.frequency, preference.language) == ("weekly", "nl")
    assert client.get(PROFILE).context["form"].initial["frequency"] == "weekly"


def test_bad_choice_changes_nothing(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(PREFERENCE, {"frequency": "hourly", "language": "nl"}, follow=True)
    assert "Choose how often" in response.content.decode()
    assert not DigestPreference.objects.exists()


def test_only_a_signed_in_user_and_only_by_post(client, coordinator_a):
    response = client.post(PREFERENCE, {"frequency": "never", "language": "fr"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(coordinator_a)
    assert client.get(PREFERENCE).status_code == 405


def test_no_email_address_is_said(client, coordinator_a):
    coordinator_a.email = ""
    coordinator_a.save()
    client.force_login(coordinator_a)
    assert "Your account has no e-mail address" in client.get(PROFILE).content.decode()
