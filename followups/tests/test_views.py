"""Follow-ups as a coordinator meets them: the duo page's section, recording
one in two clicks, the list of follow-ups due, a programme's offsets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from duos.models import Outcome
from followups.dates import add_months
from followups.models import FollowUp
from programmes.models import Programme
from tests.factories import DuoFactory

from .conftest import closed_duo, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_duo(programme_a):
    """Closed 3 months and 10 days ago: its 3-month follow-up is due."""
    end = add_months(days_ago(10), -3)
    return closed_duo(programme_a, end, outcome="job", contract="cdd")


def initial_post_data(form):
    """What the browser sends when the user clicks Save without changing anything."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = "" if value is None else value
    return data


def test_two_clicks_from_the_duo_page(client, coordinator_a, due_duo):
    client.force_login(coordinator_a)
    page = client.get(due_duo.get_absolute_url())
    content = page.content.decode()
    assert "Follow-ups after closure" in content
    record_url = reverse("followups:follow_up_create", args=[due_duo.pk]) + "?months=3"
    assert record_url.replace("&", "&amp;") in content  # click 1: Record

    form_page = client.get(record_url)
    form = form_page.context["form"]
    assert form.initial["situation"] == "job" and form.initial["contract_type"] == "cdd"
    assert form.fields["offset_months"].initial == 3
    outcome_before = list(Outcome.objects.filter(duo=due_duo).values())
    response = client.post(record_url, initial_post_data(form))  # click 2: Save
    assert response.status_code == 302
    assert response["Location"] == due_duo.get_absolute_url() + "#follow-ups"
    follow_up = FollowUp.objects.get()
    assert (follow_up.offset_months, follow_up.situation, follow_up.contract_type) == (3, "job", "cdd")
    assert (follow_up.same_job, follow_up.date, follow_up.recorded_by) == (True, timezone.localdate(), coordinator_a)
    assert list(Outcome.objects.filter(duo=due_duo).values()) == outcome_before
    content = client.get(response["Location"]).content.decode()
    assert "Follow-up at 3 months recorded." in content
    assert reverse("followups:follow_up_update", args=[follow_up.pk]) in content


def test_form_error_keeps_the_input(client, coordinator_a, due_duo):
    client.force_login(coordinator_a)
    url = reverse("followups:follow_up_create", args=[due_duo.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url, {"offset_months": 3, "date": tomorrow.isoformat(), "situation": "none", "source": "employer"}
    )
    assert response.status_code == 200
    assert "A follow-up cannot be in the future." in response.content.decode()
    assert response.context["form"]["source"].value() == "employer"
    assert not FollowUp.objects.exists()


def test_correcting_a_follow_up(client, coordinator_a, due_duo):
    follow_up = FollowUp.objects.create(
        duo=due_duo, offset_months=3, date=days_ago(2), situation="job", contract_type="cdd", same_job=True
    )
    client.force_login(coordinator_a)
    url = reverse("followups:follow_up_update", args=[follow_up.pk])
    form = client.get(url).context["form"]
    data = {**initial_post_data(form), "situation": "studies"}
    assert client.post(url, data).status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.situation, follow_up.contract_type, follow_up.same_job) == ("studies", "", None)


def test_active_duo_has_no_follow_up_yet(client, coordinator_a, programme_a):
    duo = DuoFactory(programme=programme_a, start_date=days_ago(30))
    client.force_login(coordinator_a)
    assert 'id="follow-ups"' not in client.get(duo.get_absolute_url()).content.decode()
    page = client.get(reverse("followups:follow_up_create", args=[duo.pk]))
    assert "Follow-ups are recorded once the duo is closed." in page.content.decode()


def test_actiris_roles_read_follow_ups_but_do_not_record(client, staff_user, coordinator_b, due_duo):
    client.force_login(staff_user)
    content = client.get(due_duo.get_absolute_url()).content.decode()
    assert "Follow-ups after closure" in content
    assert reverse("followups:follow_up_create", args=[due_duo.pk]) not in content
    assert client.get(reverse("followups:follow_up_list")).context["object_list"][0].pk == due_duo.pk
    client.force_login(coordinator_b)
    assert not client.get(reverse("followups:follow_up_list")).context["object_list"]


def test_list_of_follow_ups_due(client, coordinator_a, programme_a, due_duo, settings):
    settings.FOLLOW_UP_WINDOW_DAYS = 60
    missed = closed_duo(programme_a, add_months(days_ago(70), -3))
    recorded = closed_duo(programme_a, add_months(days_ago(5), -6))
    FollowUp.objects.create(duo=recorded, offset_months=6, date=days_ago(1), situation="none")
    client.force_login(coordinator_a)
    url = reverse("followups:follow_up_list")
    response = client.get(url)
    rows = [(row.pk, row.offset_months) for row in response.context["object_list"]]
    assert rows == [(due_duo.pk, 3)]
    assert date_format(add_months(due_duo.end_date, 3), "SHORT_DATE_FORMAT") in response.content.decode()
    assert [(r.pk, r.offset_months) for r in client.get(url, {"state": "missed"}).context["object_list"]] == [
        (recorded.pk, 3),  # due about 3 months ago
        (missed.pk, 3),  # due 70 days ago
    ]
    recorded_rows = client.get(url, {"state": "recorded", "situation": "known"}).context["object_list"]
    assert [(r.pk, r.offset_months) for r in recorded_rows] == [(recorded.pk, 6)]
    assert not client.get(url, {"state": "recorded", "situation": "employed"}).context["object_list"]
    every = client.get(url, {"state": "all", "months": "12"}).context["object_list"]
    assert {row.pk for row in every} == {due_duo.pk, missed.pk, recorded.pk}


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_is_flat(client, coordinator_a, programme_a, rows, django_assert_num_queries):
    for index in range(rows):
        closed_duo(programme_a, add_months(days_ago(index % 20), -3))
    client.force_login(coordinator_a)
    # session, user, membership; offsets in use (state filter), months filter's
    # choices, programme filter's choices; count and page; recorded follow-ups
    with django_assert_num_queries(8):
        response = client.get(reverse("followups:follow_up_list"))
    assert len(response.context["object_list"]) == min(rows, 25)


def test_programme_form_sets_its_follow_ups(client, staff_user, partner_a):
    client.force_login(staff_user)
    data = {
        "partner": partner_a.pk,
        "name": "New programme",
        "slug": "new-programme",
        "duration_months": 6,
        "min_meetings_per_month": 2,
        "meeting_place": "any",
        "max_active_duos_per_mentor": 1,
        "completion_tolerance_days": 14,
        "is_active": "on",
    }
    form = client.get(reverse("programmes:programme_create")).context["form"]
    assert form["follow_up_months"].value() == "3, 6, 12"
    response = client.post(reverse("programmes:programme_create"), {**data, "follow_up_months": "3, 6, 12"})
    assert response.status_code == 302
    programme = Programme.objects.get(slug="new-programme")
    assert list(programme.follow_up_offsets.values_list("months", flat=True)) == [3, 6, 12]
    update = reverse("programmes:programme_update", args=[programme.pk])
    assert client.get(update).context["form"]["follow_up_months"].value() == "3, 6, 12"
    bad = client.post(update, {**data, "follow_up_months": "3, six"})
    assert "Give whole numbers of months" in bad.content.decode()
    assert client.post(update, {**data, "follow_up_months": "6 12 24"}).status_code == 302
    assert list(programme.follow_up_offsets.values_list("months", flat=True)) == [6, 12, 24]
    assert "6, 12, 24 months" in client.get(programme.get_absolute_url()).content.decode()
