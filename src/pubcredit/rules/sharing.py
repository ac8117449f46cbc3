"""Real-time sharing (实时共享) of credit information by departments, and the city's sharing rate.

淄政办字〔2021〕31号 item 2 sets the goal: 90 % of departments share their credit information in real time
(社会信用信息部门实时共享率达到90%). It does not say when one department "shares in real time"; the platform's
rule, kept as versioned data in ``rulebook/sharing.yaml``, is:

- over the ``window_days`` calendar days ending today, the department sent at least ``min_records`` new records,
  and at least ``on_time_share`` of them arrived within their class's deadline (双公示: 7 working days);
- a department with no new record and no refused row in the window has no decision known to the platform there:
  it is *no data* (无数据), neither sharing nor failing, and does not count in the city rate;
- the city rate is sharing departments / (sharing + not sharing departments); the goal is ``goal_share``.

Everything here is pure: plain numbers in, an outcome with its reason (Chinese and English) and the rule version
out. The Django side (``figures.selectors``) counts the numbers with database aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = [
    "SharingStatus", "SharingRule", "SharingRulebook", "SharingOutcome", "CityOutcome", "SharingRulebookError",
    "parse_rulebook", "window", "realtime_sharing", "city_sharing", "STATUS_LABELS",
]

RULE_ID = "realtime_sharing"


class SharingStatus(StrEnum):
    SHARING = "sharing"  # 实时共享
    NOT_SHARING = "not_sharing"  # 未实时共享
    NO_DATA = "no_data"  # 无数据 (no decision known in the window)


STATUS_LABELS = {
    SharingStatus.SHARING: "实时共享",
    SharingStatus.NOT_SHARING: "未实时共享",
    SharingStatus.NO_DATA: "无数据",
}


class SharingRulebookError(ValueError):
    """``rulebook/sharing.yaml`` cannot be used as it is."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SharingRule(_Strict):
    """One version of the real-time sharing rule, in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    version: str = Field(min_length=1)
    effective_from: dt.date
    effective_to: dt.date | None = None
    window_days: int = Field(gt=0, le=366)
    on_time_share: float = Field(gt=0, le=1)
    min_records: int = Field(ge=1)
    goal_share: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _dates_in_order(self) -> SharingRule:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"version {self.version}: effective_to {self.effective_to} is before "
                             f"effective_from {self.effective_from}")
        return self

    @property
    def rule_version(self) -> str:
        """``realtime_sharing@2026.1``: recorded with every verdict."""
        return f"{RULE_ID}@{self.version}"

    @property
    def on_time_threshold(self) -> Fraction:
        return Fraction(str(self.on_time_share))

    @property
    def goal_threshold(self) -> Fraction:
        return Fraction(str(self.goal_share))

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class SharingRulebook(_Strict):
    """The file: the rule's name, its legal basis and its versions (periods may not overlap)."""

    rule: str
    basis: str
    versions: tuple[SharingRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _versions_consistent(self) -> SharingRulebook:
        if self.rule != RULE_ID:
            raise ValueError(f"rule must be {RULE_ID!r}, not {self.rule!r}")
        seen: set[str] = set()
        for rule in self.versions:
            if rule.version in seen:
                raise ValueError(f"version {rule.version} is defined twice")
            seen.add(rule.version)
        ordered = sorted(self.versions, key=lambda r: r.effective_from)
        for earlier, later in zip(ordered, ordered[1:]):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ValueError(f"versions {earlier.version} and {later.version} overlap: {earlier.version} must end "
                                 f"before {later.effective_from}")
        return self

    def rule_on(self, day: dt.date) -> SharingRule:
        """The version in force on ``day``; none in force is an error (a gap in the rulebook)."""
        for rule in self.versions:
            if rule.in_force(day):
                return rule
        raise SharingRulebookError(f"no real-time sharing rule in force on {day.isoformat()}")


def parse_rulebook(data: Mapping[str, Any]) -> SharingRulebook:
    """Check the loaded YAML: unknown keys, duplicate versions, overlapping periods and bad numbers are refused."""
    try:
        return SharingRulebook.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ())) or '(top level)'}: "
            f"{'unknown key' if err.get('type') == 'extra_forbidden' else err.get('msg', 'invalid')}"
            for err in exc.errors())
        raise SharingRulebookError(f"sharing.yaml: {problems.replace('Value error, ', '')}") from exc


def window(today: dt.date, rule: SharingRule) -> tuple[dt.date, dt.date]:
    """The window's first and last day: the ``window_days`` calendar days ending on ``today`` (both included)."""
    return today - dt.timedelta(days=rule.window_days - 1), today


@dataclass(frozen=True)
class SharingOutcome:
    """A department's verdict: status, the reason in Chinese and English, the rule version and the share used."""

    status: SharingStatus
    reason_zh: str
    reason_en: str
    rule_version: str
    on_time_share: float | None  # on-time new records / new records in the window; None without new records

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _pct(value: Fraction | float) -> str:
    """A measured share, one decimal: 83.3%."""
    return f"{float(value) * 100:.1f}%"


