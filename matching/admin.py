from django.contrib import admin

from .models import MatchChoice, MatchingWeights


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    list_display = ["programme", "languages", "sector", "distance", "capacity", "waiting", "distance_reach_km"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme"]


@admin.register(MatchChoice)
class MatchChoiceAdmin(admin.ModelAdmin):
    """Read-only: the record of what was chosen, for judging the weights."""

    list_display = ["chosen_at", "partner", "programme", "rank", "candidates", "score", "duo"]
    list_filter = ["partner", "programme", "rank"]
    list_select_related = ["partner", "programme", "duo"]
    raw_id_fields = ["mentee", "mentor", "duo"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
