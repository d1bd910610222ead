"""The second-factor pages: the step after the password, enrolling an
authenticator app, recovery codes, turning it off (when not required)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from programmes.permissions import second_factor_required

from . import two_factor
from .forms import AuthenticatorConfirmForm, SecondFactorForm

FRESH_CODES_SESSION_KEY = "two_factor_fresh_codes"


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def _mark_verified(request, device):
    otp_login(request, device)
    request.session[two_factor.ENROLLED_SESSION_KEY] = True


@method_decorator(login_required, name="dispatch")
class TwoFactorVerifyView(View):
    """After the password: a code from the app or a recovery code."""

    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not two_factor.has_second_factor(request.user):
            return redirect(f"{reverse('accounts:two_factor_setup')}?{request.META.get('QUERY_STRING', '')}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": SecondFactorForm(), "next": _next_url(request)})

    def post(self, request):
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            try:
                device = two_factor.second_factor_verify(user=request.user, token=form.cleaned_data["token"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _mark_verified(request, device)
                if device.name == two_factor.RECOVERY_NAME:
                    left = two_factor.two_factor_status(request.user).recovery_codes_left
                    messages.warning(
                        request,
                        _("You used a recovery code; %(left)d remain. Make new ones from your account page.")
                        % {"left": left},
                    )
                return redirect(_next_url(request))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)}, status=200)


@method_decorator(login_required, name="dispatch")
class TwoFactorSetupView(View):
    """Enrol an authenticator app: scan the QR code, type the first code."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # A session that has not given the existing second factor may not replace it.
        if two_factor.has_second_factor(request.user) and not request.user.is_verified():
            return redirect(f"{reverse('accounts:two_factor_verify')}?{request.META.get('QUERY_STRING', '')}")
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, form, device):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "qr_svg": two_factor.totp_qr_code_svg(device),
                "secret": two_factor.totp_secret_base32(device),
                "next": _next_url(request),
                "required": second_factor_required(request.user),
            },
        )

    def get(self, request):
        return self._render(request, AuthenticatorConfirmForm(), two_factor.totp_device_start(user=request.user))

    def post(self, request):
        device = two_factor.totp_device_start(user=request.user)
        form = AuthenticatorConfirmForm(request.POST)
        if form.is_valid():
            try:
                device, codes = two_factor.totp_device_confirm(
                    user=request.user, device=device, token=form.cleaned_data["token"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _mark_verified(request, device)
                request.session[FRESH_CODES_SESSION_KEY] = codes
                messages.success(request, _("Two-factor sign-in is on. Keep your recovery codes somewhere safe."))
                return redirect(f"{reverse('accounts:recovery_codes')}?{urlencode({'next': _next_url(request)})}")
        return self._render(request, form, device)


@method_decorator(login_required, name="dispatch")
class RecoveryCodesView(View):
    """The new recovery codes (shown once), or how many are left; a POST makes
    a new set and voids the old one."""

    template_name = "accounts/recovery_codes.html"

    def get(self, request):
        codes = request.session.pop(FRESH_CODES_SESSION_KEY, None)
        status = two_factor.two_factor_status(request.user)
        return render(request, self.template_name, {"codes": codes, "status": status, "next": _next_url(request)})

    def post(self, request):
        if not request.user.is_verified():
            raise PermissionDenied
        request.session[FRESH_CODES_SESSION_KEY] = two_factor.recovery_codes_generate(user=request.user)
        messages.success(request, _("New recovery codes made; the old ones no longer work."))
        return redirect("accounts:recovery_codes")


@login_required
@require_POST
def two_factor_disable(request):
    """Turn two-factor sign-in off: only where it is not required, and only
    from a session that gave the second factor."""
    if second_factor_required(request.user) or not request.user.is_verified():
        raise PermissionDenied
    two_factor.second_factor_reset(user=request.user)
    request.session[two_factor.ENROLLED_SESSION_KEY] = False
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:profile")
