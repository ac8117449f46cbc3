from django.contrib import admin

from pubcredit.sanctions.models import Check, CheckBatch, CheckFeedback, MeasureVersion, Watch


class _ReadOnly(admin.ModelAdmin):
    """Sanctions rows change only through services (audited): the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeasureVersion)
class MeasureVersionAdmin(_ReadOnly):
    list_display = ["code", "number", "kind", "actor_label", "created_at"]


@admin.register(Check)
class CheckAdmin(_ReadOnly):
    list_display = ["check_id", "department", "scenario", "subject_code", "hit_count", "measure_count",
                    "feedback_complete", "as_of"]
    list_filter = ["scenario", "channel", "feedback_complete"]
    raw_id_fields = ["subject", "department", "batch"]
    show_full_result_count = False


@admin.register(CheckFeedback)
class CheckFeedbackAdmin(_ReadOnly):
    list_display = ["check_row", "measure_code", "applied", "actor_label", "created_at"]
    raw_id_fields = ["check_row"]


@admin.register(CheckBatch)
class CheckBatchAdmin(_ReadOnly):
    list_display = ["id", "department", "scenario", "total", "checked", "hit_subjects", "created_at"]


@admin.register(Watch)
class WatchAdmin(_ReadOnly):
    list_display = ["id", "department", "subject_code", "label", "active", "created_at"]
