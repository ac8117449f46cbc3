"""Workbench-wide notices shown in the base template."""

from __future__ import annotations

from django import template

from pubcredit.rules import clock
from pubcredit.workdays.selectors import schedule_missing

register = template.Library()

# who maintains the holiday table (工作日历) and so must hear that a year is missing
_CALENDAR_ROLES = frozenset({"operator", "district_operator"})


@register.inclusion_tag("console/_calendar_banner.html", takes_context=True)
def calendar_banner(context) -> dict:
    """From 1 November, while next year's holiday schedule (节假日安排) is not loaded, tell operators: deadlines that
    run into it are provisional and decisions that depend on them wait (docs/publicity.md)."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not (user.is_superuser or user.role in _CALENDAR_ROLES):
        return {"years": ()}
    return {"years": schedule_missing(clock.today()), "can_load": user.is_superuser or user.role == "operator"}
