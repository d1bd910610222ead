from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ConventionShare, FundingConvention, Membership, Partner, Programme


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "partner",
        "duration_months",
        "min_meetings_per_month",
        "meeting_place",
        "mentee_min_age",
        "mentee_max_age",
        "mentor_min_age",
        "migration_background_required",
        "is_active",
    ]
    list_filter = ["partner", "is_active", "meeting_place", "migration_background_required"]
    list_select_related = ["partner"]
    search_fields = ["name", "slug", "partner__name"]
    autocomplete_fields = ["partner"]
    prepopulated_fields = {"slug": ["name"]}


class ConventionShareInline(admin.TabularInline):
    model = ConventionShare
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(FundingConvention)
class FundingConventionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "funder", "amount", "period_start", "period_end", "target_duos_per_year"]
    list_filter = ["funder"]
    search_fields = ["name", "slug", "funder"]
    date_hierarchy = "period_start"
    inlines = [ConventionShareInline]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "partner"]
    list_filter = ["role", "partner"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__username", "user__email", "partner__name"]
    autocomplete_fields = ["user", "partner"]
