"""Home page, the access mixins every workspace view is built on, and the
staff screens for partners, programmes and funding conventions."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_htmx.http import HttpResponseClientRedirect

from duos.forms import add_service_errors
from duos.models import Duo, DuoStatus, Mentee, Mentor
from followups.services import programme_follow_up_months_set
from reminders.selectors import KEYS, TITLES, reminder_counts_by_partner, reminder_lists

from . import permissions
from .filters import FundingConventionFilter, PartnerFilter, ProgrammeFilter
from .forms import ConventionShareFormSet, FundingConventionForm, PartnerForm, ProgrammeForm
from .models import FundingConvention, Partner, Programme

PAGE_SIZE = 25


# --- access ------------------------------------------------------------------


class VisibleQuerysetMixin(LoginRequiredMixin):
    """Rows come from ``model.objects.visible_to(user)`` and nowhere else: a
    record of another partner is a 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class WriteAccessMixin(VisibleQuerysetMixin):
    """Views that write. The object in the URL (if any) is resolved first, so
    another partner's record answers 404 whatever the role; then the role must
    allow the write (``write_permission``), else 403, for GET and POST alike."""

    write_permission = None  # a function of ``programmes.permissions``

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                # An expired session during an htmx post: send the whole page to
                # the login, back to the page the user was on, not into a section.
                next_url = request.htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
            return self.handle_no_permission()
        self.object = self.resolve_object()
        if not type(self).write_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def resolve_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_object(self, queryset=None):
        return self.object


class ServiceFormMixin:
    """``form_valid`` calls one service (``perform``); its ``ValidationError``
    goes back onto the form, which re-renders with the input kept."""

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except IntegrityError:
            # A concurrent request took a unique value (a slug, a number) between
            # the form's check and the write: checked again, the form says which.
            form = self.get_form()
            if form.is_valid():
                raise
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()


class PageThenAnnotateMixin:
    """For long annotated lists: the paginator works on the ids alone (the
    filters and the sort still apply), then only the page's rows are read with
    their annotations. Without this, PostgreSQL computes every per-row
    subquery for all the rows skipped by OFFSET on a deep page. One query more
    per page, whatever the number of rows."""

    def paginate_queryset(self, queryset, page_size):
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        ids = list(ids)
        rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return paginator, page, page.object_list, is_paginated


