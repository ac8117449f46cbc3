"""Government integrity (政务诚信) as pure rules: which debtors the arrears ledger (拖欠账款台账) takes, the ledger's
rulebook, its status moves, deadlines in working days, payments and the flags a complaint raises.

No Django here: the integrity app reads the facts (a complaint's dates and amounts, the state-enterprise register,
the platform's calendar) and passes them in. Source: 《保障中小企业款项支付条例》 (docs/integrity.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pubcredit.rules.calendar import WorkCalendar
from pubcredit.rules.errors import DomainError

# GB 32100-2015 表1: the first character of a USCC is the registration-management department (登记管理部门代码), the
# second the category of organisation (机构类别代码) under that department.
REGISTRATION_DEPARTMENTS = {"1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
                            "7": "宗教", "8": "工会", "9": "工商（市场监督管理）", "A": "中央军委改革和编制办公室",
                            "N": "农业", "Y": "其他"}
CATEGORIES = {"11": "机关", "12": "事业单位", "13": "中央编办直接管理机构编制的群众团体", "19": "其他（机构编制）",
              "51": "社会团体", "52": "民办非企业单位", "53": "基金会", "59": "其他（民政）",
              "91": "企业", "92": "个体工商户", "93": "农民专业合作社"}

DebtorKind = Literal["government_body", "public_institution", "state_enterprise", "fiscal_group"]
DEBTOR_KIND_LABELS: dict[str, str] = {"government_body": "机关", "public_institution": "事业单位",
                                      "state_enterprise": "国有企业", "fiscal_group": "使用财政资金的团体组织"}
# Organisations the 政务诚信 view covers as "government": registered by the 机构编制 department as 机关 or 事业单位.
GOVERNMENT_CATEGORIES: dict[str, str] = {"11": "government_body", "12": "public_institution"}
# 团体组织 (《保障中小企业款项支付条例》第三十六条): the 群众团体 under the 机构编制 department and the organisations the
# 民政 department registers (社会团体, 民办非企业单位, 基金会, 其他). Whether one uses fiscal funds is no part of its code:
# the register says so, as it does for state-owned enterprises.
GROUP_CATEGORIES = frozenset({"13", "51", "52", "53", "59"})


@dataclass(frozen=True)
class DebtorClass:
    """What a USCC (and the state-enterprise register) says about a debtor."""

    kind: str | None  # a DebtorKind, or None when the ledger does not take complaints against it
    category_zh: str  # what the code's first two characters say, in words

    @property
    def in_scope(self) -> bool:
        return self.kind is not None

    @property
    def kind_zh(self) -> str:
        return DEBTOR_KIND_LABELS.get(self.kind or "", "其他单位")


def uscc_category(uscc: str) -> str:
    """The registration department and category of a USCC in words, e.g. ``机构编制 · 机关``."""
    department = REGISTRATION_DEPARTMENTS.get(uscc[:1], "未知登记管理部门")
    return f"{department} · {CATEGORIES.get(uscc[:2], '其他类别')}"


def classify_debtor(uscc: str, *, state_owned: bool, fiscal_funded: bool = False) -> DebtorClass:
    """GB 32100 表1 and the register: 机关 (11), 事业单位 (12), 国有企业 (a 91 enterprise on the register), 使用财政资金的
    团体组织 (a 13 or 5x organisation on the register as fiscally funded).

    《保障中小企业款项支付条例》第二条 covers 机关、事业单位 and large enterprises; the 政府和国企清欠 ledger takes the
    first two and the state-owned ones (the register is the state-owned flag; the code alone cannot tell). 第三十六条:
    团体组织 using fiscal funds in part or in whole 参照 the provisions on 机关、事业单位, so they are taken too.
    """
    kind = GOVERNMENT_CATEGORIES.get(uscc[:2])
    if kind is None and state_owned and uscc[:2] == "91":
        kind = "state_enterprise"
    if kind is None and fiscal_funded and uscc[:2] in GROUP_CATEGORIES:
        kind = "fiscal_group"
    return DebtorClass(kind, uscc_category(uscc))


def is_government(uscc: str) -> bool:
    """A 机关 or 事业单位 by its code (GB 32100 表1): the bodies the 政务诚信 view is about besides state enterprises."""
    return uscc[:2] in GOVERNMENT_CATEGORIES


# --- the rulebook ---------------------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Deadline(_Strict):
    days: int = Field(ge=0)
    unit: Literal["working_days", "calendar_days"]
    basis_zh: str

    @property
    def text_zh(self) -> str:
        return f"{self.days}个工作日" if self.unit == "working_days" else f"{self.days}日"


class EvidenceType(_Strict):
    name_zh: str
    suffixes: list[str] = Field(min_length=1)
    magic: list[str] = Field(min_length=1)  # leading bytes (latin-1 in YAML escapes)

    def matches(self, filename: str, head: bytes) -> bool:
        return filename.lower().endswith(tuple(self.suffixes)) and any(
            head.startswith(m.encode("latin-1")) for m in self.magic)


class EvidenceRules(_Strict):
    max_files: int = Field(gt=0)
    types: dict[str, EvidenceType] = Field(min_length=1)


class Deadlines(_Strict):
    assign: Deadline
    verify: Deadline
    verify_extended_max: Deadline  # the longest handling period with the department head's approval (第二十五条第二款)
    plan: Deadline
    plan_grace: Deadline


class ArrearsRulebook(_Strict):
    version: str
    deadlines: Deadlines
    evidence: EvidenceRules
    route_other_debtor_zh: str
    route_other_debtor_en: str


def parse_rulebook(data: Any) -> ArrearsRulebook:
    """Validate ``rulebook/integrity/arrears.yaml``; unknown keys are refused (ValueError)."""
    return ArrearsRulebook.model_validate(data)


# --- status moves ---------------------------------------------------------------------------------------------

STATUS_LABELS = {"filed": "已受理待转交", "assigned": "已转交待核实", "verified": "已核实待约定计划",
                 "planned": "按计划清偿中", "cleared": "已清偿", "rejected": "核实不属实"}
OPEN_STATUSES = frozenset({"filed", "assigned", "verified", "planned"})
# (status, event) → new status. A payment may come before a plan is agreed (the debtor pays at once).
TRANSITIONS: dict[tuple[str, str], str] = {
    ("filed", "assign"): "assigned",
    ("assigned", "verify"): "verified",
    ("assigned", "extend"): "assigned",
    ("assigned", "reject"): "rejected",
    ("verified", "plan"): "planned",
    ("verified", "pay"): "verified",
    ("planned", "pay"): "planned",
    ("verified", "clear"): "cleared",
    ("planned", "clear"): "cleared",
}
EVENT_LABELS = {"assign": "转交处理部门", "extend": "延长处理期限", "verify": "核实欠款", "reject": "认定不属实", "plan": "约定还款计划",
                "pay": "登记还款", "clear": "清偿完毕"}


def next_status(current: str, event: str) -> str:
    """The status after ``event``, or a DomainError naming what the complaint's state allows."""
    new = TRANSITIONS.get((current, event))
    if new is None:
        raise DomainError("arrears.state",
                          f"投诉当前状态为「{STATUS_LABELS.get(current, current)}」，不能{EVENT_LABELS.get(event, event)}",
                          f"a complaint in state {current!r} does not allow {event!r}", "status")
    return new


