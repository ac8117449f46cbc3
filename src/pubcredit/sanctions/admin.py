from django.contrib import admin

from pubcredit.audit.admin import ReadOnlyAdmin
from pubcredit.sanctions.models import Check, CheckBatch, CheckFeedback, MeasureVersion, Watch


@admin.register(MeasureVersion)
class MeasureVersionAdmin(ReadOnlyAdmin):
    list_display = ["code", "number", "kind", "actor_label", "created_at"]


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    list_display = ["check_id", "department", "scenario", "subject_code", "hit_count", "measure_count",
                    "feedback_complete", "as_of"]
    list_filter = ["scenario", "channel", "feedback_complete"]
    raw_id_fields = ["subject", "department", "batch"]
    show_full_result_count = False


@admin.register(CheckFeedback)
class CheckFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["check_row", "measure_code", "applied", "actor_label", "created_at"]
    raw_id_fields = ["check_row"]


@admin.register(CheckBatch)
class CheckBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "department", "scenario", "total", "checked", "hit_subjects", "created_at"]


@admin.register(Watch)
class WatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "department", "subject_code", "label", "active", "created_at"]
