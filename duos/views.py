"""Mentors, mentees, duos, meetings and outcomes.

Each view: resolve what the user may see (``visible_to``: another partner's
record is a 404), check the role for writes (403 for Actiris roles, who read
partner records but do not change them), validate the form, call one service,
redirect with a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView
from django_filters.views import FilterView

from audit.models import AccessAction
from audit.services import access_log_record
from mentoring.forms import add_service_errors
from mentoring.mixins import (
    PAGE_SIZE,
    PageThenAnnotateMixin,
    ServiceFormMixin,
    UserFormKwargsMixin,
    VisibleQuerysetMixin,
    WriteAccessMixin,
)
from mentoring.params import is_id
from programmes import permissions

from . import services
from .filters import DuoFilter, MenteeFilter, MentorFilter
from .forms import (
    CorrectionReasonForm,
    DuoCloseForm,
    DuoClosureCorrectForm,
    DuoCreateForm,
    DuoUpdateForm,
    MeetingForm,
    MenteeForm,
    MentorForm,
)
from .models import Duo, DuoCorrection, DuoStatus, Meeting, Mentee, Mentor, MigrationBackground, Outcome, OutcomeType
from .selectors import active_duo_count, duo_cadence_by_month, duo_list_for_user, duos_with_cadence


class PartnerRecordWriteMixin(WriteAccessMixin):
    """Writes on partner records: coordinators of the record's partner only."""

    write_permission = permissions.can_edit_partner_records


# --- mentors -----------------------------------------------------------------


class MentorListView(VisibleQuerysetMixin, PageThenAnnotateMixin, FilterView):
    model = Mentor
    filterset_class = MentorFilter
    paginate_by = PAGE_SIZE
    template_name = "duos/mentor_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partner").annotate(active_duos=active_duo_count("mentor"))


class MentorDetailView(VisibleQuerysetMixin, DetailView):
    model = Mentor
    template_name = "duos/mentor_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["duos"] = (
            Duo.objects.visible_to(self.request.user)
            .filter(mentor=self.object)
            .select_related("mentee", "programme")
            .order_by("-start_date")
        )
        return context


