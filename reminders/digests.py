"""What a digest says and how it is written.

A coordinator's digest has the four lists of ``reminders.selectors`` over
their partner's duos (the home page shows the same); an Actiris digest has
the same counts per partner. Every count links to the full list behind it
(absolute links from ``SITE_URL``). People are named by first name and the
initial of the last name: enough to recognise a duo, not more personal data
than that in a mailbox.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from duos.models import Duo
from programmes.models import Partner
from programmes.permissions import is_actiris, is_coordinator

from .selectors import KEYS, TITLES, reminder_counts_by_partner, reminder_lists


def digest_kind_of(user):
    """``"coordinator"``, ``"staff"`` (Actiris staff, managers, administrators) or ``None``."""
    if is_coordinator(user):
        return "coordinator"
    if is_actiris(user):
        return "staff"
    return None


@dataclass
class DigestContent:
    """``lists`` (a coordinator's ``ReminderList``s) or ``partner_rows``
    (``[(partner, {key: (count, url)})]`` for Actiris roles)."""

    kind: str
    day: object
    lists: list = field(default_factory=list)
    partner_rows: list = field(default_factory=list)

    @property
    def has_something(self):
        if self.kind == "coordinator":
            return any(reminder.count for reminder in self.lists)
        return any(count for _partner, counts in self.partner_rows for count, _url in counts.values())

    @property
    def counts(self):
        """What the digest row keeps: counts only (``{key: n}``, or
        ``{partner slug: {key: n}}``), no names."""
        if self.kind == "coordinator":
            return {reminder.key: reminder.count for reminder in self.lists}
        return {
            partner.slug: {key: count for key, (count, _url) in counts.items()} for partner, counts in self.partner_rows
        }


def digest_content(user, *, kind, day):
    """The digest of ``user`` for ``day``, from what they may see."""
    duos = Duo.objects.visible_to(user)
    if kind == "coordinator":
        return DigestContent(kind=kind, day=day, lists=reminder_lists(duos, today=day))
    partners = list(Partner.objects.visible_to(user).filter(is_active=True).order_by("name"))
    return DigestContent(kind=kind, day=day, partner_rows=reminder_counts_by_partner(duos, partners, today=day))


def absolute(path):
    """``path`` as a link that works from a mailbox (``SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def short_name(person):
    """ "Marie D.": first name and the initial of the last name."""
    initial = f" {person.last_name[:1]}." if person.last_name else ""
    return f"{person.first_name}{initial}"


def _row(duo):
    return {
        "duo": duo,
        "names": f"{short_name(duo.mentor)} & {short_name(duo.mentee)}",
        "url": absolute(reverse("duos:duo_detail", args=[duo.pk])),
        "months": getattr(duo, "offset_months", None),
        "due_date": getattr(duo, "due_date", None),
    }


def _context(user, content):
    context = {
        "user": user,
        "day": content.day,
        "kind": content.kind,
        "site_url": settings.SITE_URL,
        "language": translation.get_language(),
    }
    if content.kind == "coordinator":
        context["lists"] = [
            {
                "key": reminder.key,
                "title": reminder.title,
                "count": reminder.count,
                "more": reminder.more,
                "url": absolute(reminder.url),
                "rows": [_row(duo) for duo in reminder.rows],
            }
            for reminder in content.lists
            if reminder.count
        ]
    else:
        context["titles"] = [TITLES[key] for key in KEYS]
        context["partner_rows"] = [
            {
                "partner": partner,
                "cells": [
                    {"title": TITLES[key], "count": counts[key][0], "url": absolute(counts[key][1])} for key in KEYS
                ],
            }
            for partner, counts in content.partner_rows
        ]
    context["profile_url"] = absolute(reverse("accounts:profile"))
    return context


def digest_message(user, content, *, connection=None):
    """The e-mail (a text part and an HTML part) in the active language."""
    context = _context(user, content)
    subject = " ".join(render_to_string("reminders/email/subject.txt", context).split())
    text = render_to_string(f"reminders/email/{content.kind}_digest.txt", context)
    html = render_to_string(f"reminders/email/{content.kind}_digest.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email], connection=connection)
    message.attach_alternative(html, "text/html")
    return message
