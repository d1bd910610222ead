"""The reminder preference, set from the user's own page (its form is
rendered there by ``{% reminder_preference_section %}``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from .forms import DigestPreferenceForm
from .services import digest_preference_set


class DigestPreferenceView(LoginRequiredMixin, View):
    """Save the user's own choice (there is nobody else's to change)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = DigestPreferenceForm(request.POST)
        if form.is_valid():
            try:
                digest_preference_set(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your reminder settings are saved."))
        else:
            messages.error(request, _("Choose how often and in which language you want the reminder e-mails."))
        return HttpResponseRedirect(reverse("accounts:profile") + "#reminders")
