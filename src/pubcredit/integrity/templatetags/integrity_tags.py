from django import template

from pubcredit.integrity import permissions

register = template.Library()


@register.filter
def may_view_arrears(user) -> bool:
    """Whether the menu shows 拖欠账款台账 (operators, district offices, departments, leaders)."""
    return permissions.may_view_ledger(user)


@register.filter
def yuan(value) -> str:
    """An amount in yuan with thousands separators: ``120,000.00元``; none: ``—``."""
    if value is None:
        return "—"
    return f"{value:,.2f}元"


@register.filter
def may_view_government(user) -> bool:
    """Whether the menu shows 政务诚信 (operators, district offices, leaders)."""
    from pubcredit.integrity.selectors import may_view_government as allowed

    return bool(getattr(user, "is_authenticated", False)) and allowed(user)


@register.filter
def may_keep_files(user) -> bool:
    """Whether the menu shows 诚信档案 (the personnel offices only)."""
    return permissions.may_keep_files(user)


@register.filter
def pushes_court_list(user) -> bool:
    """Whether the menu shows 联合惩戒反馈: the user's department pushed 失信被执行人 entries (a court)."""
    from pubcredit.integrity.selectors import court_pushes

    return bool(getattr(user, "department_id", None)) and court_pushes(department_id=user.department_id)


@register.filter
def may_edit_publicity(user) -> bool:
    """Whether the menu shows 诚信宣传 (editors and publicity reviewers)."""
    from pubcredit.integrity.choices import IntegrityRole

    return permissions.has_grant(user, IntegrityRole.EDITOR) or permissions.has_grant(
        user, IntegrityRole.PUBLICITY_REVIEWER)