def _threshold(value: Fraction) -> str:
    """A threshold as written in the rule: 90%, 87.5%."""
    return f"{float(value) * 100:g}%"


def realtime_sharing(*, new_records: int, on_time: int, rejected_rows: int = 0, rule: SharingRule) -> SharingOutcome:
    """淄政办字〔2021〕31号 item 2: whether a department shares in real time (实时共享) over the rule's window.

    ``new_records``: records the department sent for the first time in the window; ``on_time``: how many of them
    arrived within their class's deadline; ``rejected_rows``: rows of its submissions in the window the platform
    refused (evidence of decisions even when none was accepted).
    """
    if min(new_records, on_time, rejected_rows) < 0 or on_time > new_records:
        raise ValueError(f"inconsistent counts: new_records={new_records}, on_time={on_time}, "
                         f"rejected_rows={rejected_rows}")
    days, version = rule.window_days, rule.rule_version
    if new_records == 0 and rejected_rows == 0:
        return SharingOutcome(
            SharingStatus.NO_DATA,
            f"近{days}天无新增信用信息报送，也无退回数据：平台不掌握该部门在此期间的决定，不参与统计",
            f"no new record and no refused row in the last {days} days: no decision known, not counted",
            version, None)
    share = Fraction(on_time, new_records) if new_records else None
    if new_records < rule.min_records:
        if new_records == 0:
            zh = f"近{days}天报送的{rejected_rows}行数据均被退回，未形成新记录（至少需{rule.min_records}条）"
            en = f"all {rejected_rows} rows sent in the last {days} days were refused: no new record " \
                 f"(at least {rule.min_records} needed)"
        else:
            zh = f"近{days}天仅报送新记录{new_records}条，少于{rule.min_records}条"
            en = f"only {new_records} new records in the last {days} days, fewer than {rule.min_records}"
        return SharingOutcome(SharingStatus.NOT_SHARING, zh, en, version, None if share is None else float(share))
    required = _threshold(rule.on_time_threshold)
    counts_zh = f"近{days}天新增记录{new_records}条，按时报送{on_time}条（{_pct(share)}）"
    counts_en = f"{on_time} of {new_records} new records in the last {days} days on time ({_pct(share)})"
    if share >= rule.on_time_threshold:
        return SharingOutcome(SharingStatus.SHARING, f"{counts_zh}，达到{required}", f"{counts_en}, at least {required}",
                              version, float(share))
    return SharingOutcome(SharingStatus.NOT_SHARING, f"{counts_zh}，低于{required}", f"{counts_en}, below {required}",
                          version, float(share))


@dataclass(frozen=True)
class CityOutcome:
    """The city's (or a district's) real-time sharing rate against the goal."""

    departments: int
    sharing: int
    not_sharing: int
    no_data: int
    share: float | None  # sharing / (sharing + not_sharing); None when no department has data
    goal_share: float
    meets_goal: bool | None
    reason_zh: str
    reason_en: str
    rule_version: str

    @property
    def counted(self) -> int:
        return self.sharing + self.not_sharing


def city_sharing(statuses: Iterable[SharingStatus | str], *, rule: SharingRule) -> CityOutcome:
    """淄政办字〔2021〕31号 item 2: the share of departments sharing in real time, against the 90 % goal.

    Departments with no data are listed but left out of the rate: they had nothing to share.
    """
    counts = {status: 0 for status in SharingStatus}
    for status in statuses:
        counts[SharingStatus(status)] += 1
    sharing, not_sharing, no_data = (counts[SharingStatus.SHARING], counts[SharingStatus.NOT_SHARING],
                                     counts[SharingStatus.NO_DATA])
    counted = sharing + not_sharing
    goal = _threshold(rule.goal_threshold)
    if counted == 0:
        return CityOutcome(no_data, 0, 0, no_data, None, rule.goal_share, None,
                           f"近{rule.window_days}天无部门有报送数据，无法计算实时共享率（目标 ≥ {goal}）",
                           f"no department has data in the last {rule.window_days} days (goal >= {goal})",
                           rule.rule_version)
    share = Fraction(sharing, counted)
    meets = share >= rule.goal_threshold
    zh = (f"实时共享部门{sharing}个，参与统计{counted}个（无数据{no_data}个不计），占比{_pct(share)}，"
          f"{'达到' if meets else '未达到'}目标 ≥ {goal}")
    en = (f"{sharing} of {counted} departments with data share in real time ({_pct(share)}; {no_data} without "
          f"data not counted): goal >= {goal} {'met' if meets else 'not met'}")
    return CityOutcome(counted + no_data, sharing, not_sharing, no_data, float(share), rule.goal_share, meets,
                       zh, en, rule.rule_version)
