from django.contrib import admin

from pubcredit.publicity.models import ChangeFeedEntry, FeedConsumer, PublicityState, TickRun


class _ReadOnly(admin.ModelAdmin):
    """Publicity rows change only through services (audited): the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicityState)
class PublicityStateAdmin(_ReadOnly):
    list_display = ["record_id", "class_code", "state", "severity", "regime", "publish_from", "publish_until"]
    list_filter = ["state", "class_code", "severity", "regime"]
    raw_id_fields = ["record", "subject", "department"]
    show_full_result_count = False


@admin.register(ChangeFeedEntry)
class ChangeFeedEntryAdmin(_ReadOnly):
    list_display = ["id", "record_id", "event", "state", "effective_on", "changed_at"]
    raw_id_fields = ["record"]
    show_full_result_count = False


@admin.register(FeedConsumer)
class FeedConsumerAdmin(_ReadOnly):
    list_display = ["department", "acknowledged_cursor", "delivered_cursor", "last_seen_at"]


@admin.register(TickRun)
class TickRunAdmin(_ReadOnly):
    list_display = ["day", "started_at", "finished_at", "rulebook_version"]
