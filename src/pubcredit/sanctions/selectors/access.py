"""Who may check, edit measures and read figures, and which checks a viewer sees (联合奖惩的查看范围)."""

from __future__ import annotations

from django.db.models import Q

# Who may read figures is one rule for every app (accounts.access); re-exported for the sanctions pages.
from pubcredit.accounts.access import is_city_operator, may_read_city_figures, may_read_department_figures
from pubcredit.accounts.choices import Role


def may_check(user) -> bool:
    """Business users (and data providers, reviewers) of a department check subjects; operators may too."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_city_operator(user) or bool(user.department_id) and user.role in (
        Role.BUSINESS_USER, Role.PROVIDER, Role.REVIEWER)


def may_edit_measures(user) -> bool:
    return is_city_operator(user)


def check_scope(user) -> Q:
    if is_city_operator(user):
        return Q()
    if getattr(user, "role", "") == Role.DISTRICT_OPERATOR and user.district_id:
        return Q(department__district_id=user.district_id)
    if getattr(user, "department_id", None):
        return Q(department_id=user.department_id)
    return Q(pk__in=[])

