"""The mentor and mentee pickers of the duo form: who may be chosen.

The form's two selects list the people *available* for the chosen programme
(``available_mentees``, ``available_mentors``); a search box above each asks
the server, as the coordinator types, for the people its words find
(``PickerView``, through htmx, ``duos.search``) and puts them in the select.
Without JavaScript the selects still list the first ``PICKER_SIZE``
available people by name, and a person's page starts a duo with them chosen.

The picker is a convenience: ``services.duo_create`` checks every rule again
(``duo_eligibility_errors``) whatever was posted.
"""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from mentoring.bounds import allowed_date_range
from mentoring.params import is_id
from programmes.models import Programme

from .models import Duo, DuoStatus, Mentee, Mentor, MigrationBackground
from .search import mentees_matching, mentors_matching

# The most people one select lists at a time (the search narrows them).
PICKER_SIZE = 50


def _born_between(*, min_age=None, max_age=None, on):
    """``Q`` on ``birth_date``: aged from ``min_age`` to ``max_age`` (inclusive)
    on the day ``on`` (as ``services.age_on`` counts years)."""
    condition = Q()
    if min_age is not None:
        condition &= Q(birth_date__lte=_years_before(on, min_age))
    if max_age is not None:
        condition &= Q(birth_date__gt=_years_before(on, max_age + 1))
    return condition


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def available_mentees(queryset, *, programme=None, start_date=None):
    """Mentees of ``queryset`` who may start a duo: none of their duos is
    active and, with a ``programme``, they are of its partner, of its ages on
    ``start_date`` (default today) and have the migration background it
    requires."""
    queryset = queryset.exclude(Exists(Duo.objects.filter(mentee=OuterRef("pk"), status=DuoStatus.ACTIVE)))
    if programme is None:
        return queryset
    on = start_date or timezone.localdate()
    queryset = queryset.filter(
        _born_between(min_age=programme.mentee_min_age, max_age=programme.mentee_max_age, on=on),
        partner_id=programme.partner_id,
    )
    if programme.migration_background_required:
        queryset = queryset.filter(
            Exists(MigrationBackground.objects.filter(mentee=OuterRef("pk"), has_migration_background=True))
        )
    return queryset


def available_mentors(queryset, *, programme=None, start_date=None):
    """Mentors of ``queryset`` who may take one more duo: with a
    ``programme``, of its partner, of its minimum age on ``start_date``
    (default today) and running fewer active duos than it allows
    (``max_active_duos_per_mentor``)."""
    if programme is None:
        return queryset
    on = start_date or timezone.localdate()
    return queryset.filter(
        _born_between(min_age=programme.mentor_min_age, on=on), partner_id=programme.partner_id
    ).exclude(pk__in=_mentors_at_capacity(programme))


def _mentors_at_capacity(programme):
    """Mentors of the programme's partner who run as many active duos as it allows."""
    return (
        Duo.objects.filter(status=DuoStatus.ACTIVE, mentor__partner_id=programme.partner_id)
        .order_by()
        .values("mentor")
        .annotate(n=Count("pk"))
        .filter(n__gte=programme.max_active_duos_per_mentor)
        .values("mentor")
    )


def mentee_label(mentee):
    """What tells two mentees apart: name, birth year, job-seeker number."""
    return f"{mentee.last_name}, {mentee.first_name} · {mentee.birth_date:%Y} · {mentee.jobseeker_number}"


def mentor_label(mentor):
    """What tells two mentors apart: name, birth year, employer (when known)."""
    parts = [f"{mentor.last_name}, {mentor.first_name}", f"{mentor.birth_date:%Y}"]
    if mentor.employer:
        parts.append(mentor.employer)
    return " · ".join(parts)


KINDS = {
    "mentee": (Mentee, available_mentees, mentees_matching, mentee_label, ("jobseeker_number",)),
    "mentor": (Mentor, available_mentors, mentors_matching, mentor_label, ("employer",)),
}


def picker_people(kind, user, *, programme=None, start_date=None, text="", chosen=None):
    """``(people, more)``: at most ``PICKER_SIZE`` available people of ``kind``
    ("mentor" or "mentee") that ``user`` sees and ``text`` finds, by name, and
    whether more were found. ``chosen`` (an id) is kept in the list when
    visible, so that a redisplayed form keeps its choice."""
    model, available, matching, _label, extra = KINDS[kind]
    base = model.objects.visible_to(user).only("first_name", "last_name", "birth_date", *extra)
    people = list(
        matching(available(base, programme=programme, start_date=start_date), text).order_by(
            "last_name", "first_name", "pk"
        )[: PICKER_SIZE + 1]
    )
    more = len(people) > PICKER_SIZE
    people = people[:PICKER_SIZE]
    if chosen and is_id(chosen) and all(person.pk != int(chosen) for person in people):
        kept = base.filter(pk=int(chosen)).first()
        if kept is not None:
            people.insert(0, kept)
    return people, more


def _date(value):
    """The start date the form sends, or None when it is no date or outside
    the allowed range: a browser sends every half-typed year ("0002-11-29")
    while the user types, and ages counted back from it would leave year 1."""
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    first, last = allowed_date_range()
    return day if day is not None and first <= day <= last else None


class PickerView(LoginRequiredMixin, View):
    """``GET /duos/pickers/<kind>/?programme=&start_date=&q=&chosen=`` (the
    search box sends its words as ``<kind>_q``, the select its choice as
    ``<kind>``): the
    ``<option>`` elements of the select, for htmx to swap in, and the count
    of people found (announced to screen readers)."""

    def get(self, request, kind):
        if kind not in KINDS:
            raise Http404
        programme_id = request.GET.get("programme", "")
        programme = None
        if is_id(programme_id):
            programme = Programme.objects.visible_to(request.user).filter(pk=programme_id).first()
        # The person chosen in the select (sent as ``<kind>``) stays chosen.
        chosen = request.GET.get("chosen") or request.GET.get(kind, "")
        people, more = picker_people(
            kind,
            request.user,
            programme=programme,
            start_date=_date(request.GET.get("start_date")),
            text=request.GET.get("q") or request.GET.get(f"{kind}_q", ""),
            chosen=chosen,
        )
        label = KINDS[kind][3]
        return render(
            request,
            "duos/partials/picker_options.html",
            {
                "kind": kind,
                "options": [(person.pk, label(person)) for person in people],
                "more": more,
                "chosen": chosen,
            },
        )
