from django.contrib import admin

from pubcredit.audit.models import AuditEvent, AuditSeal


class ReadOnlyAdmin(admin.ModelAdmin):
    """Credit data and the audit trail change only through services; the admin site only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "action", "actor_label", "object_type", "object_id", "reason"]
    list_filter = ["action"]
    search_fields = ["object_id", "actor_label"]


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    list_display = ["position", "event", "hash", "sealed_at"]