class UserFormKwargsMixin:
    """Pass the requesting user to forms whose choices depend on it."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


# --- home --------------------------------------------------------------------


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
        partners = list(_partners_with_counts(Partner.objects.visible_to(user).filter(is_active=True)))
        context["partners"] = partners
        context["reminder_titles"] = [TITLES[key] for key in KEYS]
        context["partner_reminders"] = [
            (partner, [cells[key] for key in KEYS])
            for partner, cells in reminder_counts_by_partner(Duo.objects.visible_to(user), partners, today=today)
        ]
    return render(request, "home.html", context)


def _count_subquery(rows, field, **filters):
    """A correlated COUNT over ``rows`` (a model or a queryset, e.g. the duos the
    user may see) whose ``field`` points at the outer row."""
    queryset = rows.objects.all() if isinstance(rows, type) else rows
    counted = (
        queryset.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _conventions_for(user):
    """Conventions the user may see, with the number of *their* duos under each.
    ``visible_to`` joins shares and duos for a coordinator; taking only its ids
    keeps that join (and its DISTINCT) away from the annotated rows."""
    visible = FundingConvention.objects.visible_to(user)
    return FundingConvention.objects.filter(pk__in=visible.values("pk")).annotate(
        duo_count=_count_subquery(Duo.objects.visible_to(user), "convention")
    )


def _partners_with_counts(queryset):
    """One subquery per count, so the joins never multiply each other."""
    return queryset.annotate(
        active_duos=_count_subquery(Duo, "partner", status=DuoStatus.ACTIVE),
        closed_duos=_count_subquery(Duo, "partner", status=DuoStatus.CLOSED),
        programme_count=_count_subquery(Programme, "partner"),
    )


# --- partners ----------------------------------------------------------------


class PartnerListView(VisibleQuerysetMixin, FilterView):
    model = Partner
    filterset_class = PartnerFilter
    paginate_by = PAGE_SIZE
    template_name = "programmes/partner_list.html"

    def get_queryset(self):
        return _partners_with_counts(super().get_queryset())


class PartnerDetailView(VisibleQuerysetMixin, DetailView):
    model = Partner
    template_name = "programmes/partner_detail.html"

    def get_queryset(self):
        return _partners_with_counts(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["programmes"] = Programme.objects.visible_to(user).filter(partner=self.object)
        context["mentor_count"] = Mentor.objects.visible_to(user).filter(partner=self.object).count()
        context["mentee_count"] = Mentee.objects.visible_to(user).filter(partner=self.object).count()
        return context


class PartnerWriteMixin(WriteAccessMixin, ServiceFormMixin):
    model = Partner
    form_class = PartnerForm
    write_permission = permissions.can_manage_programmes
    template_name = "programmes/form.html"
    success_message = _("Partner %(object)s saved.")

    def perform(self, form):
        return form.save()


class PartnerCreateView(PartnerWriteMixin, CreateView):
    extra_context = {"form_title": _("New partner"), "cancel_url": reverse_lazy("programmes:partner_list")}


class PartnerUpdateView(PartnerWriteMixin, UpdateView):
    pass


# --- programmes --------------------------------------------------------------


class ProgrammeListView(VisibleQuerysetMixin, FilterView):
    model = Programme
    filterset_class = ProgrammeFilter
    paginate_by = PAGE_SIZE
    template_name = "programmes/programme_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("partner")
            .annotate(active_duos=_count_subquery(Duo, "programme", status=DuoStatus.ACTIVE))
        )


class ProgrammeDetailView(VisibleQuerysetMixin, DetailView):
    model = Programme
    template_name = "programmes/programme_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("partner")
            .annotate(
                active_duos=_count_subquery(Duo, "programme", status=DuoStatus.ACTIVE),
                closed_duos=_count_subquery(Duo, "programme", status=DuoStatus.CLOSED),
            )
        )


class ProgrammeWriteMixin(WriteAccessMixin, UserFormKwargsMixin, ServiceFormMixin):
    model = Programme
    form_class = ProgrammeForm
    write_permission = permissions.can_manage_programmes
    template_name = "programmes/form.html"
    success_message = _("Programme %(object)s saved.")

    def perform(self, form):
        with transaction.atomic():
            programme = form.save()
            programme_follow_up_months_set(programme=programme, months=form.cleaned_data["follow_up_months"])
        return programme


class ProgrammeCreateView(ProgrammeWriteMixin, CreateView):
    extra_context = {"form_title": _("New programme"), "cancel_url": reverse_lazy("programmes:programme_list")}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("partner", "").isdigit():
            initial["partner"] = self.request.GET["partner"]
        return initial


class ProgrammeUpdateView(ProgrammeWriteMixin, UpdateView):
    pass


# --- funding conventions -----------------------------------------------------


class FundingConventionListView(VisibleQuerysetMixin, FilterView):
    model = FundingConvention
    filterset_class = FundingConventionFilter
    paginate_by = PAGE_SIZE
    template_name = "programmes/convention_list.html"

    def get_queryset(self):
        return _conventions_for(self.request.user)


class FundingConventionDetailView(VisibleQuerysetMixin, DetailView):
    model = FundingConvention
    template_name = "programmes/convention_detail.html"

    def get_queryset(self):
        return _conventions_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = Partner.objects.visible_to(self.request.user)
        context["shares"] = self.object.shares.filter(partner__in=partners).select_related("partner")
        return context


class FundingConventionWriteMixin(WriteAccessMixin, ServiceFormMixin):
    model = FundingConvention
    form_class = FundingConventionForm
    write_permission = permissions.can_manage_programmes
    template_name = "programmes/form.html"
    success_message = _("Funding convention %(object)s saved.")

    def get_shares_formset(self):
        # Bound to the convention as the form will change it, so that the shares'
        # total is checked against the amount being saved.
        instance = self.object or FundingConvention()
        data = self.request.POST if self.request.method == "POST" else None
        return ConventionShareFormSet(data, instance=instance, user=self.request.user, prefix="shares")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("shares_formset", self.get_shares_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        shares = ConventionShareFormSet(request.POST, instance=form.instance, user=request.user, prefix="shares")
        # The form is validated first: that copies its input onto ``form.instance``,
        # so the formset compares the shares with the new amount.
        form_ok = form.is_valid()
        if shares.is_valid() and form_ok:
            self._shares = shares
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, shares_formset=shares))

    def perform(self, form):
        with transaction.atomic():
            convention = form.save()
            self._shares.instance = convention
            self._shares.save()
        return convention


class FundingConventionCreateView(FundingConventionWriteMixin, CreateView):
    extra_context = {
        "form_title": _("New funding convention"),
        "cancel_url": reverse_lazy("programmes:convention_list"),
    }


class FundingConventionUpdateView(FundingConventionWriteMixin, UpdateView):
    pass