# --- deadlines ------------------------------------------------------------------------------------------------

def due_date(start: dt.date, deadline: Deadline, calendar: WorkCalendar) -> dt.date:
    """The last day of a deadline counted from ``start`` (the day itself not counted).

    Working days go through the platform's calendar (holidays and make-up days); a deadline in calendar days that
    ends on a rest day moves to the next working day (《民法典》第二百零三条, as the repair rules do).
    """
    if deadline.unit == "working_days":
        return calendar.add_working_days(start, deadline.days).value if deadline.days else start
    due = start + dt.timedelta(days=deadline.days)
    while not calendar.is_working_day(due):
        due += dt.timedelta(days=1)
    return due


def plan_due(plan_last_day: dt.date, book: ArrearsRulebook, calendar: WorkCalendar) -> dt.date:
    """The day by which a plan must be paid off: its last day, moved off a rest day, plus the grace."""
    due = plan_last_day
    while not calendar.is_working_day(due):
        due += dt.timedelta(days=1)
    return due_date(due, book.deadlines.plan_grace, calendar)


# --- payments -------------------------------------------------------------------------------------------------

CENT = Decimal("0.01")


def check_amount(amount: Any, *, field_name: str = "amount") -> Decimal:
    """A positive amount in yuan with at most two decimals."""
    try:
        value = Decimal(str(amount)).normalize() if amount not in (None, "") else None
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite():
        raise DomainError("amount.invalid", "金额应为数字（单位：元）", "amount must be a number (yuan)", field_name)
    if value <= 0:
        raise DomainError("amount.not_positive", "金额应大于0", "amount must be positive", field_name)
    if value >= Decimal("1e14"):  # before quantize: a huge exponent would overflow it
        raise DomainError("amount.too_large", "金额过大", "amount too large", field_name)
    if value != value.quantize(CENT):
        raise DomainError("amount.precision", "金额最多保留两位小数（分）", "at most two decimals", field_name)
    return value.quantize(CENT)


