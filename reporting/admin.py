from django.contrib import admin

from .models import PublishedFigure, PublishedReport, ReportRequest


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


class PublishedFigureInline(admin.TabularInline):
    model = PublishedFigure
    fields = ["scope", "key", "numerator", "denominator", "value", "version"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    """Read-only and never deleted: a published report is kept for ever
    (published in the application by a manager; ``reporting.publishing``)."""

    list_display = ["pk", "quarter", "status", "published_at", "published_by_name", "superseded_by"]
    list_filter = ["status"]
    exclude = ["duos"]  # thousands of ids: the figures say what was counted
    readonly_fields = [field.name for field in PublishedReport._meta.fields]
    inlines = [PublishedFigureInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
