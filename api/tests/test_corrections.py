"""Corrections of a duo through the API (each with a reason, kept in the
history), conditional writes (If-Match: 412 instead of overwriting someone
else's change) and meetings sent twice with one Idempotency-Key."""

import uuid

import pytest
from django.urls import reverse

from duos.models import DuoCorrection, DuoStatus, Meeting, Outcome

from .conftest import token_client


@pytest.fixture
def coordinator(coordinator_a):
    return token_client(coordinator_a)


def post(client, name, pk, data, **headers):
    return client.post(reverse(name, args=[pk]), data, format="json", **headers)


def test_correct_reopen_and_cancel_a_duo_with_a_reason(world, coordinator, coordinator_a):
    closed = world.closed_duo_a
    data = {
        "end_date": str(closed.end_date),
        "reason": "completed",
        "outcome_type": "job",
        "contract_type": "cdd",
        "contract_months": 6,
    }
    no_reason = post(coordinator, "api:duo-correct-closure", closed.pk, {**data, "correction_reason": " "})
    assert no_reason.status_code == 400
    assert list(no_reason.json()) == ["correction_reason"]
    response = post(coordinator, "api:duo-correct-closure", closed.pk, {**data, "correction_reason": "CDD, not CDI"})
    assert response.status_code == 200, response.json()
    assert response.json()["outcome_type"] == "job"
    assert Outcome.objects.get(duo=closed, is_primary=True).contract_type == "cdd"

    response = post(coordinator, "api:duo-reopen", closed.pk, {"correction_reason": "Closed by mistake"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["end_date"], response.json()["outcome_type"]) == (
        "active",
        None,
        None,
    )
    again = post(coordinator, "api:duo-reopen", closed.pk, {"correction_reason": "twice"})
    assert again.json() == {"non_field_errors": ["Only a closed duo can be reopened."]}

    response = post(coordinator, "api:duo-cancel", world.duo_a.pk, {"correction_reason": "Entered twice"})
    assert response.status_code == 200
    assert response.json()["status"] == DuoStatus.CANCELLED
    kinds = list(DuoCorrection.objects.order_by("pk").values_list("kind", "reason", "made_by"))
    assert [(kind, made_by) for kind, _reason, made_by in kinds] == [
        ("closure_corrected", coordinator_a.pk),
        ("reopened", coordinator_a.pk),
        ("cancelled", coordinator_a.pk),
    ]
    # A cancelled duo's meetings are read-only.
    meeting = reverse("api:meeting-detail", args=[world.meeting_a.pk])
    assert coordinator.patch(meeting, {"duration_minutes": 30}, format="json").status_code == 400


def test_if_match_refuses_to_overwrite_a_newer_change(world, coordinator):
    url = reverse("api:mentor-detail", args=[world.mentor_a.pk])
    read = coordinator.get(url)
    etag = read["ETag"]
    assert etag == f'"{read.json()["updated_at"]}"'
    first = coordinator.patch(url, {"job_title": "Nurse"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] != etag
    late = coordinator.patch(url, {"job_title": "Teacher"}, format="json", HTTP_IF_MATCH=etag)
    assert late.status_code == 412
    assert "changed since you read it" in late.json()["detail"]
    world.mentor_a.refresh_from_db()
    assert world.mentor_a.job_title == "Nurse"
    assert (
        coordinator.patch(url, {"job_title": "Teacher"}, format="json", HTTP_IF_MATCH=first["ETag"]).status_code == 200
    )
    assert coordinator.patch(url, {"job_title": "X"}, format="json", HTTP_IF_MATCH='"not a version"').status_code == 412
    assert coordinator.patch(url, {"job_title": "Y"}, format="json").status_code == 200  # no If-Match: no check


@pytest.mark.parametrize(
    ("name", "target", "change"),
    [
        ("api:mentee-detail", "mentee_a", {"languages": "Dutch"}),
        ("api:duo-detail", "duo_a", {"planned_end_date": "2019-04-01"}),
        ("api:meeting-detail", "meeting_a", {"duration_minutes": 50}),
    ],
)
def test_if_match_on_every_versioned_record(world, coordinator, name, target, change):
    url = reverse(name, args=[getattr(world, target).pk])
    etag = coordinator.get(url)["ETag"]
    assert coordinator.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert coordinator.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 412


def test_a_meeting_sent_twice_with_one_idempotency_key_is_stored_once(world, coordinator):
    key = str(uuid.uuid4())
    data = {"duo": world.duo_a.pk, "date": "2018-09-20", "duration_minutes": 60, "place": "online"}
    first = coordinator.post(reverse("api:meeting-list"), data, format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = coordinator.post(reverse("api:meeting-list"), data, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Meeting.objects.filter(duo=world.duo_a, date="2018-09-20").count() == 1
    bad = coordinator.post(reverse("api:meeting-list"), data, format="json", HTTP_IDEMPOTENCY_KEY="again")
    assert bad.status_code == 400
    assert list(bad.json()) == ["non_field_errors"]
