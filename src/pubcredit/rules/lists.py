"""Red and black lists (红黑名单): terms, removal, the lifecycle of an entry and the identification workflow.

Pure rules over plain values; the Django side (``pubcredit.lists``) stores entries and calls these. The list
rulebook (``rulebook/lists/*.yaml``, one file per list class) is parsed here into frozen models:

- **Term** (期限): the first matching ``term.rules`` item gives the duration, counted from the entry's effective
  date (or decision date); ``years: null`` is no fixed term (失信被执行人 on ground 1 ends on performance, 法释
  〔2017〕7号 第二条、第十条). A department's own ``planned_end_date`` wins over the rulebook (e.g. a court that
  extended the term by 1–3 years). ``planned_end`` is the last day in force, inclusive.
- **Lifecycle** (状态): ``in_force`` → ``removed`` with a reason: expired (期满), repaired (信用修复), revoked (撤销),
  court_deleted (法院删除). :data:`ENTRY_TRANSITIONS` is the whole state machine.
- **Identification workflow** (认定程序, 国办发〔2020〕49号 §(六)): legal-basis check, prior notification with the
  subject's right to state a defence (陈述申辩) within a deadline in working days, decision stating removal
  conditions and remedies, push to the platform. :data:`CASE_TRANSITIONS` is its state machine.
- **Push deadline** (推送时限): lists reach the city platform within 7 working days of their identification
  (淄政办字〔2021〕31号 第八项).
- **Publicity** (名单公示): :func:`entry_publicity` decides whether the public site shows an entry and over which
  window: from the later of its effective date and its receipt by the platform until its last day in force, ending
  at once (the day before ``removed_on``) when it is removed. Which lists are published, which of their fields are
  shown and how natural persons are treated is each list file's ``publicity`` block, with its sources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pubcredit.rules.calendar import Deadline, HolidayEnvelope, WorkCalendar, deadline
from pubcredit.rules.errors import Problem

__all__ = [
    "ListKind", "EntryStatus", "RemovalReason", "EntryEvent", "CaseState", "CaseEvent", "ENTRY_TRANSITIONS",
    "CASE_TRANSITIONS", "REMOVAL_EVENTS", "BasisItem", "TermRule", "Term", "Procedure", "ListSpec", "ListRulebook",
    "ListRulebookError", "TransitionError", "parse_rulebook", "add_years", "TermOutcome", "planned_end",
    "is_expired", "expiry_day", "entry_transition", "case_transition", "BasisCheck", "basis_check",
    "defence_deadline", "defence_deadline_bound", "push_is_late", "in_force_on", "IN_FORCE_BOUNDS", "DayBound", "ListPublicity",
    "EntryPublicity", "entry_publicity",
    "DerivedEntry", "derive_entry", "parse_day",
]


class ListKind(StrEnum):
    BLACK = "black"  # 黑名单 (失信)
    RED = "red"  # 红名单 (守信)


class EntryStatus(StrEnum):
    IN_FORCE = "in_force"  # 在列
    REMOVED = "removed"  # 已移出


class RemovalReason(StrEnum):
    EXPIRED = "expired"  # 期满移出
    REPAIRED = "repaired"  # 信用修复移出 (提前移出 / 提前停止公布)
    REVOKED = "revoked"  # 撤销 (纠错, 决定被撤销, 荣誉被撤销)
    COURT_DELETED = "court_deleted"  # 法院删除 (履行完毕等, 法释〔2017〕7号 第十条)


class EntryEvent(StrEnum):
    EXPIRE = "expire"
    REPAIR = "repair"
    REVOKE = "revoke"
    COURT_DELETE = "court_delete"


REMOVAL_EVENTS: dict[RemovalReason, EntryEvent] = {
    RemovalReason.EXPIRED: EntryEvent.EXPIRE,
    RemovalReason.REPAIRED: EntryEvent.REPAIR,
    RemovalReason.REVOKED: EntryEvent.REVOKE,
    RemovalReason.COURT_DELETED: EntryEvent.COURT_DELETE,
}

# (status, event) → (new status, removal reason). Anything else is refused: a removed entry stays removed (a new
# listing is a new decision, hence a new record and a new entry).
ENTRY_TRANSITIONS: dict[tuple[EntryStatus, EntryEvent], tuple[EntryStatus, RemovalReason]] = {
    (EntryStatus.IN_FORCE, EntryEvent.EXPIRE): (EntryStatus.REMOVED, RemovalReason.EXPIRED),
    (EntryStatus.IN_FORCE, EntryEvent.REPAIR): (EntryStatus.REMOVED, RemovalReason.REPAIRED),
    (EntryStatus.IN_FORCE, EntryEvent.REVOKE): (EntryStatus.REMOVED, RemovalReason.REVOKED),
    (EntryStatus.IN_FORCE, EntryEvent.COURT_DELETE): (EntryStatus.REMOVED, RemovalReason.COURT_DELETED),
}


class CaseState(StrEnum):
    DRAFT = "draft"  # 立案
    BASIS_CHECKED = "basis_checked"  # 依据审查通过
    NOTIFIED = "notified"  # 已告知（陈述申辩期）
    DECIDED = "decided"  # 已作出认定决定
    PUSHED = "pushed"  # 已推送平台
    DROPPED = "dropped"  # 不予认定 / 终止


class CaseEvent(StrEnum):
    CHECK_BASIS = "check_basis"
    NOTIFY = "notify"
    RECORD_DEFENCE = "record_defence"
    DECIDE = "decide"
    PUSH = "push"
    DROP = "drop"


CASE_TRANSITIONS: dict[tuple[CaseState, CaseEvent], CaseState] = {
    (CaseState.DRAFT, CaseEvent.CHECK_BASIS): CaseState.BASIS_CHECKED,
    (CaseState.BASIS_CHECKED, CaseEvent.NOTIFY): CaseState.NOTIFIED,
    (CaseState.NOTIFIED, CaseEvent.RECORD_DEFENCE): CaseState.NOTIFIED,
    (CaseState.NOTIFIED, CaseEvent.DECIDE): CaseState.DECIDED,
    (CaseState.BASIS_CHECKED, CaseEvent.DECIDE): CaseState.DECIDED,  # only lists without prior notice (red lists)
    (CaseState.DECIDED, CaseEvent.PUSH): CaseState.PUSHED,
    (CaseState.DRAFT, CaseEvent.DROP): CaseState.DROPPED,
    (CaseState.BASIS_CHECKED, CaseEvent.DROP): CaseState.DROPPED,
    (CaseState.NOTIFIED, CaseEvent.DROP): CaseState.DROPPED,
}


class ListRulebookError(ValueError):
    """A list rulebook file that cannot be used as it is."""


class TransitionError(ValueError):
    """An event that the state machine does not allow in the current state."""

    def __init__(self, state: str, event: str, problem: Problem):
        super().__init__(problem.message_en)
        self.state, self.event, self.problem = state, event, problem


# --- the rulebook ---------------------------------------------------------------------------------------------

BasisLevel = Literal["law", "administrative_regulation", "local_regulation", "central_document",
                     "judicial_interpretation", "department_rule", "normative_document"]

# 国办发〔2020〕49号 §(四): national lists rest on law, administrative regulation or central documents (department
# rules as an interim basis); a list applied only locally needs a local regulation (地方性法规).
NATIONAL_LEVELS = frozenset({"law", "administrative_regulation", "central_document", "judicial_interpretation"})
INTERIM_LEVELS = frozenset({"department_rule"})
LOCAL_LEVELS = NATIONAL_LEVELS | {"local_regulation"}
LEVEL_LABELS = {"law": "法律", "administrative_regulation": "行政法规", "local_regulation": "地方性法规",
                "central_document": "党中央、国务院政策文件", "judicial_interpretation": "司法解释",
                "department_rule": "部门规章", "normative_document": "规范性文件"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BasisItem(_Strict):
    """One legal basis: the instrument, the article(s) and the instrument's level (效力层级)."""

    instrument: str = Field(min_length=2)
    article: str = ""
    level: BasisLevel

    def text(self) -> str:
        return f"{self.instrument}{self.article}"


