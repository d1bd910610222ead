"""Matching as data: each programme's score weights (``MatchingWeights``),
and each choice a coordinator made among the suggestions (``MatchChoice``),
kept so that the weights can be judged later (was the first suggestion
taken? which parts did the chosen mentor score on?)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duos.models import Duo, Mentee, Mentor
from programmes.models import Partner, PartnerScopedQuerySet, Programme


def _weight(label, default, help_text):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(100)], help_text=help_text
    )


class MatchingWeights(models.Model):
    """How many points each part of a suggestion's score is worth at most, for
    one programme (a programme without a row uses the defaults). A part scores
    its weight times a fraction between 0 and 1 (see ``matching.scoring``);
    a weight of 0 leaves the part out."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="matching_weights", verbose_name=_("programme")
    )
    languages = _weight(_("languages"), 30, _("Points when the mentor speaks every language of the mentee."))
    sector = _weight(_("sector"), 25, _("Points when the mentor's sector is the one the mentee looks for."))
    distance = _weight(_("distance"), 20, _("Points when both live or work in the same commune."))
    capacity = _weight(_("free capacity"), 10, _("Points when the mentor runs no duo yet."))
    waiting = _weight(
        _("mentor's wait"), 15, _("Points when the mentor has waited for a mentee the longest time counted.")
    )
    distance_reach_km = models.PositiveSmallIntegerField(
        _("distance reach (km)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("From this distance between the communes on, the distance part scores nothing."),
    )
    waiting_cap_days = models.PositiveSmallIntegerField(
        _("longest wait counted (days)"),
        default=180,
        validators=[MinValueValidator(1)],
        help_text=_("A mentor waiting this many days or more scores the whole waiting part."),
    )

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self):
        return str(self.programme)

    @classmethod
    def for_programme(cls, programme):
        """The programme's weights, or unsaved defaults when it has none."""
        weights = cls.objects.filter(programme=programme).first()
        return weights if weights is not None else cls(programme=programme)


class MatchChoiceQuerySet(PartnerScopedQuerySet):
    pass


class MatchChoice(models.Model):
    """A mentor chosen among the suggestions for a mentee, and the duo started."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("programme"))
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="match_choices", verbose_name=_("mentee"))
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="match_choices", verbose_name=_("mentor"))
    duo = models.OneToOneField(
        Duo, on_delete=models.SET_NULL, null=True, blank=True, related_name="match_choice", verbose_name=_("duo")
    )
    rank = models.PositiveIntegerField(
        _("rank"), help_text=_("The chosen mentor's place in the suggestions (1: first).")
    )
    candidates = models.PositiveIntegerField(_("candidates"), help_text=_("How many mentors were suggested."))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    parts = models.JSONField(
        _("score parts"), default=dict, help_text=_("Each part: its value, fraction, weight and points.")
    )
    mentee_waiting_days = models.PositiveIntegerField(_("mentee's wait (days)"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("chosen by")
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now_add=True)

    objects = MatchChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-chosen_at", "-pk"]
        verbose_name = _("match choice")
        verbose_name_plural = _("match choices")

    def __str__(self):
        return f"{self.mentee} → {self.mentor} (#{self.rank})"
