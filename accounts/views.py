"""The signed-in user's own page: who they are, their role, and the settings
that belong to them (sections added by the features that own them); and the
sign-in pages that differ from Django's (login form, password reset)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from programmes.permissions import membership_of, second_factor_required

from .forms import LoginForm, PasswordResetRequestForm
from .services import password_reset_request
from .two_factor import two_factor_status


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["membership"] = membership_of(self.request.user)
        context["two_factor"] = two_factor_status(self.request.user)
        context["two_factor_required"] = second_factor_required(self.request.user)
        return context


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm


def reset_email_key(group, request):
    """django-ratelimit key: the address asked for, normalised."""
    return request.POST.get("email", "").strip().lower()


def _password_reset_rate(group, request):
    return settings.PASSWORD_RESET_RATE


@method_decorator(ratelimit(key="ip", rate=_password_reset_rate, method="POST", block=False), name="post")
@method_decorator(ratelimit(key=reset_email_key, rate=_password_reset_rate, method="POST", block=False), name="post")
class PasswordResetView(FormView):
    """Ask for a reset link. Rate-limited per client address and per e-mail
    address (``PASSWORD_RESET_RATE``); the e-mail leaves from a background task."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Too many reset requests. Please wait an hour before asking again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        password_reset_request(
            email=form.cleaned_data["email"],
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
            language=get_language(),
        )
        return redirect("password_reset_done")


def rate_limited(request, exception):
    """``RATELIMIT_VIEW``: the answer to a blocked request (views here do not block,
    they show a form error; this covers any later ``block=True`` use)."""
    return HttpResponse(_("Too many requests. Please wait before trying again."), status=429)
