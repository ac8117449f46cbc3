"""Reads about departments: a department by its code, the real-time sharing rule in force (实时共享, the rule the
``figures`` app applies) and enterprise registrations. The department figures themselves are in ``figures.selectors``;
who may read them is ``accounts.access`` (its two figure questions are re-exported here for existing callers)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from pubcredit.accounts.access import may_read_city_figures, may_read_department_figures
from pubcredit.accounts.models import Department
from pubcredit.rulebook.loader import RulebookError, load_yaml
from pubcredit.rules import clock, sharing
from pubcredit.rules.errors import DomainError

__all__ = ["sharing_rulebook", "sharing_rule", "department_by_code", "may_read_department_figures",
           "may_read_city_figures", "enterprise_registrations_open", "enterprise_registrations_recent"]


# -- the rule ------------------------------------------------------------------------------------------------

@cache
def sharing_rulebook() -> sharing.SharingRulebook:
    """``rulebook/sharing.yaml``, checked and cached (``sharing_rulebook.cache_clear()`` after editing it)."""
    try:
        return sharing.parse_rulebook(load_yaml("sharing.yaml"))
    except sharing.SharingRulebookError as exc:
        raise RulebookError(str(exc)) from exc


def sharing_rule(on: dt.date | None = None) -> sharing.SharingRule:
    """The real-time sharing rule in force on ``on`` (default: today)."""
    try:
        return sharing_rulebook().rule_on(on or clock.today())
    except sharing.SharingRulebookError as exc:
        raise RulebookError(str(exc)) from exc


def department_by_code(code: str) -> Department:
    """The department with this code; unknown → ``department.not_found`` (404 in the API)."""
    department = Department.objects.select_related("district").filter(code=code).first()
    if department is None:
        raise DomainError("department.not_found", f"部门不存在：{code}", f"no department with code {code!r}",
                          "code")
    return department


def enterprise_registrations_open():
    """企业用户注册 waiting for the credit centre (oldest first)."""
    from pubcredit.accounts.models import EnterpriseRegistration

    return EnterpriseRegistration.objects.filter(state__in=["pending", "code_sent"]).order_by("created_at", "id")


def enterprise_registrations_recent(limit: int = 50):
    from pubcredit.accounts.models import EnterpriseRegistration

    return EnterpriseRegistration.objects.filter(state__in=["confirmed", "rejected"]).order_by("-updated_at")[:limit]