class PersonFormMixin:
    """A new person's form, refused as a possible duplicate (or, for a
    mentee, for a job-seeker number already recorded), lists the partner's
    records it may duplicate, each with its link (``services.possible_duplicates``:
    the coordinator's own partner only)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is not None and form.is_bound and form.instance.pk is None:
            clash = form.has_error("jobseeker_number") if "jobseeker_number" in form.fields else False
            if form.asks_duplicate_confirmation or clash:
                context["duplicates"] = services.possible_duplicates(form.instance)
        return context


class MentorWriteMixin(PersonFormMixin, PartnerRecordWriteMixin, ServiceFormMixin):
    model = Mentor
    form_class = MentorForm
    template_name = "duos/person_form.html"
    extra_context = {"person_kind": "mentor"}
    success_message = _("Mentor %(object)s saved.")

    def perform(self, form):
        mentor = form.instance
        if mentor.pk is None:
            mentor.partner_id = permissions.coordinator_partner_id(self.request.user)
        return services.mentor_save(
            mentor=mentor, opened_version=form.cleaned_data["opened_version"], confirm_duplicate=form.confirm_duplicate
        )


class MentorCreateView(MentorWriteMixin, CreateView):
    pass


class MentorUpdateView(MentorWriteMixin, UpdateView):
    pass


# --- mentees -----------------------------------------------------------------


class MenteeListView(VisibleQuerysetMixin, PageThenAnnotateMixin, FilterView):
    """No migration background here: it is never shown in a list."""

    model = Mentee
    filterset_class = MenteeFilter
    paginate_by = PAGE_SIZE
    template_name = "duos/mentee_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("partner")
            .defer("email", "phone", "languages")
            .annotate(active_duos=active_duo_count("mentee"))
        )


class MenteeDetailView(VisibleQuerysetMixin, DetailView):
    model = Mentee
    template_name = "duos/mentee_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["duos"] = (
            Duo.objects.visible_to(user)
            .filter(mentee=self.object)
            .select_related("mentor", "programme")
            .order_by("-start_date")
        )
        context["shows_migration_background"] = permissions.can_view_migration_background(user)
        if context["shows_migration_background"]:
            context["migration_background"] = (
                MigrationBackground.objects.visible_to(user).filter(mentee=self.object).first()
            )
        context["has_active_duo"] = any(duo.status == DuoStatus.ACTIVE for duo in context["duos"])
        access_log_record(request=self.request, action=AccessAction.MENTEE_VIEW, obj=self.object)
        if context.get("migration_background"):
            access_log_record(request=self.request, action=AccessAction.MIGRATION_BACKGROUND_VIEW, obj=self.object)
        return context


class MenteeWriteMixin(PersonFormMixin, PartnerRecordWriteMixin, UserFormKwargsMixin, ServiceFormMixin):
    model = Mentee
    form_class = MenteeForm
    template_name = "duos/person_form.html"
    extra_context = {"person_kind": "mentee"}
    success_message = _("Mentee %(object)s saved.")

    def perform(self, form):
        mentee = form.instance
        if mentee.pk is None:
            mentee.partner_id = permissions.coordinator_partner_id(self.request.user)
        opened_version = form.cleaned_data["opened_version"]
        confirm = form.confirm_duplicate
        if form.shows_migration_background:
            return services.mentee_save(
                mentee=mentee,
                has_migration_background=form.has_migration_background,
                opened_version=opened_version,
                confirm_duplicate=confirm,
            )
        background = MigrationBackground.objects.filter(mentee_id=mentee.pk).first() if mentee.pk else None
        return services.mentee_save(
            mentee=mentee,
            has_migration_background=background.has_migration_background if background else None,
            opened_version=opened_version,
            confirm_duplicate=confirm,
        )


class MenteeCreateView(MenteeWriteMixin, CreateView):
    pass


class MenteeUpdateView(MenteeWriteMixin, UpdateView):
    pass


# --- duos --------------------------------------------------------------------


class DuoListView(VisibleQuerysetMixin, PageThenAnnotateMixin, FilterView):
    model = Duo
    filterset_class = DuoFilter
    paginate_by = PAGE_SIZE
    template_name = "duos/duo_list.html"

    def get_queryset(self):
        return duo_list_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(OutcomeType.choices)
        for duo in context["object_list"]:  # the page's rows, already fetched
            duo.outcome_label = labels.get(duo.outcome_type, "")
        return context


def _duo_queryset(user):
    return Duo.objects.visible_to(user).select_related("partner", "programme", "mentor", "mentee", "convention")


class DuoDetailView(VisibleQuerysetMixin, DetailView):
    model = Duo
    template_name = "duos/duo_detail.html"

    def get_queryset(self):
        return duos_with_cadence(_duo_queryset(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meetings_context(self.request, self.object))
        context["outcome"] = Outcome.objects.filter(duo=self.object, is_primary=True).first()
        context["corrections"] = DuoCorrection.objects.filter(duo=self.object).select_related("made_by")
        return context


def meetings_context(request, duo, form=None):
    """What the meetings section of the duo page needs (the full page and the
    htmx partial render the same section)."""
    # A closed duo's meetings are read-only until it is reopened.
    can_edit = permissions.can_edit_partner_records(request.user) and duo.status == DuoStatus.ACTIVE
    can_log = can_edit
    if form is None and can_log:
        form = MeetingForm(duo=duo)
    cadence = duo_cadence_by_month(duo)
    return {
        "duo": duo,
        "meetings": Meeting.objects.visible_to(request.user).filter(duo=duo).order_by("-date", "-pk"),
        "cadence": cadence,
        "cadence_met": sum(1 for month in cadence if month["met"]),
        "meeting_form": form if can_log else None,
        "can_edit": can_edit,
    }


class DuoCreateView(PartnerRecordWriteMixin, UserFormKwargsMixin, ServiceFormMixin, FormView):
    model = Duo
    form_class = DuoCreateForm
    template_name = "duos/duo_form.html"
    success_message = _("Duo %(object)s started.")

    def get_initial(self):
        initial = super().get_initial()
        for key in ("mentor", "mentee", "programme"):
            if is_id(self.request.GET.get(key, "")):
                initial[key] = self.request.GET[key]
        return initial

    def perform(self, form):
        return services.duo_create(**form.cleaned_data)


class DuoUpdateView(PartnerRecordWriteMixin, UserFormKwargsMixin, ServiceFormMixin, UpdateView):
    model = Duo
    form_class = DuoUpdateForm
    template_name = "duos/duo_form.html"
    success_message = _("Duo %(object)s saved.")

    def get_queryset(self):
        return _duo_queryset(self.request.user)

    def perform(self, form):
        return services.duo_update(duo=self.object, **form.cleaned_data)


class DuoCloseView(PartnerRecordWriteMixin, ServiceFormMixin, FormView):
    """Close an active duo with its reason and outcome."""

    model = Duo
    form_class = DuoCloseForm
    template_name = "duos/duo_close.html"
    success_message = _("Duo %(object)s closed.")

    def get_queryset(self):
        return _duo_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(duo=self.object, **kwargs)

    def perform(self, form):
        return services.duo_close(duo=self.object, **form.cleaned_data)


# --- corrections ---------------------------------------------------------------


class DuoClosureCorrectView(PartnerRecordWriteMixin, ServiceFormMixin, FormView):
    """Correct a closed duo's closure (date, reason, outcome), with a reason."""

    model = Duo
    form_class = DuoClosureCorrectForm
    template_name = "duos/duo_closure_correct.html"
    success_message = _("The closure of %(object)s is corrected.")

    def get_queryset(self):
        return _duo_queryset(self.request.user)

    def get_form_kwargs(self):
        outcome = Outcome.objects.filter(duo=self.object, is_primary=True).first()
        return {**super().get_form_kwargs(), "duo": self.object, "outcome": outcome}

    def get_context_data(self, **kwargs):
        return super().get_context_data(duo=self.object, **kwargs)

    def perform(self, form):
        return services.duo_closure_correct(duo=self.object, user=self.request.user, **form.cleaned_data)


