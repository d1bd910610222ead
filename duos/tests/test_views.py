"""Lists (filters, search, sort, pagination) and detail pages of the workspace."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duos.models import MeetingStatus
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MeetingFactory, MenteeFactory, MentorFactory, OutcomeFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def client_a(client, coordinator_a):
    client.force_login(coordinator_a)
    return client


@pytest.fixture
def programme(partner_a):
    return ProgrammeFactory(partner=partner_a, name="DUO Brussels", min_meetings_per_month=2)


def listed(response):
    return [obj.pk for obj in response.context["object_list"]]


class TestDuoList:
    def test_filters(self, client_a, programme, partner_a):
        other_programme = ProgrammeFactory(partner=partner_a, name="Team4Job")
        early = DuoFactory(programme=programme, start_date=datetime.date(2018, 3, 1))
        late = DuoFactory(programme=other_programme, start_date=datetime.date(2019, 3, 1))
        closed = DuoFactory(programme=programme, start_date=datetime.date(2018, 6, 1), closed=True)
        url = reverse("duos:duo_list")

        assert set(listed(client_a.get(url))) == {early.pk, late.pk, closed.pk}
        assert listed(client_a.get(url, {"programme": other_programme.pk})) == [late.pk]
        assert listed(client_a.get(url, {"status": "closed"})) == [closed.pk]
        assert set(listed(client_a.get(url, {"status": "active"}))) == {early.pk, late.pk}
        response = client_a.get(url, {"start_after": "2018-05-01", "start_before": "2018-12-31"})
        assert listed(response) == [closed.pk]

    def test_search_by_name_and_jobseeker_number(self, client_a, programme, partner_a):
        duo = DuoFactory(
            programme=programme,
            mentee=MenteeFactory(partner=partner_a, first_name="Amina", last_name="Benali", jobseeker_number="7123456"),
        )
        DuoFactory(programme=programme)
        url = reverse("duos:duo_list")
        assert listed(client_a.get(url, {"q": "benali"})) == [duo.pk]
        assert listed(client_a.get(url, {"q": "7123456"})) == [duo.pk]
        assert listed(client_a.get(url, {"q": "amina benali"})) == [duo.pk]
        assert listed(client_a.get(url, {"q": "nobody"})) == []

    def test_behind_cadence_filter(self, client_a, programme):
        today = timezone.localdate()
        start = (today.replace(day=1) - datetime.timedelta(days=70)).replace(day=1)
        behind = DuoFactory(programme=programme, start_date=start)
        ok = DuoFactory(programme=programme, start_date=start)
        last_month = today.replace(day=1) - datetime.timedelta(days=1)
        MeetingFactory(duo=ok, date=last_month)
        MeetingFactory(duo=ok, date=last_month.replace(day=1))
        url = reverse("duos:duo_list")
        assert listed(client_a.get(url, {"behind_cadence": "yes"})) == [behind.pk]
        assert listed(client_a.get(url, {"behind_cadence": "no"})) == [ok.pk]

    def test_sorting(self, client_a, programme, partner_a):
        zed = DuoFactory(programme=programme, mentee=MenteeFactory(partner=partner_a, last_name="Zed"))
        abe = DuoFactory(programme=programme, mentee=MenteeFactory(partner=partner_a, last_name="Abe"))
        url = reverse("duos:duo_list")
        assert listed(client_a.get(url, {"o": "mentee"})) == [abe.pk, zed.pk]
        assert listed(client_a.get(url, {"o": "-mentee"})) == [zed.pk, abe.pk]
        content = client_a.get(url, {"o": "mentee"}).content.decode()
        assert 'aria-sort="ascending"' in content
        assert "?o=-mentee" in content

    def test_paginated_by_25(self, client_a, programme):
        for _ in range(27):
            DuoFactory(programme=programme)
        url = reverse("duos:duo_list")
        first = client_a.get(url)
        assert len(first.context["object_list"]) == 25
        assert "Page 1 of 2" in first.content.decode()
        assert len(client_a.get(url, {"page": 2}).context["object_list"]) == 2

    def test_empty_state(self, client_a):
        content = client_a.get(reverse("duos:duo_list")).content.decode()
        assert "No duo yet." in content
        assert reverse("duos:duo_create") in content
        content = client_a.get(reverse("duos:duo_list"), {"q": "nobody"}).content.decode()
        assert "No duo matches these filters." in content
        assert "Reset the filters to see them all." in content

    def test_closed_list_shows_outcome_duo(self, client_a, programme):
        duo = OutcomeFactory(duo=DuoFactory(programme=programme, closed=True)).duo
        response = client_a.get(reverse("duos:duo_list"), {"status": "closed"})
        assert listed(response) == [duo.pk]
        assert "Closed" in response.content.decode()


class TestPeopleLists:
    def test_mentor_filters(self, client_a, programme, partner_a):
        busy = DuoFactory(programme=programme).mentor
        free = MentorFactory(partner=partner_a, employer="Proximus")
        url = reverse("duos:mentor_list")
        assert set(listed(client_a.get(url))) == {busy.pk, free.pk}
        assert listed(client_a.get(url, {"status": "active"})) == [busy.pk]
        assert listed(client_a.get(url, {"status": "free"})) == [free.pk]
        assert listed(client_a.get(url, {"programme": programme.pk})) == [busy.pk]
        assert listed(client_a.get(url, {"q": "proximus"})) == [free.pk]

    def test_mentee_filters_do_not_repeat_rows(self, client_a, programme, partner_a):
        mentee = MenteeFactory(partner=partner_a, jobseeker_number="5500001")
        DuoFactory(programme=programme, mentee=mentee, closed=True, start_date=datetime.date(2018, 1, 1))
        DuoFactory(programme=programme, mentee=mentee, closed=True, start_date=datetime.date(2018, 9, 1))
        url = reverse("duos:mentee_list")
        assert listed(client_a.get(url, {"programme": programme.pk})) == [mentee.pk]
        assert listed(client_a.get(url, {"start_after": "2018-01-01"})) == [mentee.pk]
        assert listed(client_a.get(url, {"start_after": "2019-01-01"})) == []
        assert listed(client_a.get(url, {"q": "5500001"})) == [mentee.pk]


class TestDuoDetail:
    def test_shows_people_rules_timeline_and_cadence(self, client_a, programme):
        duo = DuoFactory(programme=programme, start_date=datetime.date(2018, 9, 3))
        MeetingFactory(duo=duo, date=datetime.date(2018, 10, 2), note="First CV review")
        MeetingFactory(duo=duo, date=datetime.date(2018, 10, 16))
        MeetingFactory(duo=duo, date=datetime.date(2018, 11, 6), status=MeetingStatus.CANCELLED)
        response = client_a.get(reverse("duos:duo_detail", args=[duo.pk]))
        content = response.content.decode()
        assert str(duo.mentor) in content and str(duo.mentee) in content
        assert "Minimum meetings per month" in content
        assert "First CV review" in content
        cadence = response.context["cadence"]
        assert cadence[0] == {"month": datetime.date(2018, 10, 1), "held": 2, "minimum": 2, "met": True}
        assert cadence[1]["held"] == 0  # the cancelled meeting does not count
        assert "Log a meeting" in content
        assert f'hx-post="{reverse("duos:meeting_create", args=[duo.pk])}"' in content

    def test_closed_duo_shows_outcome_and_no_meeting_form(self, client_a, programme):
        outcome = OutcomeFactory(
            duo=DuoFactory(programme=programme, closed=True), contract_type="cdi", employer="Brussels Airport"
        )
        response = client_a.get(reverse("duos:duo_detail", args=[outcome.duo.pk]))
        content = response.content.decode()
        assert "Permanent contract (CDI)" in content
        assert "Brussels Airport" in content
        assert response.context["meeting_form"] is None
        assert reverse("duos:duo_close", args=[outcome.duo.pk]) not in content


def test_mentee_detail_offers_a_duo_when_free(client_a, partner_a):
    mentee = MenteeFactory(partner=partner_a)
    content = client_a.get(reverse("duos:mentee_detail", args=[mentee.pk])).content.decode()
    assert f"{reverse('duos:duo_create')}?mentee={mentee.pk}" in content


def test_dates_follow_the_language(client, coordinator_a, programme):
    DuoFactory(programme=programme, start_date=datetime.date(2018, 9, 3))
    client.force_login(coordinator_a)
    client.post(reverse("set_language"), {"language": "fr"})
    content = client.get(reverse("duos:duo_list")).content.decode()
    assert "03/09/2018" in content
    client.post(reverse("set_language"), {"language": "nl"})
    assert "3-9-2018" in client.get(reverse("duos:duo_list")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    # English as written in Belgium: day first, never the American 09/03/2018.
    content = client.get(reverse("duos:duo_list")).content.decode()
    assert "03/09/2018" in content and "09/03/2018" not in content


def test_htmx_post_after_session_expired_redirects_the_page(client, programme):
    duo = DuoFactory(programme=programme)
    response = client.post(
        reverse("duos:meeting_create", args=[duo.pk]),
        {},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{duo.get_absolute_url()}",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next=%2Fduos%2F{duo.pk}%2F"


def test_duo_list_follows_the_dashboard_links(client, coordinator_a, partner_a):
    """The filters behind each figure's link: closed in a period, by primary outcome and contract, active on a day."""
    import datetime

    from tests.factories import DuoFactory, OutcomeFactory, ProgrammeFactory

    programme = ProgrammeFactory(partner=partner_a)
    cdi = OutcomeFactory(
        duo=DuoFactory(programme=programme, closed=True, start_date=datetime.date(2019, 1, 7)),
        type="job",
        contract_type="cdi",
    ).duo
    training = OutcomeFactory(
        duo=DuoFactory(programme=programme, closed=True, start_date=datetime.date(2019, 1, 14)), type="training"
    ).duo
    # A non-primary follow-up must not count as the duo's outcome.
    OutcomeFactory(duo=training, is_primary=False, type="job", contract_type="cdi")
    active = DuoFactory(programme=programme, start_date=datetime.date(2019, 5, 6))
    client.force_login(coordinator_a)

    def listed(**params):
        response = client.get(reverse("duos:duo_list"), params)
        assert response.status_code == 200
        return {duo.pk for duo in response.context["object_list"]}

    closed = {"status": "closed", "end_after": "2019-07-01", "end_before": "2019-07-31"}
    assert listed(**closed) == {cdi.pk, training.pk}
    assert listed(**closed, outcome="job") == {cdi.pk}
    assert listed(**closed, outcome="job", contract="cdi") == {cdi.pk}
    assert listed(**closed, outcome="training") == {training.pk}
    assert listed(**closed, closure_reason="completed") == {cdi.pk, training.pk}
    assert listed(active_on="2019-07-31") == {active.pk}
    assert listed(active_on="2019-07-05") == {cdi.pk, training.pk, active.pk}  # both close after 5 July
