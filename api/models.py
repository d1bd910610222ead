"""Personal API tokens: made, named and revoked by their owner on the profile
page, used by a partner's own software. A token acts exactly as its owner
(role, partner): the API scopes every read and write through
``visible_to(owner)``.

The token itself is shown once, when it is made; only its SHA-512 digest and
its first characters (to find the row) are stored, by django-rest-knox
(``KNOX_TOKEN_MODEL`` points at ``ApiToken``).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """One personal token. ``digest`` (primary key) and ``token_key`` (the
    first characters, for the lookup) come from knox; ``expiry`` is ``None``
    for a token that never expires."""

    name = models.CharField(_("name"), max_length=100, help_text=_("What uses this token, e.g. our CRM."))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.token_key}…)"

    @property
    def is_expired(self):
        return self.expiry is not None and self.expiry <= timezone.now()
