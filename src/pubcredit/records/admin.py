from django.contrib import admin

from pubcredit.audit.admin import ReadOnlyAdmin
from pubcredit.records.models import CreditRecord


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = ["id", "class_code", "decision_no", "decision_date", "department", "version", "status", "on_time"]
    list_filter = ["class_code", "status", "on_time", "department"]
    search_fields = ["decision_no"]
    raw_id_fields = ["subject"]
