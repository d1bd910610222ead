"""The waiting list and a mentee's suggested mentors.

Each view resolves what the user may see first (``visible_to``: another
partner's mentee is a 404); reading is open to whoever may read the mentee,
choosing (it starts a duo) to the coordinators of the mentee's partner."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from duos.models import Mentee
from mentoring.forms import add_service_errors
from mentoring.mixins import PAGE_SIZE, VisibleQuerysetMixin
from programmes import permissions
from programmes.models import Programme

from .forms import ChooseMentorForm
from .scoring import PART_LABELS, PARTS
from .selectors import suggestions_for, waiting_mentees
from .services import match_choose


class WaitingListView(VisibleQuerysetMixin, ListView):
    """Mentees who never had a duo, longest waiting first (``waiting_mentees``)."""

    model = Mentee
    paginate_by = PAGE_SIZE
    template_name = "matching/waiting_list.html"

    def get_queryset(self):
        return waiting_mentees(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for mentee in context["object_list"]:
            mentee.waiting_days = max(0, (today - mentee.registered_on).days)
        return context


class SuggestionsView(VisibleQuerysetMixin, FormView):
    """A mentee's suggested mentors in one of their partner's programmes
    (``?programme=``, by default the first active one), each with the parts of
    its score; a coordinator chooses one, which starts the duo."""

    model = Mentee
    form_class = ChooseMentorForm
    template_name = "matching/suggestions.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mentee = get_object_or_404(self.get_queryset().select_related("partner"), pk=kwargs["pk"])
        self.programmes = list(
            Programme.objects.visible_to(request.user).filter(partner_id=self.mentee.partner_id, is_active=True)
        )
        wanted = request.POST.get("programme") or request.GET.get("programme")
        self.programme = next((p for p in self.programmes if str(p.pk) == wanted), None) or (
            self.programmes[0] if self.programmes else None
        )
        if request.method == "POST" and (
            not permissions.can_edit_partner_records(request.user) or self.programme is None
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "mentee": self.mentee}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        suggestions = (
            suggestions_for(mentee=self.mentee, programme=self.programme, today=today) if self.programme else None
        )
        context.update(
            mentee=self.mentee,
            programmes=self.programmes,
            programme=self.programme,
            suggestions=suggestions,
            part_labels=[PART_LABELS[key] for key in PARTS],
            can_choose=permissions.can_edit_partner_records(self.request.user),
        )
        return context

    def form_valid(self, form):
        try:
            choice = match_choose(
                mentee=self.mentee,
                mentor=form.cleaned_data["mentor"],
                programme=self.programme,
                start_date=form.cleaned_data["start_date"],
                convention=form.cleaned_data["convention"],
                chosen_by=self.request.user,
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Duo %(duo)s started with the suggestion ranked %(rank)d of %(count)d.")
            % {"duo": choice.duo, "rank": choice.rank, "count": choice.candidates},
        )
        return HttpResponseRedirect(choice.duo.get_absolute_url())
