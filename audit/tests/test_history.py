"""The History tab: changes field by field, in the reader's language, with the
reason of a correction; never the migration background."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from duos import services
from duos.models import ContractType, MigrationBackground
from tests.factories import MeetingFactory, OutcomeFactory


def history_url(kind, pk):
    return reverse("audit:record_history", args=[kind, pk])


@pytest.fixture
def corrected_duo(world, coordinator_a):
    duo = world.duo_a
    duo.planned_end_date = datetime.date(2019, 4, 30)
    duo._change_reason = "The convention allows 8 months"
    duo.save()
    return duo


def test_duo_history_field_by_field_with_the_reason(client, coordinator_a, corrected_duo):
    client.force_login(coordinator_a)
    response = client.get(history_url("duo", corrected_duo.pk))
    assert response.status_code == 200
    changes = response.context["changes"]
    latest = changes[0]
    assert latest.type == "~"
    assert latest.reason == "The convention allows 8 months"
    assert [(f.label, f.new) for f in latest.fields] == [("Planned end date", datetime.date(2019, 4, 30))]
    content = response.content.decode()
    assert "Reason of the correction:" in content
    assert "30 April 2019" in content
    # The duo's meeting shows in its history too.
    assert any(change.record_label == "Meeting" and change.type == "+" for change in changes)


def test_history_in_the_readers_language(client, coordinator_a, corrected_duo):
    client.force_login(coordinator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    content = client.get(history_url("duo", corrected_duo.pk)).content.decode()
    assert "Date de fin prévue" in content
    assert "Modifié" in content or "Modification" in content


def test_choices_and_related_records_read_as_words(client, coordinator_a, world):
    # Not the primary outcome: world.duo_a is active, and an active duo has none (a database rule).
    outcome = OutcomeFactory(duo=world.duo_a, is_primary=False, type="job", contract_type="cdd", contract_months=6)
    outcome.contract_type = "interim"
    outcome.save()
    client.force_login(coordinator_a)
    changes = client.get(history_url("outcome", outcome.pk)).context["changes"]
    assert [(f.label, f.old, f.new) for f in changes[0].fields] == [
        ("Contract type", "Fixed-term contract (CDD)", dict(ContractType.choices)["interim"])
    ]
    created = changes[-1]
    assert ("Duo", str(world.duo_a)) in [(f.label, f.new) for f in created.fields]


def test_deleted_meetings_stay_in_the_duo_history(client, coordinator_a, world):
    meeting = MeetingFactory(duo=world.duo_a, date=datetime.date(2018, 9, 17), note="Talked about CVs")
    services.meeting_delete(meeting=meeting)
    client.force_login(coordinator_a)
    changes = client.get(history_url("duo", world.duo_a.pk)).context["changes"]
    assert any(change.type == "-" and change.record_label == "Meeting" for change in changes)


@pytest.mark.parametrize(
    "kind, target",
    [
        ("duo", "duo_a"),
        ("mentee", "mentee_a"),
        ("mentor", "mentor_a"),
        ("meeting", "meeting_a"),
        ("convention", "convention_a"),
    ],
)
@pytest.mark.parametrize(
    "persona, expected",
    [("coordinator_a", 200), ("coordinator_b", 404), ("staff_user", 200), ("manager_user", 200), ("dpo_user", 404)],
)
def test_who_sees_which_history(client, world, request, kind, target, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(history_url(kind, getattr(world, target).pk))
    assert response.status_code == expected


def test_outcome_history_is_partner_scoped(client, world, coordinator_b):
    outcome = OutcomeFactory(duo=world.duo_a, is_primary=False)  # duo_a is active: no primary outcome
    client.force_login(coordinator_b)
    assert client.get(history_url("outcome", outcome.pk)).status_code == 404


def test_unknown_kind_is_404(client, world, staff_user):
    client.force_login(staff_user)
    assert client.get(history_url("partner", world.partner_a.pk)).status_code == 404


def test_history_page_query_count_is_flat(client, coordinator_a, world, django_assert_num_queries):
    """Session, user, membership, the duo, the log entry; the history of the duo,
    its meetings, outcomes and follow-ups; the names of the related records (one query per
    kind: partner, programme, mentor, mentee, convention, duo)."""
    client.force_login(coordinator_a)
    url = history_url("duo", world.duo_a.pk)
    client.get(url)
    with django_assert_num_queries(15):
        client.get(url)
    for day in range(11, 30):
        MeetingFactory(duo=world.duo_a, date=datetime.date(2018, 10, day))
        OutcomeFactory(duo=world.duo_a, is_primary=False) if day == 11 else None
    with django_assert_num_queries(15):
        client.get(url)


class TestMigrationBackgroundNeverInHistory:
    def test_value_set_back_to_not_recorded_is_not_readable_in_history(self, world):
        mentee = world.mentee_a
        services.mentee_save(mentee=mentee, has_migration_background=True)
        services.mentee_save(mentee=mentee, has_migration_background=None)
        assert not MigrationBackground.objects.filter(mentee=mentee).exists()
        rows = MigrationBackground.history.filter(mentee_id=mentee.pk)
        assert rows.exists()  # who recorded or removed it, and when
        history_columns = {f.name for f in MigrationBackground.history.model._meta.fields}
        assert "has_migration_background" not in history_columns

    def test_not_in_the_admin(self, client, admin_user_, world):
        client.force_login(admin_user_)
        page = client.get(reverse("admin:duos_mentee_change", args=[world.mentee_a.pk]))
        assert page.status_code == 200
        content = page.content.decode().lower()
        assert "migration background" not in content
        assert "migration_background" not in content

    def test_history_tab_of_a_mentee_shows_no_background(self, client, coordinator_a, world):
        services.mentee_save(mentee=world.mentee_a, has_migration_background=False)
        client.force_login(coordinator_a)
        content = client.get(history_url("mentee", world.mentee_a.pk)).content.decode()
        assert "Migration background" not in content


def test_records_written_in_bulk_show_a_baseline(client, coordinator_a, world):
    """Demo data and imports use bulk writes (no "created" row): the first
    change is shown as the values after it, not as changes from empty."""
    mentor = world.mentor_a
    mentor.history.all().delete()
    mentor.job_title = "Warehouse manager"
    mentor.save()
    client.force_login(coordinator_a)
    response = client.get(history_url("mentor", mentor.pk))
    [change] = response.context["changes"]
    assert change.baseline
    assert "the values before it are unknown" in response.content.decode()