def check_payment(amount: Decimal, outstanding: Decimal) -> None:
    """A payment may not exceed what is still owed (the verified amount less payments already recorded)."""
    if amount > outstanding:
        raise DomainError("arrears.overpayment",
                          f"还款金额{amount}元超过尚欠金额{outstanding}元：请核对，多付部分不在本台账登记",
                          f"payment {amount} exceeds the outstanding {outstanding}", "amount")


# --- flags ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArrearsFacts:
    status: str
    filed_on: dt.date
    assigned_on: dt.date | None = None
    verified_on: dt.date | None = None
    plan_last_day: dt.date | None = None
    outstanding: Decimal = Decimal(0)
    verify_extended_to: dt.date | None = None  # the approved longer handling period (第二十五条第二款)


@dataclass(frozen=True)
class Flag:
    code: str
    label_zh: str
    due: dt.date


def verify_due(facts: ArrearsFacts, *, book: ArrearsRulebook, calendar: WorkCalendar) -> dt.date:
    """The day the handling department's result is due: 30 days from receipt, or the later day its head approved
    (《保障中小企业款项支付条例》第二十五条第二款), moved off a rest day."""
    if facts.verify_extended_to is not None:
        due = facts.verify_extended_to
        while not calendar.is_working_day(due):
            due += dt.timedelta(days=1)
        return due
    return due_date(facts.assigned_on, book.deadlines.verify, calendar)


def check_verify_extension(facts: ArrearsFacts, new_due: dt.date | None, *, book: ArrearsRulebook,
                           calendar: WorkCalendar) -> dt.date:
    """《保障中小企业款项支付条例》第二十五条第二款: an extension of the handling period moves its due day later, and
    never past 90 days from receiving the complaint (the last allowed day moved off a rest day)."""
    if new_due is None:
        raise DomainError("extended_to.required", "请填写延长后的处理期限", "extended_to is required", "extended_to")
    current = verify_due(facts, book=book, calendar=calendar)
    longest = due_date(facts.assigned_on, book.deadlines.verify_extended_max, calendar)
    if new_due <= current:
        raise DomainError("arrears.extension_not_later", f"延长后的期限应晚于现行期限{current.isoformat()}",
                          "the extended due day must be later than the current one", "extended_to")
    if new_due > longest:
        raise DomainError("arrears.extension_too_long",
                          f"处理期限最长不得超过收到投诉材料之日起90日（至{longest.isoformat()}）",
                          "the handling period is at most 90 days from receipt (Art. 25 para. 2)", "extended_to")
    return new_due


