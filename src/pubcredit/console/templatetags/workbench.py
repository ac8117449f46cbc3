"""Template helpers of the workbench (工作台): people, codes and dates in the words a clerk reads.

Every code a page shows goes through one of these filters, so a list code, a scenario, a removal reason, an actor or
a role is shown in Chinese (from the rulebook or the model choices), never as ``integrity_honor`` or ``user:scjg``.
"""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pubcredit.accounts.models import Department, User
from pubcredit.lists.choices import RemovalReasonChoice
from pubcredit.lists.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.sanctions.rulebook import scenarios
from pubcredit.workdays.selectors import schedule_missing

register = template.Library()

# Command-line and system actors (系统操作) by their label in the audit trail.
SYSTEM_ACTORS = {
    "cli:seed_demo": "系统（演示数据导入）",
    "cli:import_records": "系统（命令行导入）",
    "cli:load_calendar": "系统（导入节假日）",
    "cli:create_department": "系统（命令行建部门）",
    "cli:create_token": "系统（命令行建令牌）",
    "cli:lists_tick": "系统（名单每日处理）",
    "cli:tick": "系统（每日处理）",
    "cli:evaluate": "系统（公共信用综合评价）",
    "cli:create_enterprise_account": "系统（命令行开通企业用户）",
    "cli:create_bank_officer": "系统（命令行开通金融机构用户）",
    "cli:subject_industries": "系统（命令行导入主体行业门类）",
    "cli:national_xinyidai_report": "系统（全国信易贷平台报送）",
}
_ROLE_SUFFIX = re.compile(r"\s*[(（][A-Za-z][^)）]*[)）]\s*$")


def role_zh(user) -> str:
    """``信用中心操作员 (credit-centre operator)`` → 信用中心操作员: the Chinese half of the role's label."""
    if getattr(user, "is_superuser", False) and not getattr(user, "role", ""):
        return "系统管理员"
    if not getattr(user, "role", "") and getattr(getattr(user, "department", None), "kind", "") == "financial_institution":
        return "金融机构用户"  # a bank officer has no government role (finance.bank_access)
    label = user.get_role_display() if getattr(user, "role", "") else "系统管理员"
    return _ROLE_SUFFIX.sub("", str(label))


register.filter("role_zh", role_zh)


@register.simple_tag
def user_label(user) -> str:
    """The header's 'who': person, role and department, all in Chinese."""
    department = getattr(user, "department", None)
    place = department.name if department else (f"{user.district}" if getattr(user, "district", None) else "")
    return format_html('<span class="who-name">{}</span> <span class="who-role">{}{}</span>',
                       str(user), role_zh(user), f" · {place}" if place else "")


@register.filter
def actor_name(label: str) -> str:
    """``user:scjg`` → 淄博市市场监督管理局 数据报送员; ``token:SCJGJ:ab12`` → 部门名 接口报送; ``cli:…`` → 系统."""
    label = label or ""
    kind, _, rest = label.partition(":")
    if kind == "user":
        user = User.objects.select_related("department").filter(username=rest).first()
        if user is None:
            return rest
        department = user.department.name if user.department else ""
        return f"{department} {user}".strip() if department and department not in str(user) else str(user)
    if kind == "token":
        code = rest.split(":")[0]
        department = Department.objects.filter(code=code).values_list("name", flat=True).first()
        return f"{department or code}（接口报送）"
    if kind == "cli":
        return SYSTEM_ACTORS.get(label, "系统（命令行）")
    if kind == "public":
        return "公众（公示网站）"
    return label or "—"


@register.filter
def list_name(code: str) -> str:
    """``integrity_honor`` → the list's Chinese name from the list rulebook (its latest version)."""
    versions = rulebook().versions.get(code)
    return versions[-1].name_zh if versions else (code or "—")


@register.filter
def scenario_name(code: str) -> str:
    """``government_procurement`` → 政府采购 (the scenario's name in the measures rulebook)."""
    found = scenarios().get(code)
    return found.name_zh if found else (code or "—")


@register.filter
def removal_reason_name(code: str) -> str:
    """``repaired`` → 信用修复移出."""
    return dict(RemovalReasonChoice.choices).get(str(code), code)


@register.filter
def iso(value) -> str:
    """A date as ``YYYY-MM-DD`` (the only value ``<input type=date>`` accepts)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else (value or "")


@register.simple_tag(takes_context=True)
def nav_link(context, name: str, label: str, *args, count: int = 0) -> str:
    """A menu link, marked as the current page when the request is under it; ``count`` adds （n） when non-zero."""
    try:
        href = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    request = context.get("request")
    path = request.path if request else ""
    current = path == href if name == "console:home" else path.startswith(href)
    text = f"{label}（{count}）" if count else label
    return format_html('<a href="{}"{}>{}</a>', href, mark_safe(' aria-current="page"') if current else "", text)


@register.filter
def can_identify(user) -> bool:
    """May run identification cases (名单认定): the menu offers only what the permission check allows."""
    from pubcredit.lists.selectors import may_identify

    return may_identify(user)


@register.filter
def can_see_sanction_figures(user) -> bool:
    """Operators read the city's joint-punishment figures; a department user reads its own department's."""
    from pubcredit.accounts.access import may_read_city_figures

    return may_read_city_figures(user) or bool(getattr(user, "department_id", None))


# Rejection codes (退回原因代码) as the kind of error a provider fixes; the row's own message says the detail.
REJECTION_KINDS = {
    "required": "必填项为空", "enum": "取值不在允许范围内", "max_length": "内容超长", "date.format": "日期格式错误",
    "date.future": "日期晚于今天", "date.before_1949": "日期过早", "date.too_early": "日期过早",
    "decimal.format": "数值格式错误", "decimal.range": "数值超出范围", "decimal.large": "数额异常",
    "uscc.required": "统一社会信用代码为空", "uscc.length": "统一社会信用代码位数错误",
    "uscc.format": "统一社会信用代码含非法字符", "uscc.checksum": "统一社会信用代码校验位错误",
    "id.required": "身份证号码为空", "id.length": "身份证号码位数错误", "id.format": "身份证号码格式错误",
    "id.birth_date": "身份证号码出生日期错误", "id.checksum": "身份证号码校验位错误",
    "duplicate": "文件内重复", "catalog.missing_columns": "缺少必填列", "file.empty": "文件为空", "file.csv": "文件格式错误",
}


@register.filter
def rejection_name(code: str) -> str:
    """``uscc.checksum`` → 统一社会信用代码校验位错误; an unknown code becomes 其他错误 (never the code itself)."""
    code = code or ""
    if code in REJECTION_KINDS:
        return REJECTION_KINDS[code]
    family = code.split(".")[0]
    return {"uscc": "统一社会信用代码有误", "id": "身份证号码有误", "date": "日期有误", "decimal": "数值有误",
            "rule": "字段间规则不符", "dup": "重复", "commitment": "信用承诺规则不符"}.get(family, "其他错误")


_MEASURE_REF = re.compile(r"\b[a-z][a-z_]*\.[a-z][a-z_]*\b")


@register.filter
def measure_refs(text: str) -> str:
    """A rulebook note naming another measure by its code (``samr.procurement_factor``) names it in Chinese instead."""
    from pubcredit.sanctions.rulebook import measure_book

    if not text or "." not in text:
        return text
    names = {m.code: m.name_zh for m in measure_book().measures}
    return _MEASURE_REF.sub(lambda found: f"“{names[found.group(0)]}”" if found.group(0) in names else found.group(0),
                            text)


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
