"""Test helpers for two-factor sign-in.

``client.force_login(user)`` in tests also gives the session a verified second
factor when the user must have one (see the autouse fixture in the root
``conftest.py``), so that tests of pages are not all about the second step. A
test of the second step itself signs in through the login form instead
(``client.post(reverse("login"), ...)``), which leaves the session unverified.
"""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import ENROLLED_SESSION_KEY
from programmes.permissions import second_factor_required


def verify_session(client, user):
    """Mark ``client``'s session as having passed the second factor, with a
    confirmed device of ``user`` made for the test."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[ENROLLED_SESSION_KEY] = True
    session.save()


def enrol_authenticator(user):
    """A confirmed authenticator app for ``user`` (read codes with ``totp_code``)."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device, *, at=None):
    """The code ``device``'s authenticator app shows now (or at epoch ``at``)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


_original_force_login = Client.force_login


def force_login_verified(self, user, backend=None):
    _original_force_login(self, user, backend)
    if second_factor_required(user):
        verify_session(self, user)
