from django.contrib import admin

from pubcredit.audit.models import AuditEvent, AuditSeal


class ReadOnlyAdmin(admin.ModelAdmin):
    """The base of every ModelAdmin of the platform (``tests/test_admin.py`` holds it): credit data, the audit trail
    and everything else change only through services, which validate and audit; the admin site only reads them.
    It lives in ``audit``, the lowest app with models, so that every app may import it."""

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
