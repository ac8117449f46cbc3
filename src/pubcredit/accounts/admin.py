from django.contrib import admin

from pubcredit.accounts.models import ApiToken, Department, District, User
from pubcredit.audit.admin import ReadOnlyAdmin


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "division_code"]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "uscc", "level", "district"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "display_name", "role", "department", "district", "is_active"]
    exclude = ["password"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "department", "label", "created_at", "last_used_at", "revoked_at"]
    exclude = ["secret_hash"]
