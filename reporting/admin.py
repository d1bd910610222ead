from django.contrib import admin

from .models import ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are made in the application and built by the task."""

    list_display = ["pk", "requested_by", "created_at", "date_from", "date_to", "partner", "format", "status"]
    list_filter = ["status", "format", "partner"]
    list_select_related = ["requested_by", "partner"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ReportRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
