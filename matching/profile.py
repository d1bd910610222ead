"""The fields matching reads on a mentor and on a mentee, as an abstract
model both inherit (``duos.models.Mentor``, ``duos.models.Mentee``): the
languages they speak, a sector (the mentor's experience, the sector the mentee
looks for work in), the commune they live or work in, and when they are free;
a mentee's registration date besides (``MenteeMatchingProfile``)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duos import bounds

from .choices import Availability, ChoiceListField, Language, Sector, labels
from .communes import Commune


class MatchingProfile(models.Model):
    spoken_languages = ChoiceListField(
        _("languages spoken"), choice_list=Language.choices, help_text=_("Tick every language the person speaks.")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    commune = models.CharField(
        _("commune"),
        max_length=4,
        choices=Commune.choices,
        blank=True,
        help_text=_("The Brussels commune where the person lives or works; leave empty if outside the Region."),
    )
    availability = ChoiceListField(
        _("availability"), choice_list=Availability.choices, help_text=_("When the person is free to meet.")
    )

    class Meta:
        abstract = True

    def get_spoken_languages_display(self):
        return labels(self.spoken_languages, Language)

    def get_availability_display(self):
        return labels(self.availability, Availability)


class MenteeMatchingProfile(MatchingProfile):
    """A mentee's: the profile and the day they registered."""

    registered_on = models.DateField(
        _("registration date"),
        default=timezone.localdate,
        validators=[bounds.validate_record_date],
        help_text=_(
            "The day the mentee registered with the partner: the waiting list and the time to match count from it."
        ),
    )

    class Meta:
        abstract = True
