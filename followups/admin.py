from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FollowUp, FollowUpOffset


@admin.register(FollowUpOffset)
class FollowUpOffsetAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "months"]
    list_filter = ["programme"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["duo", "offset_months", "date", "situation", "contract_type", "same_job", "source"]
    list_filter = ["offset_months", "situation", "source"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo", "recorded_by"]
    date_hierarchy = "date"
