"""Two-factor sign-in with django-otp: one TOTP authenticator app per user and
a set of single-use recovery codes (django-otp's static tokens).

Reads (``two_factor_status``) and writes (enrol, confirm, verify, regenerate
codes, reset) in one module; the views in ``accounts.two_factor_views`` call
these and nothing else of django-otp.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Session key: the user enrolled a second factor (set at sign-in and at
# enrolment), so a coordinator who opted in is asked for it too.
ENROLLED_SESSION_KEY = "two_factor_enrolled"
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool  # a confirmed authenticator app
    recovery_codes_left: int


def two_factor_status(user):
    """Whether ``user`` has a confirmed authenticator and how many recovery
    codes remain (2 queries)."""
    enabled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorStatus(enabled=enabled, recovery_codes_left=left)


def has_second_factor(user):
    """Any confirmed device (authenticator or recovery codes)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True).exists()
    )


def format_recovery_code(token):
    """``abcdefgh`` shown as ``abcd-efgh`` (easier to copy by hand)."""
    return f"{token[:4]}-{token[4:]}"


def _normalise(token):
    return "".join(token.split()).replace("-", "").lower()


def totp_device_start(*, user):
    """The unconfirmed authenticator ``user`` is enrolling (a new secret the
    first time; the same one on reload, so a scanned code keeps working)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def totp_qr_code_svg(device):
    """The device's ``otpauth://`` URL as an inline SVG QR code, drawn here
    (segno): the secret never leaves the server for an outside service."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )


def totp_secret_base32(device):
    """The secret as the authenticator apps take it when typed by hand, in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def recovery_codes_generate(*, user):
    """Replace ``user``'s recovery codes with ``TWO_FACTOR_RECOVERY_CODES`` new
    single-use ones and return them (the only time they are shown)."""
    # The same device keeps a session verified by a recovery code verified.
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=token) for token in tokens])
    return [format_recovery_code(token) for token in tokens]


@transaction.atomic
def totp_device_confirm(*, user, device, token):
    """Confirm the authenticator ``device`` with the first code it shows and
    issue recovery codes. Returns ``(device, recovery_codes)``.

    Raises ``ValidationError`` keyed ``token`` when the code is wrong; nothing
    is written then (except django-otp's throttling counter)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"token": _("Start the set-up again.")})
    if not device.verify_token(_normalise(token)):
        raise ValidationError({"token": _("This code is not right. Check your phone's clock and try the newest code.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, recovery_codes_generate(user=user)


def second_factor_verify(*, user, token):
    """The device that accepts ``token`` (a code of the authenticator app, or a
    recovery code, which is then used up). Raises ``ValidationError`` keyed
    ``token`` otherwise. django-otp throttles repeated failures per device."""
    token = _normalise(token)
    # Six digits come from the app; anything else is a recovery code.
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise ValidationError({"token": _("Too many wrong codes. Wait a moment and try again.")})
        with transaction.atomic():
            if device.verify_token(token):
                return device
    raise ValidationError({"token": _("This code is not right.")})


@transaction.atomic
def second_factor_reset(*, user):
    """Remove every second factor of ``user`` (an administrator does this when a
    phone is lost; a coordinator who opted in can turn it off). Their open
    sessions lose their verification at the next request. Returns how many
    devices were removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
    return removed