class Condition(_Strict):
    """Holds when the record's ``field`` (a code or a list of codes) contains any of ``any_of``."""

    field: str
    any_of: tuple[str, ...] = Field(min_length=1)

    def holds(self, fields: Mapping[str, Any]) -> bool:
        value = fields.get(self.field)
        values = value if isinstance(value, list | tuple) else [value]
        return any(v in self.any_of for v in values if v is not None)


class TermRule(_Strict):
    """A duration (years/months; ``years: null`` and no months = no fixed term) and why."""

    when: Condition | None = None
    years: int | None = Field(default=None, ge=0, le=50)
    months: int = Field(default=0, ge=0, le=600)
    basis: str = Field(min_length=2)

    @property
    def fixed(self) -> bool:
        return self.years is not None or self.months > 0


class Term(_Strict):
    counted_from: Literal["effective_date", "decision_date"] = "effective_date"
    rules: tuple[TermRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _last_rule_is_the_default(self) -> Term:
        if self.rules[-1].when is not None:
            raise ValueError("the last term rule must have no condition (it is the default)")
        return self


class Procedure(_Strict):
    """How a list decided in the city is identified (认定程序)."""

    prior_notice: bool  # 告知 + 陈述申辩 before deciding (every black list)
    defence_working_days: int = Field(default=0, ge=0, le=60)
    removal_conditions_zh: str = Field(min_length=2)  # 移出条件和程序 (stated in the decision)
    remedies_zh: str = Field(min_length=2)  # 救济途径
    basis: str = Field(min_length=2)

    @model_validator(mode="after")
    def _notice_has_a_deadline(self) -> Procedure:
        if self.prior_notice and self.defence_working_days < 1:
            raise ValueError("prior_notice needs defence_working_days ≥ 1")
        return self


class ListPublicity(_Strict):
    """Whether and how the public site shows a list's entries (名单公示), with the sources that say so.

    ``fields`` are record fields shown beside what every entry shows (list name, decision number, identifying unit,
    since/until, legal basis); sensitive fields (identity numbers) are never shown whatever this says, and a natural
    person's identity number appears only masked. ``natural_persons``: ``published`` only where a law or a
    judicial interpretation publishes persons on this list (e.g. 法释〔2017〕7号 第六条、第七条); otherwise
    ``withheld`` (Order 36 art. 12 and the platform's policy: persons' negative items are not published).
    """

    published: bool
    basis: str = Field(min_length=2)  # why the list is (or is not) public
    fields: tuple[str, ...] = ()
    natural_persons: Literal["published", "withheld"] = "withheld"
    natural_persons_basis: str = Field(min_length=2)
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _persons_need_the_list(self) -> ListPublicity:
        if self.natural_persons == "published" and not self.published:
            raise ValueError("natural_persons: published needs published: true")
        if len(set(self.fields)) != len(self.fields):
            raise ValueError("publicity.fields has duplicates")
        return self

    @property
    def persons_published(self) -> bool:
        return self.published and self.natural_persons == "published"


class ListSpec(_Strict):
    """One version of a list's rules (名单管理规则): kind, term, removal, procedure, legal basis."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    kind: ListKind
    severity: Literal["serious", "minor", "none"]  # 严重失信 / 轻微 (状态类) / 红名单
    scope: Literal["national", "local"] = "national"
    identified_by_zh: str  # 认定单位
    identified_in_city: bool  # the city's units decide it: the identification workflow applies
    push_deadline_working_days: int = Field(gt=0, le=60)
    removal_sync_working_days: int = Field(default=3, gt=0, le=60)  # 移出后停止公示、解除措施
    term: Term
    early_removal_after_months: int | None = Field(default=None, ge=0)
    removal_reasons: tuple[RemovalReason, ...] = Field(min_length=1)
    default_removal_reason: RemovalReason
    procedure: Procedure | None = None
    legal_basis: tuple[BasisItem, ...] = Field(min_length=1)
    publicity: ListPublicity | None = None  # None: not published ("公示规则尚未配置")
    sources: tuple[str, ...] = ()
    version: str = Field(min_length=1)
    effective_from: dt.date
    effective_to: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ListSpec:
        problems = []
        if self.default_removal_reason not in self.removal_reasons:
            problems.append("default_removal_reason must be one of removal_reasons")
        if self.identified_in_city and self.procedure is None:
            problems.append("identified_in_city needs a procedure")
        if self.kind == ListKind.RED and self.severity != "none":
            problems.append("a red list has severity none")
        if self.kind == ListKind.BLACK and self.severity == "none":
            problems.append("a black list is serious or minor")
        if self.kind == ListKind.BLACK and self.procedure is not None and not self.procedure.prior_notice:
            problems.append("a black list decided in the city needs prior notice (国办发〔2020〕49号)")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            problems.append("effective_to is before effective_from")
        if problems:
            raise ValueError(f"list {self.code} {self.version}: " + "; ".join(problems))
        return self

    @property
    def rule_version(self) -> str:
        """``court_dishonest_debtor@2026.1``: recorded with every entry and decision that used this version."""
        return f"list:{self.code}@{self.version}"

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class ListRulebook:
    """Every list's versions (oldest first) and a version string naming the files' content."""

    versions: dict[str, tuple[ListSpec, ...]]
    version: str

    def codes(self) -> list[str]:
        return sorted(self.versions)

    def get(self, code: str, on: dt.date) -> ListSpec | None:
        """The version of ``code`` in force on ``on``; before the first version, the first (a backfill of history)."""
        versions = self.versions.get(code)
        if not versions:
            return None
        in_force = [v for v in versions if v.effective_from <= on]
        return in_force[-1] if in_force else versions[0]

    def is_list(self, code: str) -> bool:
        return code in self.versions


def parse_rulebook(files: Mapping[str, Any]) -> ListRulebook:
    """Parse ``{file name: YAML data}``; unknown keys, duplicates and overlapping versions are refused."""
    by_code: dict[str, list[ListSpec]] = {}
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(name.encode() + b"\0" + json.dumps(data, sort_keys=True, default=str).encode() + b"\0")
        items = data.get("versions") if isinstance(data, dict) and "versions" in data else [data]
        if not isinstance(items, list):
            raise ListRulebookError(f"{name}: versions must be a list")
        for item in items:
            try:
                spec = ListSpec.model_validate(item)
            except ValidationError as exc:
                problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
                raise ListRulebookError(f"{name}: {problems}") from exc
            by_code.setdefault(spec.code, []).append(spec)
    versions = {}
    for code, specs in by_code.items():
        specs.sort(key=lambda s: s.effective_from)
        for earlier, later in zip(specs, specs[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ListRulebookError(f"list {code}: version {earlier.version} overlaps {later.version}")
        versions[code] = tuple(specs)
    label = ",".join(f"{c}@{v.version}" for c in sorted(versions) for v in versions[c])
    return ListRulebook(versions, f"lists:{label}#{digest.hexdigest()[:12]}")


# --- terms ----------------------------------------------------------------------------------------------------


def add_years(day: dt.date, years: int, months: int = 0) -> dt.date:
    """``day`` plus whole years and months; 29 February and month ends fall back to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + years + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class TermOutcome:
    """When an entry's term ends (``planned_end``, inclusive; None = no fixed term), where that came from and why."""

    planned_end: dt.date | None
    source: Literal["given", "rulebook", "none"]
    reason_zh: str
    reason_en: str
    rule_version: str


def planned_end(spec: ListSpec, fields: Mapping[str, Any], *, decided: dt.date, effective: dt.date,
                given: dt.date | None) -> TermOutcome:
    """The last day an entry is in force: the department's date when given, else the rulebook's term.

    A term of N years from D ends on the day before D + N years (two years from 2026-03-02 end on 2028-03-01).
    """
    if given is not None:
        return TermOutcome(given, "given", f"认定单位确定的期限至{given.isoformat()}",
                           f"term given by the identifying unit: until {given.isoformat()}", spec.rule_version)
    rule = next(r for r in spec.term.rules if r.when is None or r.when.holds(fields))
    if not rule.fixed:
        return TermOutcome(None, "none", f"无固定期限，至移出为止（{rule.basis}）",
                           f"no fixed term: in force until removed ({rule.basis})", spec.rule_version)
    start = effective if spec.term.counted_from == "effective_date" else decided
    end = add_years(start, rule.years or 0, rule.months) - dt.timedelta(days=1)
    span = (f"{rule.years}年" if rule.years else "") + (f"{rule.months}个月" if rule.months else "")
    span_en = (f"{rule.years} years" if rule.years else "") + (f" {rule.months} months" if rule.months else "")
    counted = "生效" if spec.term.counted_from == "effective_date" else "认定"
    return TermOutcome(end, "rulebook", f"自{counted}之日起{span}（{rule.basis}），至{end.isoformat()}",
                       f"{span_en.strip()} from the {spec.term.counted_from.replace('_', ' ')} ({rule.basis}): "
                       f"until {end.isoformat()}", spec.rule_version)


def is_expired(planned: dt.date | None, today: dt.date) -> bool:
    """An entry whose last day in force is before today has expired (no fixed term never expires)."""
    return planned is not None and planned < today


def expiry_day(planned: dt.date) -> dt.date:
    """The day an expired entry left the list: the day after its last day in force (also when caught up late)."""
    return planned + dt.timedelta(days=1)


@dataclass(frozen=True)
class DayBound:
    """One condition of "in force on a day": ``entry.<field> <op> day``; an empty field passes when ``empty_passes``."""

    field: str  # the ListEntry field (and column) name
    op: Literal["<=", ">=", ">"]
    empty_passes: bool


# THE definition of "in force on a day" (在列): effective on or before the day, within its term (no term: no end),
# and not yet removed (a removal takes effect on its own day). The pure rule below, the ORM filter and the raw SQL
# (``lists.selectors.in_force_filter`` / ``in_force_sql``, used by lists, portal and sanctions) are all made from it.
IN_FORCE_BOUNDS: tuple[DayBound, ...] = (
    DayBound("effective_date", "<=", empty_passes=False),
    DayBound("planned_end", ">=", empty_passes=True),
    DayBound("removed_on", ">", empty_passes=True),
)
_COMPARE = {"<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}


def in_force_on(*, effective: dt.date, planned: dt.date | None, removed_on: dt.date | None, day: dt.date) -> bool:
    """Whether an entry was on the list on ``day``: effective, not past its term, not yet removed (IN_FORCE_BOUNDS)."""
    values = {"effective_date": effective, "planned_end": planned, "removed_on": removed_on}
    return all(bound.empty_passes if values[bound.field] is None else _COMPARE[bound.op](values[bound.field], day)
               for bound in IN_FORCE_BOUNDS)


REMOVAL_LABELS = {RemovalReason.EXPIRED: "期满移出", RemovalReason.REPAIRED: "信用修复移出",
                  RemovalReason.REVOKED: "撤销", RemovalReason.COURT_DELETED: "法院删除"}


def parse_day(value: Any) -> dt.date | None:
    """A date from a record field (an ISO string, a date, or blank)."""
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class DerivedEntry:
    """What a list-class record says its entry is: effective date, term, and a removal (reason, day, note) if any."""

    effective: dt.date
    term: TermOutcome
    removal: tuple[RemovalReason, dt.date, str] | None


def derive_entry(spec: ListSpec, fields: Mapping[str, Any], *, decision_date: dt.date, revoked: bool,
                 revoked_reason: str = "", today: dt.date) -> DerivedEntry:
    """The entry a record of a list class describes, as it holds on ``today``.

    Effective date: the record's 生效日期, else the decision date. Term: :func:`planned_end`. Removal: a revoked record
    is revoked today; a 移出日期 removes the entry on that day (a later day than today: today), with the 移出事由 or
    the list's default reason; a term already over is an expiry on the day after its last day.
    """
    effective = parse_day(fields.get("effective_date")) or decision_date
    term = planned_end(spec, fields, decided=decision_date, effective=effective,
                       given=parse_day(fields.get("planned_end_date")))
    removal = None
    removal_date = parse_day(fields.get("removal_date"))
    if revoked:
        removal = (RemovalReason.REVOKED, today, revoked_reason or "信用记录已撤销")
    elif removal_date is not None:
        reason = RemovalReason(fields.get("removal_reason") or spec.default_removal_reason.value)
        note = "认定单位报送移出" if removal_date <= today else f"报送的移出日期{removal_date}晚于登记日，按登记日移出"
        removal = (reason, min(removal_date, today), note)
    elif is_expired(term.planned_end, today):
        removal = (RemovalReason.EXPIRED, expiry_day(term.planned_end), "报送时已期满")
    return DerivedEntry(effective, term, removal)


# --- publicity (名单公示) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryPublicity:
    """Whether the public site shows a list entry, and over which window (both ends inclusive).

    ``published`` is the rules' verdict for this list and this kind of subject; ``publish_from`` is None when the
    window is empty (removed or over before the platform received it). ``publish_until`` None: no end while the
    entry stays on the list.
    """

    published: bool
    publish_from: dt.date | None
    publish_until: dt.date | None
    reason_zh: str
    reason_en: str
    rule_version: str
    severity: str | None = None  # serious / minor (black lists); None for red lists
    ended_by: RemovalReason | None = None

    def shown_on(self, day: dt.date) -> bool:
        return (self.published and self.publish_from is not None and self.publish_from <= day
                and (self.publish_until is None or day <= self.publish_until))


def entry_publicity(spec: ListSpec, *, subject_kind: str, effective: dt.date, received_on: dt.date,
                    planned_end: dt.date | None, removed_on: dt.date | None = None,
                    removal_reason: RemovalReason | str | None = None) -> EntryPublicity:
    """名单公示: an entry of a published list is shown from the later of its effective date and its receipt by the
    platform, until its last day in force (``planned_end``; no end when it has none), and stops at once when it is
    removed (expired, repaired, revoked, deleted by the court): its last day shown is the day before ``removed_on``.

    Lists without a ``publicity`` block, lists not published, and natural persons on lists that do not publish
    persons are not shown at all (the list file's ``publicity`` block says which, with its sources).
    """
    severity = spec.severity if spec.kind == ListKind.BLACK else None
    ended_by = RemovalReason(removal_reason) if removed_on is not None and removal_reason else None

    def out(published: bool, start: dt.date | None, until: dt.date | None, zh: str, en: str) -> EntryPublicity:
        return EntryPublicity(published, start, until, zh, en, spec.rule_version, severity, ended_by)

    rule = spec.publicity
    if rule is None:
        return out(False, None, None, f"{spec.name_zh}的公示规则尚未配置（名单规则文件 publicity），暂不公示。",
                   f"no publicity rule configured for list {spec.code}: not published.")
    if not rule.published:
        return out(False, None, None, f"{spec.name_zh}不向社会公示（{rule.basis}）。",
                   f"list {spec.code} is not published ({rule.basis}).")
    if subject_kind == "natural_person" and not rule.persons_published:
        return out(False, None, None, f"涉及自然人的{spec.name_zh}信息不予公示（{rule.natural_persons_basis}）。",
                   f"natural persons on {spec.code} are not published ({rule.natural_persons_basis}).")
    start = max(effective, received_on)
    until = planned_end
    zh = [f"{spec.name_zh}依法公示（{rule.basis}）",
          f"自{start.isoformat()}起公示（生效日期{effective.isoformat()}与平台归集日期{received_on.isoformat()}之较晚者）"]
    en = [f"list {spec.code} is published ({rule.basis})",
          f"shown from {start.isoformat()} (later of effective {effective.isoformat()} and receipt "
          f"{received_on.isoformat()})"]
    if removed_on is not None:
        last = removed_on - dt.timedelta(days=1)
        until = last if until is None else min(until, last)
        label = REMOVAL_LABELS.get(ended_by, "移出") if ended_by else "移出"
        zh.append(f"{removed_on.isoformat()}{label}，自移出之日起停止公示")
        en.append(f"removed on {removed_on.isoformat()} ({ended_by or 'removed'}): not shown from that day")
    elif until is not None:
        zh.append(f"至计划移出日期{until.isoformat()}止")
        en.append(f"until its last day in force {until.isoformat()}")
    else:
        zh.append("无固定期限，至移出之日止")
        en.append("no fixed end: until removed")
    if until is not None and until < start:
        zh.append("公示期间在归集前已经结束，不予展示")
        en.append("the window ended before the platform received it: never shown")
        return out(True, None, until, "；".join(zh) + "。", "; ".join(en) + ".")
    return out(True, start, until, "；".join(zh) + "。", "; ".join(en) + ".")


def _transition_problem(kind: str, state: str, event: str) -> Problem:
    return Problem(f"{kind}.transition", f"当前状态（{state}）不能执行该操作（{event}）",
                   f"{event} is not allowed in state {state}", "status")


def entry_transition(status: str, event: EntryEvent) -> tuple[EntryStatus, RemovalReason]:
    """Apply :data:`ENTRY_TRANSITIONS`; a disallowed event raises :class:`TransitionError`."""
    try:
        return ENTRY_TRANSITIONS[(EntryStatus(status), event)]
    except (KeyError, ValueError):
        raise TransitionError(status, event, _transition_problem("list_entry", status, event)) from None


def case_transition(state: str, event: CaseEvent, spec: ListSpec) -> CaseState:
    """Apply :data:`CASE_TRANSITIONS`; deciding without prior notice is only allowed where the list needs none."""
    try:
        new = CASE_TRANSITIONS[(CaseState(state), event)]
    except (KeyError, ValueError):
        raise TransitionError(state, event, _transition_problem("identification", state, event)) from None
    if (state, event) == (CaseState.BASIS_CHECKED, CaseEvent.DECIDE) and spec.procedure and spec.procedure.prior_notice:
        raise TransitionError(state, event, Problem(
            "identification.notice_required", "该名单须先告知当事人并听取陈述申辩，才能作出认定决定（国办发〔2020〕49号）",
            "this list needs prior notice and a chance to state a defence before the decision", "status"))
    return new


# --- identification ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisCheck:
    """Outcome of the legal-basis check (合法性审查) before a list decision."""

    ok: bool
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    matched: tuple[str, ...]  # the list's bases the case cites
    rule_version: str

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": [p.as_dict() for p in self.problems],
                "warnings": [p.as_dict() for p in self.warnings], "matched": list(self.matched),
                "rule_version": self.rule_version}


def _normalise(text: str) -> str:
    return "".join(ch for ch in text if ch not in " 　《》<>()（）〔〕[]【】").lower()


def basis_check(spec: ListSpec, *, cited_basis: str, finding_document: str, grounds: str, on: dt.date) -> BasisCheck:
    """国办发〔2020〕49号 §(四)(六): a listing rests on law, administrative regulation or central documents (department
    rules as an interim basis; a list applied only locally on a local regulation), is found on a legally effective
    document (生效法律文书或行政决定), states its grounds, and cites the list's own basis."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not spec.in_force(on):
        problems.append(Problem("identification.list_not_in_force", f"名单规则{spec.rule_version}在{on.isoformat()}不在有效期内",
                                f"{spec.rule_version} is not in force on {on.isoformat()}", "list_code"))
    levels = {b.level for b in spec.legal_basis}
    allowed = LOCAL_LEVELS if spec.scope == "local" else NATIONAL_LEVELS
    if not levels & allowed:
        if spec.scope == "national" and levels & INTERIM_LEVELS:
            warnings.append(Problem("identification.interim_basis", "该名单仅以部门规章为依据（过渡期依据，国办发〔2020〕49号）",
                                    "the list rests on a department rule only (an interim basis)", "legal_basis"))
        else:
            need = "地方性法规" if spec.scope == "local" else "法律、行政法规或党中央、国务院政策文件"
            problems.append(Problem("identification.basis_level", f"名单设定依据的层级不足：须有{need}",
                                    f"the list's basis is below the required level ({spec.scope})", "legal_basis"))
    if not cited_basis.strip():
        problems.append(Problem("identification.basis_required", "须写明认定所依据的法律、法规条款",
                                "the legal basis of the listing is required", "cited_basis"))
    cited = _normalise(cited_basis)
    matched = tuple(b.text() for b in spec.legal_basis if _normalise(b.instrument) and _normalise(b.instrument) in cited)
    if cited_basis.strip() and not matched:
        listed = "；".join(b.text() for b in spec.legal_basis)
        problems.append(Problem("identification.basis_mismatch", f"所引依据不是该名单的设定依据（应引用：{listed}）",
                                "the cited basis is not one of the list's bases", "cited_basis"))
    if not finding_document.strip():
        problems.append(Problem("identification.finding_document_required",
                                "须有认定失信行为的生效法律文书或行政决定（判决书、处罚决定书等）文号",
                                "a legally effective document finding the conduct is required", "finding_document"))
    if not grounds.strip():
        problems.append(Problem("identification.grounds_required", "须写明认定的事实和理由",
                                "the facts and grounds are required", "grounds"))
    return BasisCheck(not problems, tuple(problems), tuple(warnings), matched, spec.rule_version)


def defence_deadline(spec: ListSpec, notified_on: dt.date, calendar: WorkCalendar,
                     envelope: HolidayEnvelope | None = None) -> dt.date | None:
    """Last day for the subject's statement and defence (陈述申辩): N working days after the notice was served.
    With ``envelope``, a period running into a year with no holiday schedule takes its latest possible end
    (:func:`defence_deadline_bound`)."""
    if envelope is not None:
        bound = defence_deadline_bound(spec, notified_on, calendar, envelope)
        return bound.value if bound else None
    if spec.procedure is None or not spec.procedure.prior_notice:
        return None
    return calendar.add_working_days(notified_on, spec.procedure.defence_working_days).value


def defence_deadline_bound(spec: ListSpec, notified_on: dt.date, calendar: WorkCalendar,
                           envelope: HolidayEnvelope) -> Deadline | None:
    """The defence deadline never shorter for the subject than the real one (``rules.calendar.deadline``, favour
    ``later``); ``provisional`` when it runs into a year with no holiday schedule: the decision waits for it."""
    if spec.procedure is None or not spec.procedure.prior_notice:
        return None
    return deadline(calendar, notified_on, spec.procedure.defence_working_days, envelope, favour="later")


def push_is_late(delay_working_days: int, deadline_working_days: int) -> bool:
    """淄政办字〔2021〕31号 第八项: a list entry reaches the platform within N (7) working days of its decision."""
    return delay_working_days > deadline_working_days
