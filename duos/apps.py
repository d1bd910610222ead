from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuosConfig(AppConfig):
    name = "duos"
    verbose_name = _("Mentors, mentees and duos")
