"""What matching compares, as data: the languages, sectors and availabilities
a mentor or a mentee may have, and ``ChoiceListField``, a list of choices
stored as a JSON list of codes (``["fr", "ar"]``).

The lists are fixed choices (translated labels, stable codes): changing one is
a code change reviewed like any other. A language not in the list goes in the
mentee's free-text "other languages" field.

``ChoiceListField`` rather than django-multiselectfield: the library stores a
comma-separated string, and we need nothing beyond "a validated list of
codes"; a JSON list reads back as a list on PostgreSQL and SQLite alike.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The languages most spoken by job seekers and mentors in Brussels."""

    FRENCH = "fr", _("French")
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    ARABIC = "ar", _("Arabic")
    BERBER = "ber", _("Berber (Tamazight)")
    TURKISH = "tr", _("Turkish")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    ITALIAN = "it", _("Italian")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    RUSSIAN = "ru", _("Russian")
    LINGALA = "ln", _("Lingala")
    SWAHILI = "sw", _("Swahili")
    PERSIAN = "fa", _("Persian (Dari, Farsi)")
    PASHTO = "ps", _("Pashto")
    TIGRINYA = "ti", _("Tigrinya")


class Sector(models.TextChoices):
    """Sectors of work: a mentor's experience, the sector a mentee looks for
    work in (broad groups, after the Belgian NACE-BEL sections)."""

    ADMINISTRATION = "administration", _("Administration and office work")
    CONSTRUCTION = "construction", _("Construction and technical trades")
    COMMERCE = "commerce", _("Commerce and sales")
    EDUCATION = "education", _("Education and training")
    FINANCE = "finance", _("Finance, banking and insurance")
    HEALTH = "health", _("Health and social care")
    HOSPITALITY = "hospitality", _("Hotels, restaurants and catering")
    IT = "it", _("Information technology")
    INDUSTRY = "industry", _("Industry and manufacturing")
    LAW = "law", _("Law")
    LOGISTICS = "logistics", _("Transport and logistics")
    MEDIA = "media", _("Media, culture and communication")
    PUBLIC = "public", _("Public sector")
    CLEANING = "cleaning", _("Cleaning and facility services")
    OTHER = "other", _("Other sector")


class Availability(models.TextChoices):
    WEEKDAYS = "weekdays", _("Weekdays")
    EVENINGS = "evenings", _("Evenings")
    WEEKENDS = "weekends", _("Weekends")


class ChoiceListField(models.JSONField):
    """A list of codes from ``choices``, stored as a JSON list, in the order
    of the choices, without repeats. Its form field is a list of checkboxes."""

    def __init__(self, *args, choice_list=None, **kwargs):
        self.choice_list = choice_list
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_list"] = self.choice_list
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Choose from the list."), code="invalid_choice")
        known = {code for code, _label in self.choice_list}
        unknown = [code for code in value if code not in known]
        if unknown:
            raise ValidationError(
                _("Unknown choice: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}, code="invalid_choice"
            )

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, list | tuple | set):
            value = ordered_codes(value, self.choice_list)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.MultipleChoiceField,
            "choices": self.choice_list,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("encoder", "decoder", "max_length", "empty_value"):
            defaults.pop(key, None)
        return form_class(**defaults)


def ordered_codes(codes, choice_list):
    """``codes`` in the order of ``choice_list``, each once (unknown ones last)."""
    order = {code: index for index, (code, _label) in enumerate(choice_list)}
    return sorted(set(codes), key=lambda code: (order.get(code, len(order)), str(code)))


def labels(codes, choices_class):
    """The translated labels of ``codes``, joined by commas ("" for none)."""
    names = dict(choices_class.choices)
    return ", ".join(str(names.get(code, code)) for code in codes or ())


# How people write the languages' names (English, French, Dutch), for the
# free-text field of older records and for spreadsheets.
LANGUAGE_NAMES = {
    "fr": ("french", "français", "francais", "frans"),
    "nl": ("dutch", "néerlandais", "neerlandais", "nederlands", "flemish", "vlaams"),
    "en": ("english", "anglais", "engels"),
    "de": ("german", "allemand", "duits"),
    "ar": ("arabic", "arabe", "arabisch"),
    "ber": ("berber", "berbère", "berbere", "tamazight", "amazigh", "berbers"),
    "tr": ("turkish", "turc", "turks"),
    "es": ("spanish", "espagnol", "spaans"),
    "pt": ("portuguese", "portugais", "portugees"),
    "it": ("italian", "italien", "italiaans"),
    "pl": ("polish", "polonais", "pools"),
    "ro": ("romanian", "roumain", "roemeens"),
    "ru": ("russian", "russe", "russisch"),
    "ln": ("lingala",),
    "sw": ("swahili",),
    "fa": ("persian", "persan", "perzisch", "farsi", "dari"),
    "ps": ("pashto", "pachto", "pasjtoe"),
    "ti": ("tigrinya", "tigrigna", "tigrinya"),
}
_CODE_OF_NAME = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}


def parse_language_names(text):
    """``(codes, rest)`` from a free text such as "French, Arabic and Wolof":
    the codes of the languages of the list it names, in list order, and what
    it names that the list lacks ("Wolof"), comma-separated."""
    codes, rest = [], []
    for part in re.split(r"[,;/+]|\s+(?:and|et|en)\s+", text or ""):
        name = part.strip().strip(".")
        if not name:
            continue
        code = _CODE_OF_NAME.get(name.lower()) or (name.lower() if name.lower() in LANGUAGE_NAMES else None)
        if code:
            codes.append(code)
        else:
            rest.append(name)
    return ordered_codes(codes, Language.choices), ", ".join(rest)