class DuoCorrectionConfirmView(PartnerRecordWriteMixin, ServiceFormMixin, FormView):
    """A correction that needs only a reason: a confirmation page with the
    reason's field (``duo_reopen``, ``duo_cancel``)."""

    model = Duo
    form_class = CorrectionReasonForm
    template_name = "duos/duo_correction_confirm.html"
    action = ""  # "reopen" or "cancel"

    def get_queryset(self):
        return _duo_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(duo=self.object, action=self.action, **kwargs)


class DuoReopenView(DuoCorrectionConfirmView):
    """Reopen a duo closed by mistake."""

    action = "reopen"
    success_message = _("Duo %(object)s reopened.")

    def perform(self, form):
        return services.duo_reopen(duo=self.object, user=self.request.user, **form.cleaned_data)


class DuoCancelView(DuoCorrectionConfirmView):
    """Cancel a duo entered by mistake."""

    action = "cancel"
    success_message = _("Duo %(object)s cancelled: it is in no figure.")

    def perform(self, form):
        return services.duo_cancel(duo=self.object, user=self.request.user, **form.cleaned_data)


# --- meetings ----------------------------------------------------------------


class MeetingCreateView(PartnerRecordWriteMixin, ServiceFormMixin, FormView):
    """Log a meeting from the duo page. With htmx the meetings section is
    swapped in place (form errors included); without, a plain page and redirect."""

    model = Duo
    form_class = MeetingForm
    template_name = "duos/meeting_form.html"
    success_message = _("Meeting of %(date)s logged.")

    def get_queryset(self):
        return _duo_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(duo=self.object, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "duo": self.object}

    def form_valid(self, form):
        try:
            meeting = services.meeting_log(duo=self.object, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"date": _date(meeting.date)})
        if self.request.htmx:
            return self.render_section()
        return HttpResponseRedirect(self.object.get_absolute_url())

    def form_invalid(self, form):
        if self.request.htmx:
            return self.render_section(form)
        return super().form_invalid(form)

    def render_section(self, form=None):
        # Re-read the duo so the status badges (sent out of band) follow the new meeting.
        duo = duos_with_cadence(_duo_queryset(self.request.user)).get(pk=self.object.pk)
        context = {**meetings_context(self.request, duo, form), "status_out_of_band": True}
        return render(self.request, "duos/partials/meetings_section.html", context)


def _date(day):
    return date_format(day, "SHORT_DATE_FORMAT")


class MeetingWriteMixin(PartnerRecordWriteMixin):
    model = Meeting

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related(
            "duo__programme", "duo__mentor", "duo__mentee"
        )

    def get_success_url(self):
        return reverse("duos:duo_detail", args=[self.object.duo_id]) + "#meetings"


class MeetingUpdateView(MeetingWriteMixin, ServiceFormMixin, UpdateView):
    form_class = MeetingForm
    template_name = "duos/meeting_form.html"
    success_message = _("Meeting saved.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(duo=self.object.duo, **kwargs)

    def perform(self, form):
        return services.meeting_update(meeting=self.object, **form.cleaned_data)


class MeetingDeleteView(MeetingWriteMixin, TemplateView):
    template_name = "duos/meeting_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.object, duo=self.object.duo, **kwargs)

    def post(self, request, *args, **kwargs):
        url = self.get_success_url()
        try:
            services.meeting_delete(meeting=self.object)
        except ValidationError as exc:  # the duo is closed or cancelled
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(url)
        messages.success(request, _("Meeting deleted."))
        return HttpResponseRedirect(url)
