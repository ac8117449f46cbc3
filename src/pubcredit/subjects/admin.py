from django.contrib import admin

from pubcredit.audit.admin import ReadOnlyAdmin
from pubcredit.subjects.models import ConfirmedIdentifier, Subject


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "kind", "uscc", "id_masked", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "uscc"]
    exclude = ["id_encrypted", "id_hash"]


@admin.register(ConfirmedIdentifier)
class ConfirmedIdentifierAdmin(ReadOnlyAdmin):
    list_display = ["kind", "value", "confirmed_by", "confirmed_at"]
