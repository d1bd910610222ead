"""Home page, log-in, log-out, password change, login throttling, language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, DuoFactory, MeetingFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_styled_and_translatable(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="username"' in content and 'name="password"' in content
    assert "bootstrap.min.css" in content


def test_wrong_password_message(client, coordinator_a):
    response = client.post(reverse("login"), {"username": "coord-a", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_lockout_after_five_failures(client, coordinator_a):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "coord-a", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "coord-a", "password": "wrong"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many failed attempts" in content
    assert "Please wait 15 minutes" in content
    # Even the right password is refused during the cool-off.
    response = client.post(reverse("login"), {"username": "coord-a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, coordinator_a, coordinator_b):
    for _ in range(5):
        client.post(reverse("login"), {"username": "coord-a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "coord-b", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_post(client, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password("a-new-long-passphrase")
    assert "Your password was changed." in client.get(reverse("password_change_done")).content.decode()


def test_password_change_wrong_old_password(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_home_coordinator_lists_what_needs_doing(client, coordinator_a, partner_a, settings):
    """The home page shows the reminder lists (``reminders.selectors``), each
    with its count and a link to the full list."""
    settings.REMINDER_NO_MEETING_DAYS = 30
    today = timezone.localdate()
    programme = ProgrammeFactory(partner=partner_a, min_meetings_per_month=2)
    start = (today.replace(day=1) - datetime.timedelta(days=70)).replace(day=1)
    behind = DuoFactory(programme=programme, start_date=start)  # no meeting in the last full month
    MeetingFactory(duo=behind, date=today - datetime.timedelta(days=3))
    fresh = DuoFactory(programme=programme, start_date=today)  # no meeting yet, but just started
    past_end = DuoFactory(programme=programme, start_date=today - datetime.timedelta(days=250))
    MeetingFactory(duo=past_end, date=today - datetime.timedelta(days=40))  # and quiet for 40 days
    fine = DuoFactory(programme=programme, start_date=today)
    MeetingFactory(duo=fine, date=today)
    DuoFactory(programme=programme, closed=True, start_date=datetime.date(2018, 1, 1))
    other = DuoFactory(start_date=today - datetime.timedelta(days=250))  # another partner's

    client.force_login(coordinator_a)
    response = client.get(reverse("home"))
    lists = {reminder.key: [duo.pk for duo in reminder.rows] for reminder in response.context["reminders"]}
    assert lists == {
        "behind_cadence": [past_end.pk, behind.pk],  # one meeting last month each; the closest end first
        "past_planned_end": [past_end.pk],
        "without_meeting": [past_end.pk],
        "follow_ups_due": [],
    }
    assert fresh.pk not in sum(lists.values(), []) and other.pk not in sum(lists.values(), [])
    content = response.content.decode()
    assert "0 meetings last month (minimum 2)" in content
    assert reverse("duos:duo_list") + "?status=active&amp;past_planned_end=yes" in content
    assert "See all" not in content.split('data-reminder="follow_ups_due"')[1]  # an empty list has no link


def test_home_staff_links_dashboard_and_partners(client, staff_user, partner_a):
    client.force_login(staff_user)
    content = client.get(reverse("home")).content.decode()
    assert "Open the dashboard" in content
    assert reverse("programmes:partner_list") in content
    assert partner_a.get_absolute_url() in content


@pytest.mark.parametrize(("language", "text"), [("fr", "Connexion"), ("nl", "Aanmelden"), ("en", "Log in")])
def test_login_page_in_each_language(client, language, text):
    client.post(reverse("set_language"), {"language": language})
    response = client.get(reverse("login"))
    assert f'<html lang="{language}">' in response.content.decode()
    assert text in response.content.decode()


def test_home_lists_are_capped_with_a_link_to_all(client, coordinator_a, partner_a):
    programme = ProgrammeFactory(partner=partner_a)
    for _ in range(7):
        DuoFactory(programme=programme, start_date=timezone.localdate() - datetime.timedelta(days=200))
    client.force_login(coordinator_a)
    response = client.get(reverse("home"))
    past_end = next(r for r in response.context["reminders"] if r.key == "past_planned_end")
    assert (past_end.count, len(past_end.rows)) == (7, 5)
    assert "See all 7" in response.content.decode()


def test_home_staff_sees_the_counts_per_partner(client, staff_user, partner_a, partner_b):
    start = timezone.localdate() - datetime.timedelta(days=200)
    DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=start)
    client.force_login(staff_user)
    response = client.get(reverse("home"))
    rows = {partner.slug: [count for count, _url in cells] for partner, cells in response.context["partner_reminders"]}
    assert rows["partner-a"][1:3] == [1, 1]  # past its planned end; without a meeting
    assert rows["partner-b"] == [0, 0, 0, 0]
    assert f"?partner={partner_a.pk}&amp;status=active&amp;past_planned_end=yes" in response.content.decode()


def test_password_reset_sends_a_link(client, coordinator_a, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves from a task queued on commit
        response = client.post(reverse("password_reset"), {"email": coordinator_a.email})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    assert response.context["validlink"] is True
