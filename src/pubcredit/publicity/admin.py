from django.contrib import admin

from pubcredit.audit.admin import ReadOnlyAdmin
from pubcredit.publicity.models import ChangeFeedEntry, FeedConsumer, PublicityState, TickRun


@admin.register(PublicityState)
class PublicityStateAdmin(ReadOnlyAdmin):
    list_display = ["record_id", "class_code", "state", "severity", "regime", "publish_from", "publish_until"]
    list_filter = ["state", "class_code", "severity", "regime"]
    raw_id_fields = ["record", "subject", "department"]
    show_full_result_count = False


@admin.register(ChangeFeedEntry)
class ChangeFeedEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "record_id", "event", "state", "effective_on", "changed_at"]
    raw_id_fields = ["record"]
    show_full_result_count = False


@admin.register(FeedConsumer)
class FeedConsumerAdmin(ReadOnlyAdmin):
    list_display = ["department", "acknowledged_cursor", "delivered_cursor", "last_seen_at"]


@admin.register(TickRun)
class TickRunAdmin(ReadOnlyAdmin):
    list_display = ["day", "started_at", "finished_at", "rulebook_version"]
