"""The home page: the first screen after sign-in, for every role."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from duos.models import Duo, DuoStatus, Mentee, Mentor
from programmes import permissions
from programmes.models import Partner
from programmes.selectors import partners_with_counts
from reminders.selectors import KEYS, TITLES, reminder_counts_by_partner, reminder_lists


@login_required
def home(request):
    """A coordinator's to-do lists (the ones their reminder e-mails carry,
    ``reminders.selectors``) and counts; for Actiris roles, the partners with
    the same lists' counts."""
    user = request.user
    context = {}
    today = timezone.localdate()
    if permissions.is_coordinator(user):
        visible = Duo.objects.visible_to(user)
        context["reminders"] = reminder_lists(visible, today=today)
        context["reminders_total"] = sum(reminder.count for reminder in context["reminders"])
        context["counts"] = visible.aggregate(
            active=Count("pk", filter=Q(status=DuoStatus.ACTIVE)),
            total=Count("pk"),
        )
        context["counts"]["mentors"] = Mentor.objects.visible_to(user).count()
        context["counts"]["mentees"] = Mentee.objects.visible_to(user).count()
    elif permissions.is_actiris(user):
        partners = list(partners_with_counts(Partner.objects.visible_to(user).filter(is_active=True)))
        context["partners"] = partners
        context["reminder_titles"] = [TITLES[key] for key in KEYS]
        context["partner_reminders"] = [
            (partner, [cells[key] for key in KEYS])
            for partner, cells in reminder_counts_by_partner(Duo.objects.visible_to(user), partners, today=today)
        ]
    return render(request, "home.html", context)
