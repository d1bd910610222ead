from django.contrib import admin

from .models import Digest, DigestPreference


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "language", "updated_at"]
    list_filter = ["frequency", "language"]
    raw_id_fields = ["user"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Read-only: the record of what was sent (counts, never the e-mail)."""

    list_display = ["date", "user", "kind", "status", "sent_at", "queue_attempts"]
    list_filter = ["status", "kind", "date"]
    list_select_related = ["user"]
    date_hierarchy = "date"
    readonly_fields = [field.name for field in Digest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
