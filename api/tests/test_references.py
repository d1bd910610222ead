"""A partner's system names its records by its own references (mentors,
duos, meetings; mentees by job-seeker number) and finds them again with them."""

import datetime

import pytest
from django.urls import reverse

from duos.models import Duo, Meeting, Mentor
from tests.factories import DuoFactory

from .conftest import token_client


@pytest.fixture
def coordinator(coordinator_a):
    return token_client(coordinator_a)


def test_references_are_kept_unique_and_found_again(world, coordinator, coordinator_b):
    mentor = {"first_name": "Ann", "last_name": "Ref", "birth_date": "1961-02-03", "reference": "M-0042"}
    response = coordinator.post(reverse("api:mentor-list"), mentor, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["reference"] == "M-0042"
    mentors = Mentor.objects.count()
    again = coordinator.post(reverse("api:mentor-list"), mentor, format="json")
    assert again.status_code == 400
    assert again.json() == {"reference": ["This partner already has a mentor with this reference."]}
    assert Mentor.objects.count() == mentors  # nothing written
    found = coordinator.get(reverse("api:mentor-list"), {"reference": "M-0042"}).json()["results"]
    assert [row["id"] for row in found] == [response.json()["id"]]
    # Another partner may use the same reference for its own mentor, and does not find ours.
    other = token_client(coordinator_b)
    assert other.post(reverse("api:mentor-list"), mentor, format="json").status_code == 201
    assert [r["partner"] for r in other.get(reverse("api:mentor-list"), {"reference": "M-0042"}).json()["results"]] == [
        world.partner_b.pk
    ]


def test_duo_and_meeting_references(world, coordinator):
    url = reverse("api:duo-detail", args=[world.duo_a.pk])
    assert coordinator.patch(url, {"reference": "D-7"}, format="json").json()["reference"] == "D-7"
    assert coordinator.patch(url, {"planned_end_date": "2019-03-20"}, format="json").json()["reference"] == "D-7"
    other = DuoFactory(programme=world.programme_a)
    clash = coordinator.patch(reverse("api:duo-detail", args=[other.pk]), {"reference": "D-7"}, format="json")
    assert clash.json() == {"reference": ["This partner already has a duo with this reference."]}
    assert Duo.objects.filter(reference="D-7").count() == 1
    assert [d["id"] for d in coordinator.get(reverse("api:duo-list"), {"reference": "D-7"}).json()["results"]] == [
        world.duo_a.pk
    ]

    meeting = {
        "duo": world.duo_a.pk,
        "date": "2018-10-01",
        "duration_minutes": 60,
        "place": "online",
        "reference": "V-1",
    }
    assert coordinator.post(reverse("api:meeting-list"), meeting, format="json").status_code == 201
    clash = coordinator.post(reverse("api:meeting-list"), {**meeting, "date": "2018-10-08"}, format="json")
    assert clash.json() == {"reference": ["This duo already has a meeting with this reference."]}
    assert not Meeting.objects.filter(date=datetime.date(2018, 10, 8)).exists()


def test_mentees_are_found_by_jobseeker_number(world, coordinator):
    rows = coordinator.get(reverse("api:mentee-list"), {"jobseeker_number": world.mentee_a.jobseeker_number}).json()
    assert [row["id"] for row in rows["results"]] == [world.mentee_a.pk]
