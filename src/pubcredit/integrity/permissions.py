"""Who may do what in government integrity (政务诚信).

- credit-centre operators: everything in the arrears ledger, the state-enterprise register and grants;
- district operators: complaints against debtors registered in their district (they transfer them, too);
- the handling department's staff (data providers, reviewers, business users of that department): their complaints;
- leaders (granted 领导): read the ledger and its figures, never act;
- a department's API token: the complaints that department handles; government dishonesty cases only when the
  department is a granted case office (政府失信办理单位, ``CaseOffice``): a city department every body's, a district
  department its district's.
"""

from __future__ import annotations

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.audit.services import SystemActor
from pubcredit.integrity.choices import IntegrityRole

__all__ = ["is_city_operator", "has_grant", "may_view_ledger", "may_assign", "may_handle", "case_office_of"]

_DEPARTMENT_ROLES = (Role.PROVIDER, Role.REVIEWER, Role.BUSINESS_USER)


def has_grant(user, role: str) -> bool:
    """Whether ``user`` holds a function of this app; read once per request's user object (the menu asks often)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = getattr(user, "_integrity_roles", None)
    if roles is None:
        roles = frozenset(user.integrity_grants.values_list("role", flat=True))
        user._integrity_roles = roles
    return role in roles


def may_view_ledger(user) -> bool:
    """Whether the 拖欠账款台账 pages open at all (rows are scoped by the selectors)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (is_city_operator(user) or user.role == Role.DISTRICT_OPERATOR
            or (user.role in _DEPARTMENT_ROLES and bool(user.department_id)) or has_grant(user, IntegrityRole.LEADER))


def may_assign(user, complaint) -> bool:
    if is_city_operator(user):
        return True
    return (getattr(user, "role", "") == Role.DISTRICT_OPERATOR and bool(user.district_id)
            and complaint.debtor.district_id == user.district_id)


def may_handle(user, complaint) -> bool:
    """The handling department's staff, or its system calling with the department's API token."""
    if isinstance(user, SystemActor):
        department = complaint.handling_department
        return bool(user.department_code) and department is not None and department.code == user.department_code
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") in _DEPARTMENT_ROLES
            and bool(user.department_id) and user.department_id == complaint.handling_department_id)


def may_keep_files(user, organisation_id: int | None = None) -> bool:
    """诚信档案: only a personnel office (人事部门, granted) reads and writes, and only its own organisation's staff;
    no operator, leader or superuser reads them (the strictest access of the platform)."""
    if not has_grant(user, IntegrityRole.PERSONNEL_OFFICE) or not user.department_id:
        return False
    return organisation_id is None or user.department_id == organisation_id


def case_office_of(actor):
    """The department a department system (its API token, a ``SystemActor``) acts for when that department is a
    granted case office (政府失信办理单位); None for everyone else."""
    if not isinstance(actor, SystemActor) or not actor.department_code:
        return None
    from pubcredit.integrity.models import CaseOffice

    office = CaseOffice.objects.select_related("department").filter(department__code=actor.department_code).first()
    return office.department if office else None
