"""Two-factor sign-in: who must give it, enrolment, recovery codes, reset."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import recovery_codes_generate
from programmes.tests.world import use_fast_password_hasher
from tests.factories import PASSWORD, UserFactory
from tests.two_factor import totp_code

VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
DASHBOARD = reverse("reporting:dashboard")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


def enrol(user):
    """A confirmed authenticator and fresh recovery codes for ``user``."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device, recovery_codes_generate(user=user)


def password_login(client, username, next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


class TestStaffNeedTheSecondFactor:
    def test_password_alone_lands_on_the_second_step_not_the_dashboard(self, client, manager_user):
        enrol(manager_user)
        response = password_login(client, "manager", next_url=DASHBOARD)
        response = client.get(response.url)
        assert response.status_code == 302
        assert response.url == f"{VERIFY}?next={DASHBOARD.replace('/', '%2F')}"
        page = client.get(response.url)
        assert "Second step of sign-in" in page.content.decode()
        assert client.get(DASHBOARD).status_code == 302  # still not in

    def test_code_from_the_app_opens_the_dashboard(self, client, manager_user):
        device, _codes = enrol(manager_user)
        password_login(client, "manager")
        response = client.post(VERIFY, {"token": totp_code(device), "next": DASHBOARD})
        assert response.status_code == 302
        assert response.url == DASHBOARD
        assert client.get(DASHBOARD).status_code == 200

    def test_wrong_code_is_a_form_error(self, client, manager_user):
        device, _codes = enrol(manager_user)
        password_login(client, "manager")
        response = client.post(VERIFY, {"token": "000000" if totp_code(device) != "000000" else "111111"})
        assert response.status_code == 200
        assert "This code is not right" in response.content.decode()
        assert client.get(DASHBOARD).status_code == 302

    def test_staff_without_a_device_are_sent_to_enrol(self, client, staff_user):
        password_login(client, "staff")
        response = client.get(reverse("home"), follow=True)
        assert response.redirect_chain[-1][0].startswith(SETUP)
        assert "<svg" in response.content.decode()  # the QR code, drawn by the server

    @pytest.mark.parametrize("role", ["dpo", None])
    def test_dpo_and_administrators_too(self, client, db, role):
        UserFactory(username="someone", role=role, is_superuser=role is None, is_staff=role is None)
        password_login(client, "someone")
        response = client.get(reverse("accounts:profile"))
        assert response.status_code == 302
        assert response.url.startswith(VERIFY)

    def test_open_redirect_is_refused(self, client, manager_user):
        device, _codes = enrol(manager_user)
        password_login(client, "manager")
        response = client.post(VERIFY, {"token": totp_code(device), "next": "https://evil.example.org/"})
        assert response.url == reverse("home")


class TestCoordinators:
    def test_optional_password_is_enough(self, client, coordinator_a):
        password_login(client, "coord-a")
        assert client.get(reverse("home")).status_code == 200

    def test_once_enrolled_they_are_asked_too(self, client, coordinator_a):
        enrol(coordinator_a)
        password_login(client, "coord-a")
        assert client.get(reverse("home")).url.startswith(VERIFY)

    def test_setting_requires_it_for_everyone(self, client, coordinator_a, settings):
        settings.TWO_FACTOR_REQUIRED_FOR_ALL = True
        password_login(client, "coord-a")
        response = client.get(reverse("home"), follow=True)
        assert response.redirect_chain[-1][0].startswith(SETUP)

    def test_turn_off(self, client, coordinator_a):
        device, _codes = enrol(coordinator_a)
        password_login(client, "coord-a")
        client.post(VERIFY, {"token": totp_code(device)})
        response = client.post(reverse("accounts:two_factor_disable"))
        assert response.url == reverse("accounts:profile")
        assert not TOTPDevice.objects.filter(user=coordinator_a).exists()
        assert client.get(reverse("home")).status_code == 200

    def test_staff_cannot_turn_it_off(self, client, staff_user):
        client.force_login(staff_user)
        assert client.post(reverse("accounts:two_factor_disable")).status_code == 403


class TestEnrolment:
    def test_scan_confirm_and_get_ten_recovery_codes(self, client, coordinator_a):
        client.force_login(coordinator_a)
        page = client.get(SETUP)
        assert page.status_code == 200
        assert "<svg" in page.content.decode()
        device = TOTPDevice.objects.get(user=coordinator_a, confirmed=False)
        assert client.get(SETUP).context["secret"] == page.context["secret"]  # a reload keeps the same secret

        wrong = client.post(SETUP, {"token": "12345"})
        assert "This code is not right" in wrong.content.decode()
        response = client.post(SETUP, {"token": totp_code(device)})
        assert response.status_code == 302
        codes_page = client.get(response.url)
        codes = codes_page.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
        assert client.get(reverse("accounts:recovery_codes")).context["codes"] is None  # shown once
        device.refresh_from_db()
        assert device.confirmed
        profile = client.get(reverse("accounts:profile")).content.decode()
        assert "10 recovery codes left" in profile

    def test_an_unverified_session_cannot_replace_the_device(self, client, manager_user):
        enrol(manager_user)
        password_login(client, "manager")
        response = client.get(SETUP)
        assert response.status_code == 302
        assert response.url.startswith(VERIFY)


def test_recovery_codes_work_once_each(client, manager_user, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # no wait after the wrong code (tested below)
    _device, codes = enrol(manager_user)
    password_login(client, "manager")
    response = client.post(VERIFY, {"token": codes[0].upper(), "next": DASHBOARD})
    assert response.url == DASHBOARD
    assert "9 remain" in client.get(DASHBOARD).content.decode()
    client.post(reverse("logout"))

    password_login(client, "manager")
    response = client.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    response = client.post(VERIFY, {"token": codes[1].replace("-", "")})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=manager_user).count() == 8


def test_wrong_codes_are_throttled(client, manager_user):
    """django-otp makes a device wait after a wrong code (1 s, then 2, 4...)."""
    _device, codes = enrol(manager_user)
    password_login(client, "manager")
    client.post(VERIFY, {"token": "aaaa-aaaa"})
    response = client.post(VERIFY, {"token": codes[0]})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


def test_new_recovery_codes_void_the_old_ones(client, manager_user):
    _device, old = enrol(manager_user)
    client.force_login(manager_user)
    client.post(reverse("accounts:recovery_codes"))
    new = client.get(reverse("accounts:recovery_codes")).context["codes"]
    assert len(new) == 10
    tokens = set(StaticToken.objects.filter(device__user=manager_user).values_list("token", flat=True))
    assert not tokens & {code.replace("-", "") for code in old}


def test_administrator_resets_a_lost_phone(client, admin_user_, manager_user):
    enrol(manager_user)
    client.force_login(admin_user_)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", ACTION_CHECKBOX_NAME: [manager_user.pk]},
        follow=True,
    )
    assert "The second factor of 1 user was reset." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=manager_user).exists()
    assert not StaticToken.objects.filter(device__user=manager_user).exists()

    other = client.__class__()
    password_login(other, "manager")
    response = other.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)


def test_a_reset_ends_the_verification_of_open_sessions(client, manager_user):
    from accounts.two_factor import second_factor_reset

    device, _codes = enrol(manager_user)
    password_login(client, "manager")
    client.post(VERIFY, {"token": totp_code(device)})
    assert client.get(DASHBOARD).status_code == 200
    second_factor_reset(user=get_user_model().objects.get(username="manager"))
    assert client.get(DASHBOARD).status_code == 302
