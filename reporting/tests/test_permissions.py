"""Report access has one path: ``ReportRequest.objects.visible_to(user)`` for
the rows and ``can_download_report`` for the file; a user without a role gets
the workspace's answer (nothing found), also for a report they requested while
they had one."""

import pytest
from django.urls import reverse

from duos.models import Duo
from programmes.models import Membership
from reporting.figures import Period
from reporting.models import ReportRequest
from reporting.permissions import can_download_report
from reporting.services import report_build, report_request_create
from tests.factories import UserFactory

Q1 = Period.quarter("2019Q1")


@pytest.fixture
def report_of_a(hand_counted, coordinator_a, media_root):
    report_request = report_request_create(user=coordinator_a, period=Q1, format="csv")
    report_build(report_request_id=report_request.pk)
    return report_request


def test_visible_to_per_role(report_of_a, coordinator_a, coordinator_b, manager_user, staff_user):
    of_manager = report_request_create(user=manager_user, period=Q1, format="csv")
    visible = {user: set(ReportRequest.objects.visible_to(user)) for user in (coordinator_a, coordinator_b)}
    assert visible == {coordinator_a: {report_of_a}, coordinator_b: set()}
    assert set(ReportRequest.objects.visible_to(manager_user)) == {report_of_a, of_manager}
    assert not ReportRequest.objects.visible_to(staff_user).exists()
    assert not ReportRequest.objects.visible_to(UserFactory(username="nobody", role=None)).exists()


def test_a_coordinator_moved_to_another_partner_no_longer_sees_the_old_partners_report(
    report_of_a, coordinator_a, partner_b
):
    Membership.objects.filter(user=coordinator_a).update(partner=partner_b)
    moved = UserFactory._meta.model.objects.get(pk=coordinator_a.pk)  # the membership as it is now
    assert not ReportRequest.objects.visible_to(moved).exists()


def test_a_requester_who_lost_their_role_gets_the_workspaces_answer(client, report_of_a, coordinator_a):
    duo = Duo.objects.filter(partner_id=report_of_a.partner_id).first()
    Membership.objects.filter(user=coordinator_a).delete()
    former = UserFactory._meta.model.objects.get(pk=coordinator_a.pk)  # no membership any more
    assert not Duo.objects.visible_to(former).exists()
    assert not ReportRequest.objects.visible_to(former).exists()
    assert not can_download_report(former, report_of_a)

    client.force_login(former)
    # The workspace: an empty list, a record is a 404.
    duo_list = client.get(reverse("duos:duo_list"))
    assert duo_list.status_code == 200 and not duo_list.context["object_list"]
    assert client.get(reverse("duos:duo_detail", args=[duo.pk])).status_code == 404
    # The reports: the same.
    report_list = client.get(reverse("reporting:report_list"))
    assert report_list.status_code == 200 and not report_list.context["report_requests"]
    for name in ("report_detail", "report_status", "report_download"):
        assert client.get(reverse(f"reporting:{name}", args=[report_of_a.pk])).status_code == 404, name
    assert client.post(reverse("reporting:report_retry", args=[report_of_a.pk])).status_code == 404


def test_download_permission_per_role(report_of_a, coordinator_a, coordinator_b, manager_user, staff_user):
    allowed = {user: can_download_report(user, report_of_a) for user in (coordinator_a, manager_user, staff_user)}
    assert allowed == {coordinator_a: True, manager_user: True, staff_user: False}
