"""Template helpers for the joint reward and punishment pages."""

from django import template

from pubcredit.rules.sanctions import APPLIES_LABELS, IMPLEMENTER_LABELS
from pubcredit.sanctions.selectors import may_check, watch_unread

register = template.Library()


@register.simple_tag
def watch_unread_count(user) -> int:
    """Unread watch notifications of the user's department (0 without one)."""
    department = getattr(user, "department", None)
    if department is None:
        return 0
    return watch_unread(department=department)


@register.filter
def can_check(user) -> bool:
    return may_check(user)


@register.filter
def kind_label(kind: str) -> str:
    return {"punish": "惩戒", "reward": "激励", "black": "黑名单", "red": "红名单"}.get(kind, kind)


@register.filter
def force_label(force: str) -> str:
    return {"M": "强制", "D": "参考", "C": "依法适用"}.get(force, force)


@register.filter
def applies_label(applies: str) -> str:
    """``yes`` / ``verify`` / ``no`` → 适用 / 待核实 / 不适用."""
    return APPLIES_LABELS.get(applies or "yes", applies)


@register.filter
def implementer_label(implemented_by: str) -> str:
    return IMPLEMENTER_LABELS.get(implemented_by or "checking_department", implemented_by)


@register.filter
def get_item(mapping, key):
    """``{{ names|get_item:code }}``: a dict lookup in templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
