"""Reads of mentees through the API are in the access log, as on the pages."""

from django.urls import reverse

from audit.models import AccessAction, AccessLogEntry

from .conftest import token_client


def test_reading_a_mentee_is_logged(world, coordinator_a, staff_user):
    token_client(coordinator_a).get(reverse("api:mentee-detail", args=[world.mentee_a.pk]))
    token_client(staff_user).get(reverse("api:mentee-detail", args=[world.mentee_a.pk]))
    entries = AccessLogEntry.objects.order_by("pk")
    assert [(e.username, e.action, e.object_type, e.object_id) for e in entries] == [
        ("coord-a", AccessAction.MENTEE_VIEW, "duos.mentee", str(world.mentee_a.pk)),
        ("coord-a", AccessAction.MIGRATION_BACKGROUND_VIEW, "duos.mentee", str(world.mentee_a.pk)),
        ("staff", AccessAction.MENTEE_VIEW, "duos.mentee", str(world.mentee_a.pk)),  # staff never see the background
    ]
    assert entries[0].partner_id == world.partner_a.pk
    assert entries[0].path == reverse("api:mentee-detail", args=[world.mentee_a.pk])


def test_a_foreign_mentee_is_not_logged_as_read(world, coordinator_b):
    assert token_client(coordinator_b).get(reverse("api:mentee-detail", args=[world.mentee_a.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_page_of_the_mentee_list_is_logged_without_the_search(world, coordinator_a):
    token_client(coordinator_a).get(reverse("api:mentee-list"), {"q": world.mentee_a.last_name, "status": "active"})
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.object_type) == (AccessAction.API_LIST_READ, "duos.mentee")
    assert entry.detail == "api 1 rows; filters: q, status"
    assert entry.path == reverse("api:mentee-list")
    assert world.mentee_a.last_name not in entry.detail + entry.path
