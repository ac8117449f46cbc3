"""信易贷 as pure rules: when an enterprise's authorisation (授权) lets a financial institution read its profile, and
why not otherwise. No Django here: the finance app reads the authorisations and passes them in.

国办发〔2021〕52号 (shared/domain/rules.md §11) has enterprise credit data shared with banks through financing
credit service platforms; this platform shares it only with the enterprise's own authorisation, for a named
institution, a scope, a purpose and a term, revocable at any time (docs/finance.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from pubcredit.rules.errors import DomainError

# Authorisation states (授权状态), with their Chinese labels; see ``authorisation_state``.
STATE_LABELS = {"pending": "未到起始日", "in_force": "有效", "expired": "已到期", "revoked": "已撤销"}
SOURCES = ("records", "lists", "monthly", "evaluation")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScopeItem(_Strict):
    """One thing an enterprise may put in an authorisation's scope: a catalogue class (its records, its list
    entries, or its monthly series) or the evaluation class."""

    code: str
    name_zh: str
    source: str
    subject_kinds: tuple[str, ...] = ("legal_person", "individual_business")
    note_zh: str = ""


class ProfileBook(_Strict):
    version: str
    max_term_days: int = Field(gt=0)
    items: tuple[ScopeItem, ...] = Field(min_length=1)

    def item(self, code: str) -> ScopeItem:
        found = next((i for i in self.items if i.code == code), None)
        if found is None:
            known = "、".join(i.code for i in self.items)
            raise DomainError("finance.unknown_scope", f"授权范围中有未知的信息项：{code}（可选：{known}）",
                              f"unknown scope item {code!r}", "scope")
        return found

    def codes(self) -> list[str]:
        return [i.code for i in self.items]


def parse_profile_book(data: dict, *, catalogue_classes: Iterable[str]) -> ProfileBook:
    """The profile rulebook, checked: every item but the evaluation names a catalogue class; codes are unique."""
    book = ProfileBook.model_validate(data)
    known = set(catalogue_classes)
    seen: set[str] = set()
    for item in book.items:
        if item.source not in SOURCES:
            raise ValueError(f"item {item.code}: source must be one of {', '.join(SOURCES)}")
        if item.source != "evaluation" and item.code not in known:
            raise ValueError(f"item {item.code}: not a catalogue class")
        if item.code in seen:
            raise ValueError(f"item {item.code}: duplicate")
        seen.add(item.code)
    return book


@dataclass(frozen=True)
class Grant:
    """What the rule needs of one authorisation."""

    authorisation_id: str
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    revoked: bool
    scope: frozenset[str]


def authorisation_state(grant: Grant, today: dt.date) -> str:
    """An authorisation is in force from its first to its last day (both inclusive) unless revoked; a revocation
    takes effect at once (授权可随时撤销)."""
    if grant.revoked:
        return "revoked"
    if today < grant.starts_on:
        return "pending"
    if today > grant.ends_on:
        return "expired"
    return "in_force"


@dataclass(frozen=True)
class ReadDecision:
    allowed: bool
    grant: Grant | None
    sections: tuple[str, ...]
    code: str = ""
    message_zh: str = ""
    message_en: str = ""


_REFUSALS = {
    "revoked": ("finance.authorisation_revoked", "企业已撤销对贵机构的授权，不能查询",
                "the enterprise revoked its authorisation"),
    "expired": ("finance.authorisation_expired", "企业对贵机构的授权已到期，不能查询",
                "the enterprise's authorisation has ended"),
    "pending": ("finance.authorisation_not_started", "企业对贵机构的授权尚未到起始日，不能查询",
                "the enterprise's authorisation has not started yet"),
}


def read_decision(grants: Sequence[Grant], *, requested: Sequence[str] | None, today: dt.date) -> ReadDecision:
    """May the institution read the profile today, and which sections? Only within an authorisation in force and
    only its scope (授权范围). ``grants``: the institution's authorisations by this enterprise, newest first;
    ``requested``: the sections asked for (None: the whole scope of the newest authorisation in force).

    Refusals say why: no authorisation ever, the newest one revoked, ended or not yet started, or sections asked
    for outside every authorisation in force (naming them)."""
    if not grants:
        return ReadDecision(False, None, (), "finance.not_authorised", "该企业未授权贵机构查询其信用信息",
                            "the enterprise has not authorised this institution")
    in_force = [g for g in grants if authorisation_state(g, today) == "in_force"]
    if not in_force:
        code, zh, en = _REFUSALS[authorisation_state(grants[0], today)]
        return ReadDecision(False, grants[0], (), code, zh, en)
    if requested is None:
        grant = in_force[0]
        return ReadDecision(True, grant, tuple(sorted(grant.scope)))
    wanted = frozenset(requested)
    for grant in in_force:
        if wanted <= grant.scope:
            return ReadDecision(True, grant, tuple(sorted(wanted)))
    widest = max(in_force, key=lambda g: len(wanted & g.scope))
    outside = sorted(wanted - widest.scope)
    return ReadDecision(False, widest, (), "finance.outside_scope",
                        f"超出企业授权范围的信息项：{'、'.join(outside)}", f"outside the authorised scope: {', '.join(outside)}")


def term_problems(starts_on: dt.date, ends_on: dt.date, *, today: dt.date, max_days: int) -> list[tuple[str, str, str, str]]:
    """An authorisation's term: starts today or later, ends on or after its start, at most ``max_days`` long
    (a platform setting, rulebook/finance/profile.yaml). Returns (code, zh, en, field) per problem."""
    problems = []
    if starts_on < today:
        problems.append(("finance.term_past", "授权起始日不能早于今天", "the term cannot start in the past", "starts_on"))
    if ends_on < starts_on:
        problems.append(("finance.term_order", "授权截止日不能早于起始日", "the term ends before it starts", "ends_on"))
    elif (ends_on - starts_on).days + 1 > max_days:
        problems.append(("finance.term_too_long", f"授权期限不能超过{max_days}天", f"the term is longer than {max_days} days",
                         "ends_on"))
    return problems


# --- loan products (信贷产品) -----------------------------------------------------------------------------------------

CLASS_ORDER = ("honest", "minor", "general", "serious")  # 诚信守法 > 轻微失信 > 一般失信 > 严重失信
CLASS_LABELS = {"honest": "诚信守法", "minor": "轻微失信", "general": "一般失信", "serious": "严重失信"}
CONDITION_KINDS = ("no_black_list", "min_evaluation_class", "red_lists_any", "continuous_months")


class ProductCondition(_Strict):
    """One condition of a loan product, as data (产品准入条件):

    - ``no_black_list``: no black-list entry in force;
    - ``min_evaluation_class``: the current evaluation class at least ``value`` (honest > minor > general);
    - ``red_lists_any``: one of the lists in ``lists`` in force;
    - ``continuous_months``: the ``months`` months before the current one all present in the monthly class
      ``class_code`` with a status in ``statuses`` (e.g. 12 months of social insurance paid)."""

    kind: str
    value: str | None = None
    lists: tuple[str, ...] = ()
    class_code: str | None = None
    months: int | None = Field(default=None, gt=0, le=120)
    statuses: tuple[str, ...] = ("paid",)


def parse_conditions(data: object, *, monthly_classes: Iterable[str], known_lists: Iterable[str]) -> tuple[ProductCondition, ...]:
    """A product's conditions, checked: known kinds, a class among the monthly classes, known lists. Raises
    ``DomainError`` naming the condition (``conditions[i]``)."""
    if not isinstance(data, list):
        raise DomainError("product.conditions", "conditions 须为数组", "conditions must be a list", "conditions")
    monthly, lists = set(monthly_classes), set(known_lists)
    out = []
    for i, raw in enumerate(data):
        where = f"conditions[{i}]"
        try:
            cond = ProductCondition.model_validate(raw)
        except ValueError as exc:
            raise DomainError("product.condition", f"第{i + 1}项条件格式有误", f"{where}: {exc}".splitlines()[0], where) from None
        if cond.kind not in CONDITION_KINDS:
            raise DomainError("product.condition_kind", f"第{i + 1}项条件类型未知：{cond.kind}（可用：{'、'.join(CONDITION_KINDS)}）",
                              f"{where}: unknown kind {cond.kind!r}", where)
        if cond.kind == "min_evaluation_class" and cond.value not in CLASS_ORDER[:3]:
            raise DomainError("product.condition_class", f"第{i + 1}项条件的评价分类须为 honest、minor 或 general",
                              f"{where}: value must be honest, minor or general", where)
        if cond.kind == "red_lists_any" and (not cond.lists or set(cond.lists) - lists):
            raise DomainError("product.condition_list", f"第{i + 1}项条件引用了未知名单：{'、'.join(sorted(set(cond.lists) - lists)) or '（空）'}",
                              f"{where}: unknown lists", where)
        if cond.kind == "continuous_months" and (cond.class_code not in monthly or cond.months is None):
            raise DomainError("product.condition_unknown_class", f"第{i + 1}项条件引用了未知的按月信息类：{cond.class_code}"
                              f"（可用：{'、'.join(sorted(monthly))}），且须给出月数",
                              f"{where}: unknown monthly class {cond.class_code!r} or months missing", where)
        out.append(cond)
    return tuple(out)


@dataclass(frozen=True)
class LendingFacts:
    black_lists: frozenset[str]
    red_lists: frozenset[str]
    evaluation_class: str | None
    monthly: dict[str, dict[str, str]]  # class code → {YYYY-MM: status}


@dataclass(frozen=True)
class Qualification:
    code: str
    passed: bool
    message_zh: str


def _months_before(today: dt.date, count: int) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year:04d}-{month:02d}")
    return out


def qualify(conditions: Sequence[ProductCondition], facts: LendingFacts, *, today: dt.date,
            names: dict[str, str]) -> list[Qualification]:
    """Whether an enterprise meets each condition of a loan product, with the reason in Chinese (资格说明)."""
    out = []
    for cond in conditions:
        if cond.kind == "no_black_list":
            out.append(Qualification(cond.kind, not facts.black_lists, "未列入失信名单" if not facts.black_lists
                                     else "列入" + "、".join(names.get(c, c) for c in sorted(facts.black_lists))))
        elif cond.kind == "min_evaluation_class":
            have = facts.evaluation_class
            ok = have in CLASS_ORDER and CLASS_ORDER.index(have) <= CLASS_ORDER.index(cond.value)
            out.append(Qualification(cond.kind, ok, f"综合评价须为{CLASS_LABELS[cond.value]}或以上；本企业："
                                     f"{CLASS_LABELS.get(have or '', '尚无评价结果')}"))
        elif cond.kind == "red_lists_any":
            held = [c for c in cond.lists if c in facts.red_lists]
            out.append(Qualification(cond.kind, bool(held), ("已列入" + "、".join(names.get(c, c) for c in held)) if held
                                     else "须列入" + "、".join(names.get(c, c) for c in cond.lists) + "之一"))
        else:
            series = facts.monthly.get(cond.class_code or "", {})
            wanted = _months_before(today, cond.months or 0)
            missing = [m for m in wanted if series.get(m) not in cond.statuses]
            label = names.get(cond.class_code or "", cond.class_code)
            out.append(Qualification(cond.kind, not missing, f"须连续{cond.months}个月{label}正常" + (
                "；已满足" if not missing else f"；不满足的月份：{'、'.join(sorted(missing))}")))
    return out
