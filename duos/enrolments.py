"""Double enrolments: one job seeker in duos of two partners at once.

Each partner records its own mentees, so the same person (the same Actiris
job-seeker number) can be followed by two partners at overlapping dates;
Actiris staff and managers see these cases across partners, coordinators
never (a coordinator may not learn anything about another partner's mentee:
the page answers them 403)."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.views.generic import ListView

from programmes import permissions
from programmes.views import PAGE_SIZE

from .models import Duo, Mentee

# The end of a duo that has none yet (still active): it overlaps every later duo.
OPEN_END = datetime.date(9999, 12, 31)


def double_enrolments(duos):
    """The duos of ``duos`` (cancelled ones aside) whose mentee's job-seeker
    number is also the number of a mentee in a duo of another partner, the two
    duos overlapping: each starts before the other ends (a duo's end date is
    the day it stops; an active duo has not ended). Ordered by job-seeker
    number, then start, so that the duos of one job seeker follow each other.

    Only numbers recorded at two partners or more are looked at (one grouped
    query over the mentees, hashed), then one ``EXISTS`` per remaining duo."""
    shared_numbers = (
        Mentee.objects.order_by()
        .values("jobseeker_number")
        .annotate(partners=Count("partner", distinct=True))
        .filter(partners__gt=1)
        .values("jobseeker_number")
    )
    elsewhere = (
        Duo.objects.not_cancelled()
        .filter(mentee__jobseeker_number=OuterRef("mentee__jobseeker_number"))
        .exclude(partner=OuterRef("partner"))
        .filter(start_date__lt=Coalesce(OuterRef("end_date"), Value(OPEN_END)))
        .alias(until=Coalesce("end_date", Value(OPEN_END)))
        .filter(until__gt=OuterRef("start_date"))
    )
    return (
        duos.not_cancelled()
        .filter(mentee__jobseeker_number__in=shared_numbers)
        .filter(Exists(elsewhere))
        .order_by("mentee__jobseeker_number", "start_date", "pk")
    )


class DoubleEnrolmentListView(LoginRequiredMixin, ListView):
    """Actiris staff and managers: the duos of job seekers enrolled at two
    partners at once (``double_enrolments``). Coordinators: 403."""

    template_name = "duos/double_enrolment_list.html"
    paginate_by = PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_actiris(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        duos = Duo.objects.visible_to(self.request.user).select_related("partner", "programme", "mentee")
        return double_enrolments(duos).only(
            "start_date",
            "end_date",
            "status",
            "partner__name",
            "programme__name",
            "mentee__first_name",
            "mentee__last_name",
            "mentee__jobseeker_number",
            "mentee__birth_date",
        )
