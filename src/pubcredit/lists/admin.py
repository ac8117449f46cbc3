from django.contrib import admin

from pubcredit.lists.models import IdentificationCase, ListChange, ListEntry


class _ReadOnly(admin.ModelAdmin):
    """List rows change only through services (audited): the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ListEntry)
class ListEntryAdmin(_ReadOnly):
    list_display = ["id", "list_code", "decision_no", "status", "removal_reason", "effective_date", "planned_end",
                    "pushed_late"]
    list_filter = ["list_code", "status", "removal_reason", "pushed_late"]
    raw_id_fields = ["record", "subject", "department"]
    show_full_result_count = False


@admin.register(ListChange)
class ListChangeAdmin(_ReadOnly):
    list_display = ["id", "list_code", "change", "reason", "effective_on", "changed_at"]
    raw_id_fields = ["entry", "subject"]


@admin.register(IdentificationCase)
class IdentificationCaseAdmin(_ReadOnly):
    list_display = ["id", "list_code", "subject_name", "state", "department", "created_at"]
    list_filter = ["list_code", "state"]
    exclude = ["id_encrypted"]
