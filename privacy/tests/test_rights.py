"""Access (export) and erasure of one person's data, by their coordinator."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AccessAction, AccessLogEntry
from duos import services as duo_services
from duos.models import Duo, Meeting, Mentee, MigrationBackground
from privacy.models import Erasure
from privacy.services import person_erase
from tests.factories import MeetingFactory, OutcomeFactory


def export_url(kind, pk):
    return reverse("privacy:person_export", args=[kind, pk])


def erase_url(kind, pk):
    return reverse("privacy:person_erase", args=[kind, pk])


@pytest.fixture
def closed_duo(world):
    """Partner A's duo, closed with a job, a meeting note and an employer."""
    duo = world.duo_a
    duo.status, duo.end_date, duo.closure_reason, duo.closure_note = (
        "closed",
        datetime.date(2019, 3, 1),
        "completed",
        "Found work at Acme",
    )
    duo.save()
    MeetingFactory(duo=duo, date=datetime.date(2018, 10, 1), note="Amina practised her interview")
    OutcomeFactory(duo=duo, employer="Acme Logistics")
    return duo


class TestExport:
    def test_printable_page_with_everything(self, client, coordinator_a, world, closed_duo):
        mentee = world.mentee_a
        client.force_login(coordinator_a)
        response = client.get(export_url("mentee", mentee.pk))
        assert response.status_code == 200
        content = response.content.decode()
        for text in (
            mentee.first_name,
            mentee.jobseeker_number,
            "Amina practised her interview",
            "Acme Logistics",
            "Migration background",
            "History of changes",
            "data-print",
        ):
            assert text in content
        entry = AccessLogEntry.objects.get(action=AccessAction.PERSONAL_DATA_EXPORT)
        assert (entry.object_type, entry.object_id, entry.detail) == ("duos.mentee", str(mentee.pk), "page")

    def test_json_download(self, client, coordinator_a, world, closed_duo):
        mentee = world.mentee_a
        client.force_login(coordinator_a)
        response = client.get(export_url("mentee", mentee.pk), {"format": "json"})
        assert response["Content-Disposition"] == f'attachment; filename="mentee-{mentee.pk}-personal-data.json"'
        data = json.loads(response.content)
        assert data["person"]["jobseeker_number"] == mentee.jobseeker_number
        assert data["person"]["birth_date"] == mentee.birth_date.isoformat()
        assert data["migration_background"] is True
        [duo] = data["duos"]
        assert duo["closure_note"] == "Found work at Acme"
        assert {m["note"] for m in duo["meetings"]} >= {"Amina practised her interview"}
        assert duo["outcomes"][0]["employer"] == "Acme Logistics"
        assert {row["record"] for row in data["history"]} >= {"mentee", "duo", "meeting", "outcome"}

    def test_mentor_export(self, client, coordinator_a, world):
        client.force_login(coordinator_a)
        data = json.loads(client.get(export_url("mentor", world.mentor_a.pk), {"format": "json"}).content)
        assert data["person"]["last_name"] == world.mentor_a.last_name
        assert "migration_background" not in data

    @pytest.mark.parametrize("persona, expected", [("coordinator_b", 404), ("staff_user", 403), ("dpo_user", 404)])
    def test_only_the_partners_coordinator(self, client, world, request, persona, expected):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(export_url("mentee", world.mentee_a.pk)).status_code == expected
        assert client.get(erase_url("mentee", world.mentee_a.pk)).status_code == expected


class TestErasure:
    def test_erase_on_request(self, client, coordinator_a, world, closed_duo):
        mentee = world.mentee_a
        old = (mentee.first_name, mentee.last_name, mentee.jobseeker_number, mentee.email)
        client.force_login(coordinator_a)
        assert "cannot be undone" in client.get(erase_url("mentee", mentee.pk)).content.decode()
        assert client.post(erase_url("mentee", mentee.pk), {}).status_code == 200  # no confirmation: nothing
        assert not Erasure.objects.exists()
        response = client.post(erase_url("mentee", mentee.pk), {"confirm": "on"})
        assert response.url == mentee.get_absolute_url()

        mentee.refresh_from_db()
        assert (mentee.first_name, mentee.last_name) == ("Erased", f"#{mentee.pk}")
        assert mentee.jobseeker_number == f"ERASED-{mentee.pk}"
        assert mentee.email == mentee.phone == mentee.languages == ""
        assert mentee.birth_date == world.mentee_a.birth_date.replace(month=1, day=1)
        assert not MigrationBackground.objects.filter(mentee=mentee).exists()
        duo = Duo.objects.get(pk=closed_duo.pk)
        assert duo.closure_note == "" and duo.status == "closed" and duo.end_date == datetime.date(2019, 3, 1)
        assert set(Meeting.objects.filter(duo=duo).values_list("note", flat=True)) == {""}
        assert duo.outcomes.get().employer == "" and duo.outcomes.get().type == "job"
        # ...and in the history tables.
        for name in old:
            if name:
                assert not Mentee.history.filter(first_name=name).exists()
                assert not Mentee.history.filter(last_name=name).exists()
                assert not Mentee.history.filter(jobseeker_number=name).exists()
        assert not Meeting.history.filter(note__contains="Amina").exists()
        assert not Duo.history.filter(closure_note__contains="Acme").exists()
        assert AccessLogEntry.objects.filter(action=AccessAction.PERSON_ERASE, object_id=str(mentee.pk)).exists()
        # The mentor keeps their identity.
        assert world.mentor_a.last_name in str(Duo.objects.get(pk=duo.pk).mentor)

    def test_not_while_in_an_active_duo(self, coordinator_a, world):
        with pytest.raises(ValidationError, match="active duo"):
            person_erase(person=world.mentee_a, by=coordinator_a)
        assert not Erasure.objects.exists()

    def test_not_twice(self, coordinator_a, world, closed_duo):
        person_erase(person=world.mentee_a, by=coordinator_a)
        with pytest.raises(ValidationError, match="erased already"):
            person_erase(person=world.mentee_a, by=coordinator_a)

    def test_erased_mentee_stays_editable_without_error(self, client, coordinator_a, world, closed_duo):
        person_erase(person=world.mentee_a, by=coordinator_a)
        client.force_login(coordinator_a)
        assert client.get(world.mentee_a.get_absolute_url()).status_code == 200
        assert client.get(reverse("duos:mentee_list")).status_code == 200

    def test_mentor_erasure(self, coordinator_a, world, closed_duo):
        duo_services.mentor_save(mentor=world.mentor_a)  # one more history row
        person_erase(person=world.mentor_a, by=coordinator_a)
        world.mentor_a.refresh_from_db()
        assert world.mentor_a.first_name == "Erased" and world.mentor_a.employer == ""
        assert set(world.mentor_a.history.values_list("first_name", flat=True)) == {"Erased"}
