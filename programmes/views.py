"""The staff screens for partners, programmes and funding conventions (a
coordinator reads their own partner's)."""

from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from followups.services import programme_follow_up_months_set
from mentoring.mixins import PAGE_SIZE, ServiceFormMixin, UserFormKwargsMixin, VisibleQuerysetMixin, WriteAccessMixin
from mentoring.params import is_id

from . import permissions
from .filters import FundingConventionFilter, PartnerFilter, ProgrammeFilter
from .forms import ConventionShareFormSet, FundingConventionForm, PartnerForm, ProgrammeForm
from .models import FundingConvention, Partner, Programme
from .selectors import convention_list_for_user, partners_with_counts, programmes_with_counts

# --- partners ----------------------------------------------------------------


class PartnerListView(VisibleQuerysetMixin, FilterView):
    model = Partner
    filterset_class = PartnerFilter
    paginate_by = PAGE_SIZE
    template_name = "programmes/partner_list.html"

    def get_queryset(self):
        return partners_with_counts(super().get_queryset())


class PartnerDetailView(VisibleQuerysetMixin, DetailView):
    model = Partner
    template_name = "programmes/partner_detail.html"

    def get_queryset(self):
        return partners_with_counts(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["programmes"] = Programme.objects.visible_to(user).filter(partner=self.object)
        # Through the reverse relations: the people are the duos app's records.
        context["mentor_count"] = self.object.mentors.visible_to(user).count()
        context["mentee_count"] = self.object.mentees.visible_to(user).count()
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
        return programmes_with_counts(super().get_queryset())


class ProgrammeDetailView(VisibleQuerysetMixin, DetailView):
    model = Programme
    template_name = "programmes/programme_detail.html"

    def get_queryset(self):
        return programmes_with_counts(super().get_queryset(), closed=True)


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
        if is_id(self.request.GET.get("partner", "")):
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
        return convention_list_for_user(self.request.user)


class FundingConventionDetailView(VisibleQuerysetMixin, DetailView):
    model = FundingConvention
    template_name = "programmes/convention_detail.html"

    def get_queryset(self):
        return convention_list_for_user(self.request.user)

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
