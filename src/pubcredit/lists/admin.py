from django.contrib import admin

from pubcredit.audit.admin import ReadOnlyAdmin
from pubcredit.lists.models import IdentificationCase, ListChange, ListEntry


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "list_code", "decision_no", "status", "removal_reason", "effective_date", "planned_end",
                    "pushed_late"]
    list_filter = ["list_code", "status", "removal_reason", "pushed_late"]
    raw_id_fields = ["record", "subject", "department"]
    show_full_result_count = False


@admin.register(ListChange)
class ListChangeAdmin(ReadOnlyAdmin):
    list_display = ["id", "list_code", "change", "reason", "effective_on", "changed_at"]
    raw_id_fields = ["entry", "subject"]


@admin.register(IdentificationCase)
class IdentificationCaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "list_code", "subject_name", "state", "department", "created_at"]
    list_filter = ["list_code", "state"]
    exclude = ["id_encrypted"]
