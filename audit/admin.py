"""The access log in the admin: read-only (the log is append-only)."""

from django.contrib import admin

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "role", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type", "role"]
    search_fields = ["username", "object_id", "ip_address"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
