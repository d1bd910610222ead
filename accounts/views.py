"""The signed-in user's own page: who they are, their role, and the settings
that belong to them (sections added by the features that own them)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from programmes.permissions import membership_of


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["membership"] = membership_of(self.request.user)
        return context
