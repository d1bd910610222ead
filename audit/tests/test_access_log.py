"""The access log: reads are recorded, the data-protection officer finds them,
nobody changes them."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import AccessAction, AccessLogEntry, AppendOnlyError
from audit.services import access_log_record
from reporting.models import ReportRequest, ReportStatus

ACCESS_LOG = reverse("audit:access_log")


def mentee_url(world):
    return reverse("duos:mentee_detail", args=[world.mentee_a.pk])


def test_coordinator_viewing_a_mentee_page_is_logged_with_the_background(client, world, coordinator_a):
    client.force_login(coordinator_a)
    client.get(mentee_url(world), REMOTE_ADDR="192.0.2.10")
    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [e.action for e in entries] == [AccessAction.MENTEE_VIEW, AccessAction.MIGRATION_BACKGROUND_VIEW]
    entry = entries[0]
    assert (entry.username, entry.role, entry.object_type, entry.object_id) == (
        "coord-a",
        "coordinator",
        "duos.mentee",
        str(world.mentee_a.pk),
    )
    assert entry.partner_id == world.partner_a.pk
    assert entry.ip_address == "192.0.2.10"
    assert entry.path == mentee_url(world)


def test_staff_see_no_background_and_the_log_says_so(client, world, staff_user):
    client.force_login(staff_user)
    client.get(mentee_url(world))
    assert list(AccessLogEntry.objects.values_list("action", flat=True)) == [AccessAction.MENTEE_VIEW]


def test_address_behind_a_proxy(client, world, coordinator_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(coordinator_a)
    client.get(mentee_url(world), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert AccessLogEntry.objects.first().ip_address == "198.51.100.7"


@pytest.fixture
def built_report(manager_user, media_root):
    report = ReportRequest.objects.create(
        requested_by=manager_user,
        date_from="2019-01-01",
        date_to="2019-03-31",
        format="csv",
        language="en",
        status=ReportStatus.DONE,
    )
    report.file.save("report.csv", ContentFile(b"a,b\n1,2\n"))
    return report


def test_data_protection_officer_finds_a_mentee_view_and_a_report_download(
    client, world, coordinator_a, manager_user, dpo_user, built_report
):
    client.force_login(coordinator_a)
    client.get(mentee_url(world))
    client.force_login(manager_user)
    download = client.get(reverse("reporting:report_download", args=[built_report.pk]))
    assert download.status_code == 200
    b"".join(download.streaming_content)

    client.force_login(dpo_user)
    page = client.get(ACCESS_LOG, {"action": AccessAction.REPORT_DOWNLOAD})
    assert page.status_code == 200
    assert [e.username for e in page.context["object_list"]] == ["manager"]
    assert "Downloaded a report" in page.content.decode()

    page = client.get(ACCESS_LOG, {"object_type": "duos.mentee", "object_id": world.mentee_a.pk})
    actions = {e.action for e in page.context["object_list"]}
    assert actions == {AccessAction.MENTEE_VIEW, AccessAction.MIGRATION_BACKGROUND_VIEW}
    assert [e.username for e in client.get(ACCESS_LOG, {"username": "COORD-A"}).context["object_list"]] == [
        "coord-a",
        "coord-a",
    ]
    # The officer reads the log, not the records.
    content = page.content.decode()
    assert world.mentee_a.last_name not in content
    assert client.get(mentee_url(world)).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_a", "staff_user", "manager_user"])
def test_other_roles_cannot_read_the_log(client, world, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ACCESS_LOG).status_code == 403


def test_access_log_page_query_count_is_flat(client, rf, world, dpo_user, coordinator_a, django_assert_num_queries):
    request = rf.get("/x/")
    request.user = coordinator_a
    for _ in range(3):
        access_log_record(request=request, action=AccessAction.MENTEE_VIEW, obj=world.mentee_a)
    client.force_login(dpo_user)
    client.get(ACCESS_LOG)
    with django_assert_num_queries(6) as few:  # session, user, membership, device, count, page
        client.get(ACCESS_LOG)
    for _ in range(60):
        access_log_record(request=request, action=AccessAction.LIST_EXPORT, detail="duos")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(ACCESS_LOG)
    assert len(response.context["object_list"]) == 50


class TestAppendOnly:
    @pytest.fixture
    def entry(self, rf, coordinator_a, world):
        request = rf.get("/")
        request.user = coordinator_a
        return access_log_record(request=request, action=AccessAction.MENTEE_VIEW, obj=world.mentee_a)

    def test_no_change(self, entry):
        entry.username = "someone-else"
        with pytest.raises(AppendOnlyError):
            entry.save()

    def test_no_delete(self, entry):
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AccessLogEntry.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            AccessLogEntry.objects.update(username="x")
        assert AccessLogEntry.objects.count() == 1

    def test_admin_reads_only(self, client, admin_user_, entry):
        client.force_login(admin_user_)
        change = reverse("admin:audit_accesslogentry_change", args=[entry.pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {"username": "x"}).status_code == 403
        assert client.get(reverse("admin:audit_accesslogentry_delete", args=[entry.pk])).status_code == 403
        assert client.get(reverse("admin:audit_accesslogentry_add")).status_code == 403


@pytest.mark.parametrize("url_name", ["reporting:dashboard", "reporting:report_create"])
def test_data_protection_officer_reads_no_figures_or_reports(client, dpo_user, url_name):
    client.force_login(dpo_user)
    assert client.get(reverse(url_name)).status_code == 403


def test_data_protection_officer_finds_no_report_request(client, dpo_user, built_report):
    """As in the workspace for a role without partner data: an empty list."""
    client.force_login(dpo_user)
    response = client.get(reverse("reporting:report_list"))
    assert response.status_code == 200
    assert not response.context["report_requests"]
    assert client.get(reverse("reporting:report_detail", args=[built_report.pk])).status_code == 404


def test_data_protection_officer_cannot_download_a_report(client, dpo_user, built_report):
    client.force_login(dpo_user)
    assert client.get(reverse("reporting:report_download", args=[built_report.pk])).status_code in (403, 404)
    assert not AccessLogEntry.objects.filter(action=AccessAction.REPORT_DOWNLOAD).exists()
