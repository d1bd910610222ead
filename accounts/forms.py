"""Sign-in forms."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length


class UsernameLengthMixin:
    """Django's AuthenticationForm shows the username's maximum length to the
    browser but does not enforce it; a longer name reached django-axes, whose
    log column is shorter, and failed with a server error. A form error instead:
    the form then never tries to authenticate."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    pass


class PasswordResetRequestForm(forms.Form):
    """Only the address: whether an account has it is decided later, in the
    background task, so the answer takes the same time either way."""

    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class AuthenticatorConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