def arrears_flags(facts: ArrearsFacts, *, today: dt.date, book: ArrearsRulebook, calendar: WorkCalendar) -> list[Flag]:
    """Deadlines passed for the step a complaint waits on; ``past_plan`` (逾期未清偿) once a plan's day has passed
    with money still owed — the flag the 政务诚信 view shows for a government debtor."""
    flags: list[Flag] = []
    d = book.deadlines
    if facts.status == "filed":
        due = due_date(facts.filed_on, d.assign, calendar)
        if today > due:
            flags.append(Flag("assign_overdue", "逾期未转交", due))
    elif facts.status == "assigned" and facts.assigned_on:
        due = verify_due(facts, book=book, calendar=calendar)
        if today > due:
            flags.append(Flag("verify_overdue", "逾期未核实", due))
    elif facts.status == "verified" and facts.verified_on:
        due = due_date(facts.verified_on, d.plan, calendar)
        if today > due:
            flags.append(Flag("plan_overdue", "逾期未约定还款计划", due))
    elif facts.status == "planned" and facts.plan_last_day and facts.outstanding > 0:
        due = plan_due(facts.plan_last_day, book, calendar)
        if today > due:
            flags.append(Flag("past_plan", "逾期未清偿", due))
    return flags


def next_due(facts: ArrearsFacts, *, book: ArrearsRulebook, calendar: WorkCalendar) -> dt.date | None:
    """The day the step a complaint waits on is due, for the ledger's 办理时限 column."""
    d = book.deadlines
    if facts.status == "filed":
        return due_date(facts.filed_on, d.assign, calendar)
    if facts.status == "assigned" and facts.assigned_on:
        return verify_due(facts, book=book, calendar=calendar)
    if facts.status == "verified" and facts.verified_on:
        return due_date(facts.verified_on, d.plan, calendar)
    if facts.status == "planned" and facts.plan_last_day:
        return plan_due(facts.plan_last_day, book, calendar)
    return None


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, None when nothing is owed."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"))


# --- integrity files of civil servants and judicial and law-enforcement staff (诚信档案) -------------------------

STAFF_KINDS = {"civil_servant": "公务员", "judicial": "司法人员", "law_enforcement": "行政执法人员"}


class FileEntryKind(_Strict):
    name_zh: str
    matters: bool  # may bar or delay an appointment while in effect
    months: int | None = Field(default=None, gt=0)  # how long it matters from its decision; None: until removed


class FilesRulebook(_Strict):
    version: str
    kinds: dict[str, FileEntryKind] = Field(min_length=1)
    commitment_required: bool


def parse_files_rulebook(data: Any) -> FilesRulebook:
    book = FilesRulebook.model_validate(data)
    if "commitment" not in book.kinds:
        raise ValueError("kinds: the integrity commitment (commitment) is required")
    return book


@dataclass(frozen=True)
class FileEntryFacts:
    kind: str
    decided_on: dt.date
    removed_on: dt.date | None = None


@dataclass(frozen=True)
class AppointmentReason:
    code: str
    effect: Literal["bar", "caution"]
    message_zh: str
    until: dt.date | None = None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def appointment_check(entries: list[FileEntryFacts], *, today: dt.date, book: FilesRulebook) -> list[AppointmentReason]:
    """Which records of an integrity file matter for an appointment today (任用审查), each with its reason; records
    that do not matter (commendations, expired sanctions) are left out, so the answer exposes nothing else.

    A sanction matters from its decision for its kind's months (rulebook ``files.yaml``, UNVERIFIED periods of
    政务处分法); a dishonesty record without a period matters until removed; no integrity commitment is a caution."""
    reasons: list[AppointmentReason] = []
    for entry in entries:
        kind = book.kinds.get(entry.kind)
        if kind is None or not kind.matters or (entry.removed_on and entry.removed_on <= today):
            continue
        until = _add_months(entry.decided_on, kind.months) if kind.months else None
        if until is not None and today >= until:
            continue
        suffix = f"，影响期至{until.isoformat()}" if until else "，尚未移出"
        reasons.append(AppointmentReason(entry.kind, "bar", f"{kind.name_zh}（{entry.decided_on.isoformat()}）{suffix}",
                                         until))
    if book.commitment_required and not any(e.kind == "commitment" and not e.removed_on for e in entries):
        reasons.append(AppointmentReason("commitment_missing", "caution", "档案中没有任职诚信承诺，任用前应签署"))
    return reasons


