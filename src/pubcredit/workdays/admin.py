from django.contrib import admin

from pubcredit.audit.admin import ReadOnlyAdmin
from pubcredit.workdays.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    """Read-only: changes go through the 工作日历 page or ``pubcredit load_calendar`` (audited services)."""

    list_display = ["date", "kind", "name", "source", "updated_at"]
    list_filter = ["kind", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
