from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Duo, DuoCorrection, Meeting, Mentee, Mentor, Outcome
from .search import mentees_matching, mentors_matching


class PersonSearchMixin:
    """The admin's search box and the duo's autocomplete search names as the
    app does: without regard to accents or case, a job-seeker number exactly
    (``duos.search``). ``search_fields`` stays declared: the autocomplete
    needs it, and it says what the box searches."""

    def get_search_results(self, request, queryset, search_term):
        return type(self).matching(queryset, search_term), False


@admin.register(Mentor)
class MentorAdmin(PersonSearchMixin, SimpleHistoryAdmin):
    matching = staticmethod(mentors_matching)
    list_display = ["last_name", "first_name", "partner", "employer", "job_title", "birth_date"]
    list_filter = ["partner"]
    list_select_related = ["partner"]
    search_fields = ["last_name", "first_name", "email", "employer"]
    autocomplete_fields = ["partner"]


@admin.register(Mentee)
class MenteeAdmin(PersonSearchMixin, SimpleHistoryAdmin):
    matching = staticmethod(mentees_matching)
    # No migration background in the list: it is special-category data.
    list_display = ["last_name", "first_name", "jobseeker_number", "partner", "birth_date", "gender"]
    list_filter = ["partner", "gender", "education_level"]
    list_select_related = ["partner"]
    search_fields = ["last_name", "first_name", "jobseeker_number", "email"]
    autocomplete_fields = ["partner"]
    # No migration background here either: special-category data, shown per
    # person only to the coordinator of the mentee's partner, in the app.


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["date", "duration_minutes", "place", "status", "note"]
    ordering = ["-date"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = [
        "is_primary",
        "type",
        "contract_type",
        "start_date",
        "contract_months",
        "employer",
        "source",
        "recorded_on",
    ]


@admin.register(Duo)
class DuoAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "mentor", "mentee", "programme", "partner", "convention", "start_date", "end_date", "status"]
    list_filter = ["status", "partner", "programme", "convention", "closure_reason"]
    list_select_related = ["mentor", "mentee", "programme", "partner", "convention"]
    search_fields = ["mentor__last_name", "mentee__last_name", "mentee__jobseeker_number"]
    autocomplete_fields = ["programme", "convention", "mentor", "mentee"]
    date_hierarchy = "start_date"
    inlines = [OutcomeInline, MeetingInline]
    show_full_result_count = False

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Meeting:  # one meeting a day counts for the cadence
            dates = Meeting.objects.filter(duo=form.instance).values_list("date", flat=True)
            services.meeting_cadence_days_sync(duo=form.instance, dates=dates)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "duo", "duration_minutes", "place", "status"]
    list_filter = ["status", "place", "duo__partner"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo"]
    date_hierarchy = "date"
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        old_date = Meeting.objects.filter(pk=obj.pk).values_list("date", flat=True).first()
        super().save_model(request, obj, form, change)
        # One held meeting a day counts for the cadence (duos.services.meetings).
        services.meeting_cadence_days_sync(duo=obj.duo, dates=[d for d in (old_date, obj.date) if d])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.meeting_cadence_days_sync(duo=obj.duo, dates=[obj.date])


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["duo", "type", "contract_type", "contract_months", "is_primary", "recorded_on", "source"]
    list_filter = ["type", "contract_type", "is_primary", "source", "duo__partner"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo"]
    search_fields = ["employer", "duo__mentee__last_name"]


@admin.register(DuoCorrection)
class DuoCorrectionAdmin(admin.ModelAdmin):
    """The log of corrections: read only (a correction is made in the app, with its reason)."""

    list_display = ["duo", "kind", "made_by", "made_at"]
    list_filter = ["kind", "duo__partner"]
    list_select_related = ["duo__mentor", "duo__mentee", "made_by"]
    readonly_fields = ["duo", "kind", "reason", "made_by", "made_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