# --- government dishonesty cases (政府失信认定) -------------------------------------------------------------------

class CaseGround(_Strict):
    """A ground on which a government body is identified as dishonest, and the source record it rests on."""

    name_zh: str
    source: Literal["arrears", "court_entry", "record"]
    record_class: str | None = None  # the catalogue class, for ``source: record``
    basis_zh: str


class CaseDeadlines(_Strict):
    rectify: Deadline  # from identification, unless the identifying unit sets its own 限期
    remove_after_rectified: Deadline
    remove_after_source_gone: Deadline


class CasesRulebook(_Strict):
    version: str
    grounds: dict[str, CaseGround] = Field(min_length=1)
    deadlines: CaseDeadlines
    responsibilities: dict[str, str] = Field(min_length=1)  # 负有责任的领导人员, 直接责任人员 …
    measures: dict[str, str] = Field(min_length=1)  # 约谈, 通报, 政务处分 …
    restrictions_zh: str  # what a serious case brings (条例第二十六条)
    publication_basis_zh: str


def parse_cases_rulebook(data: Any) -> CasesRulebook:
    book = CasesRulebook.model_validate(data)
    for code, ground in book.grounds.items():
        if (ground.source == "record") != bool(ground.record_class):
            raise ValueError(f"grounds.{code}: record_class goes with source: record, and only there")
    return book


CASE_STATUS_LABELS = {"open": "已认定待整改", "rectified": "已整改待移出", "removed": "已移出"}
CASE_EVENT_LABELS = {"rectify": "登记整改完成", "remove": "移出"}
# (status, event) → new status; a case is removed after its rectification, or at once when its ground is gone
# (the court deleted the entry, the debt was paid, the record fulfilled) or it was identified wrongly.
CASE_TRANSITIONS: dict[tuple[str, str], str] = {
    ("open", "rectify"): "rectified",
    ("open", "remove"): "removed",
    ("rectified", "remove"): "removed",
}
REMOVAL_REASONS = {"rectified": "整改完成移出", "source_gone": "认定依据已消除（删除、清偿或履行）",
                   "wrongful": "认定有误撤销"}


def case_next_status(current: str, event: str, *, removal_reason: str = "", source_live: bool = True) -> str:
    """The case's status after ``event``; removal needs a reason that fits: after rectification, once the ground is
    gone, or as a wrongful identification (with a note, checked by the service)."""
    new = CASE_TRANSITIONS.get((current, event))
    if new is None:
        raise DomainError("gov_case.state",
                          f"案件当前状态为「{CASE_STATUS_LABELS.get(current, current)}」，不能{CASE_EVENT_LABELS.get(event, event)}",
                          f"a case in state {current!r} does not allow {event!r}", "status")
    if event == "remove":
        if removal_reason not in REMOVAL_REASONS:
            raise DomainError("gov_case.removal_reason", "请选择移出事由", "a removal reason is required",
                              "removal_reason")
        if removal_reason == "rectified" and current != "rectified":
            raise DomainError("gov_case.not_rectified", "尚未登记整改完成，不能以整改完成移出",
                              "not rectified yet", "removal_reason")
        if removal_reason == "source_gone" and source_live:
            raise DomainError("gov_case.source_live", "认定依据仍然存在（名单在列、欠款未清或承诺未履行），不能以此移出",
                              "the ground still stands", "removal_reason")
    return new


@dataclass(frozen=True)
class CaseFacts:
    status: str
    identified_on: dt.date
    rectify_due: dt.date
    rectified_on: dt.date | None = None
    source_gone_on: dt.date | None = None  # the day the ground went (court deletion, clearance, fulfilment)


