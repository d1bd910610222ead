"""Follow-ups: the list (the to-do list by default), recording one from the
duo page, correcting one.

Each view resolves what the user may see first (``visible_to``: another
partner's duo or follow-up is a 404), then the role for writes (403 for
Actiris roles, who read but do not write partner records), then validates the
form and calls one service."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_filters.views import FilterView

from duos.models import Duo, Outcome
from mentoring.forms import add_service_errors
from mentoring.mixins import PAGE_SIZE, VisibleQuerysetMixin, WriteAccessMixin
from mentoring.params import is_id
from programmes import permissions

from . import services
from .filters import FollowUpFilter
from .forms import FollowUpForm
from .models import FollowUp
from .selectors import SlotState, duo_follow_ups, follow_up_slots, slot_state


class FollowUpListView(VisibleQuerysetMixin, FilterView):
    """Follow-up slots of the duos the user may see; by default the ones due
    now (the coordinator's to-do list), the oldest first."""

    model = Duo
    filterset_class = FollowUpFilter
    paginate_by = PAGE_SIZE
    template_name = "followups/follow_up_list.html"

    def get_queryset(self):
        duos = super().get_queryset().select_related("partner", "programme", "mentor", "mentee")
        return follow_up_slots(duos).order_by("due_date", "pk", "offset_months")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recorded = {
            follow_up.pk: follow_up
            for follow_up in FollowUp.objects.filter(
                pk__in=[row.follow_up_id for row in context["object_list"] if row.follow_up_id]
            )
        }
        today = timezone.localdate()
        for row in context["object_list"]:  # the page's rows, already fetched
            row.follow_up = recorded.get(row.follow_up_id)
            row.state = slot_state(row.due_date, row.follow_up_id, today=today)
        context["can_edit"] = permissions.can_edit_partner_records(self.request.user)
        context["window_days"] = settings.FOLLOW_UP_WINDOW_DAYS
        return context


class DuoFollowUpWriteMixin(WriteAccessMixin):
    """Writes on a duo's follow-ups: coordinators of the duo's partner only."""

    write_permission = permissions.can_edit_partner_records


class FollowUpCreateView(DuoFollowUpWriteMixin, FormView):
    """Record a follow-up of a closed duo (``?months=`` picks which; the form
    opens pre-filled with the situation at closure, so that "nothing changed"
    is a click on Save)."""

    model = Duo
    form_class = FollowUpForm
    template_name = "followups/follow_up_form.html"

    def get_queryset(self):
        return Duo.objects.visible_to(self.request.user).select_related("programme", "mentor", "mentee")

    def pending_slots(self):
        return [slot for slot in duo_follow_ups(self.object) if slot["follow_up"] is None]

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        slots = self.pending_slots()
        choices = [(slot["months"], _slot_label(slot)) for slot in slots]
        form.fields["offset_months"] = _offset_field(choices, self.request.GET.get("months"), slots)
        form.order_fields(["offset_months"])
        return form

    def get_initial(self):
        outcome = Outcome.objects.filter(duo=self.object, is_primary=True).first()
        return FollowUpForm.initial_from(outcome)

    def get_context_data(self, **kwargs):
        return super().get_context_data(duo=self.object, **kwargs)

    def form_valid(self, form):
        try:
            follow_up = services.follow_up_record(duo=self.object, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Follow-up at %(months)s months recorded.") % {"months": follow_up.offset_months},
        )
        return HttpResponseRedirect(follow_up.get_absolute_url())


def _slot_label(slot):
    return _("%(months)s months (due %(due)s)") % {
        "months": slot["months"],
        "due": date_format(slot["due_date"], "SHORT_DATE_FORMAT"),
    }


def _offset_field(choices, requested, slots):
    """Which follow-up: the one asked for in the URL, else the first one due
    (or missed), else the next one coming."""
    if requested and is_id(requested) and int(requested) in {slot["months"] for slot in slots}:
        initial = int(requested)
    else:
        initial = next((slot["months"] for slot in slots if slot["state"] != SlotState.UPCOMING), None)
        initial = initial or (slots[0]["months"] if slots else None)
    return forms.TypedChoiceField(label=_("Follow-up"), choices=choices, coerce=int, initial=initial)


class FollowUpUpdateView(WriteAccessMixin, FormView):
    """Correct a recorded follow-up."""

    model = FollowUp
    form_class = FollowUpForm
    write_permission = permissions.can_edit_partner_records
    template_name = "followups/follow_up_form.html"

    def get_queryset(self):
        return FollowUp.objects.visible_to(self.request.user).select_related(
            "duo__programme", "duo__mentor", "duo__mentee"
        )

    def get_initial(self):
        return FollowUpForm.initial_from(None, self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(duo=self.object.duo, follow_up=self.object, **kwargs)

    def form_valid(self, form):
        try:
            follow_up = services.follow_up_update(follow_up=self.object, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Follow-up saved."))
        return HttpResponseRedirect(follow_up.get_absolute_url())


def follow_ups_context(request, duo):
    """What the duo page's follow-up section shows (``{% duo_follow_ups %}``)."""
    return {
        "duo": duo,
        "follow_up_rows": duo_follow_ups(duo),
        "can_record_follow_ups": permissions.can_edit_partner_records(request.user),
    }
