"""Which people were erased or pseudonymised, when and why. No personal data:
the person's kind and id, the partner, who asked."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonKind(models.TextChoices):
    MENTEE = "mentee", _("mentee")
    MENTOR = "mentor", _("mentor")


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("The person's request")
    RETENTION = "retention", _("Retention period over")


class Erasure(models.Model):
    person_kind = models.CharField(_("person"), max_length=10, choices=PersonKind.choices)
    person_id = models.BigIntegerField(_("person id"))
    partner_id = models.BigIntegerField(_("partner id"))
    reason = models.CharField(_("reason"), max_length=20, choices=ErasureReason.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.CharField(_("by"), max_length=150, blank=True, help_text=_("Username; empty for the nightly task."))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [models.UniqueConstraint(fields=["person_kind", "person_id"], name="one_erasure_per_person")]

    def __str__(self):
        return f"{self.person_kind} #{self.person_id} ({self.reason})"