def case_flags(facts: CaseFacts, *, today: dt.date, book: CasesRulebook, calendar: WorkCalendar) -> list[Flag]:
    """逾期未整改 past the rectification limit; 逾期未移出 when a rectified case, or one whose ground is gone, is still
    not removed after its limit (若干规定第十条: a court's deletion within 3 working days — the platform follows
    within the same limit)."""
    if facts.status == "removed":
        return []
    flags: list[Flag] = []
    d = book.deadlines
    if facts.status == "open" and today > facts.rectify_due and facts.source_gone_on is None:
        flags.append(Flag("rectify_overdue", "逾期未整改", facts.rectify_due))
    if facts.source_gone_on is not None:
        due = due_date(facts.source_gone_on, d.remove_after_source_gone, calendar)
        if today > due:
            flags.append(Flag("remove_overdue", "依据已消除逾期未移出", due))
    elif facts.status == "rectified" and facts.rectified_on is not None:
        due = due_date(facts.rectified_on, d.remove_after_rectified, calendar)
        if today > due:
            flags.append(Flag("remove_overdue", "整改完成逾期未移出", due))
    return flags


def case_public(*, status: str, serious: bool, source_live: bool) -> bool:
    """What the public site shows (《保障中小企业款项支付条例》第二十六条: serious cases, 情节严重或者造成严重不良社会
    影响的, are made public): a serious case not removed whose ground still stands; never the persons held to account."""
    return serious and status != "removed" and source_live


# --- campaign calendar (诚信宣传节点) ------------------------------------------------------------------------------

class Campaign(_Strict):
    """A dated campaign the policy names (诚信兴商宣传月, 信用记录关爱日): the same days every year, as ``MM-DD``."""

    name_zh: str
    first: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    last: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    summary_zh: str
    source_zh: str
    verified: bool  # whether the source text is among the stored regulations


class CampaignsRulebook(_Strict):
    version: str
    show_before_days: int = Field(ge=0, le=90)
    show_after_days: int = Field(ge=0, le=90)
    campaigns: dict[str, Campaign] = Field(min_length=1)


def parse_campaigns_rulebook(data: Any) -> CampaignsRulebook:
    book = CampaignsRulebook.model_validate(data)
    for code, c in book.campaigns.items():
        dt.date(2024, *map(int, c.first.split("-")))  # a leap year: 02-29 is a day
        dt.date(2024, *map(int, c.last.split("-")))
        if c.last < c.first:
            raise ValueError(f"campaigns.{code}: last before first (a campaign does not run over the new year)")
    return book


@dataclass(frozen=True)
class CampaignDates:
    code: str
    campaign: Campaign
    first: dt.date
    last: dt.date
    state: Literal["upcoming", "running", "ended", "later"]

    @property
    def dates_zh(self) -> str:
        first, last = self.first, self.last
        if first == last:
            return f"{first.year}年{first.month}月{first.day}日"
        return f"{first.year}年{first.month}月{first.day}日至{last.month}月{last.day}日"

    @property
    def state_zh(self) -> str:
        return {"upcoming": "即将开始", "running": "正在进行", "ended": "刚刚结束", "later": "下一次"}[self.state]


def _on(year: int, month_day: str) -> dt.date:
    month, day = map(int, month_day.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:  # 02-29 in a common year: the 28th
        return dt.date(year, month, day - 1)


def campaign_calendar(book: CampaignsRulebook, *, today: dt.date) -> list[CampaignDates]:
    """Each campaign's dates as the site shows them today (zibo-policy-2021 item 15): this year's while it runs or
    ended less than ``show_after_days`` ago, otherwise the next one; ``state`` says whether the site features it
    (upcoming within ``show_before_days``, running, just ended) or only lists it (later). Soonest first."""
    rows = []
    for code, c in book.campaigns.items():
        first, last = _on(today.year, c.first), _on(today.year, c.last)
        if today > last + dt.timedelta(days=book.show_after_days):
            first, last = _on(today.year + 1, c.first), _on(today.year + 1, c.last)
        if first <= today <= last:
            state = "running"
        elif today > last:
            state = "ended"
        elif first - today <= dt.timedelta(days=book.show_before_days):
            state = "upcoming"
        else:
            state = "later"
        rows.append(CampaignDates(code, c, first, last, state))
    return sorted(rows, key=lambda r: (r.state == "later", r.first))
