"""Governance (督查与考核) as pure rules: the department scorecard's shape and scoring, the monitoring indicators'
points, and the policy task ledger's status moves and overdue flags.

淄政办字〔2021〕31号 三（二）强化监督检查: the tasks are broken down to departments and districts, and the leading group's
office regularly checks and assesses (综合评价) their work; 三（一）: meetings, supervision and dispatch reports
(调度通报). The policy names no figures or weights: the scorecard's figures, weights and thresholds are the platform's
rulebook data (``rulebook/governance/scorecard.yaml``), never constants here.

No Django: the governance app counts the rows and passes plain numbers in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pubcredit.rules.calendar import WorkCalendar
from pubcredit.rules.errors import DomainError

__all__ = [
    "GovernanceRulebookError", "FigureSpec", "ScorecardRule", "ScorecardRulebook", "Indicator", "MonitoringBook",
    "TaskSpec", "TaskBook", "FigureScore", "CardScore", "TaskStatus", "TASK_STATUS_LABELS", "TASK_MOVES",
    "RECURRENCE_LABELS", "MONITORING_SOURCES",
    "parse_scorecard", "parse_monitoring", "parse_tasks", "month_start", "month_end",
    "next_month", "months_back", "figure_value", "score_figure", "score_card", "indicator_points", "task_move",
    "task_report_due", "task_overdue",
]


class GovernanceRulebookError(ValueError):
    """A governance rulebook file that cannot be used as it is."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _problems(name: str, exc: ValidationError) -> GovernanceRulebookError:
    text = "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', ())) or '(top level)'}: "
        f"{'unknown key' if err.get('type') == 'extra_forbidden' else err.get('msg', 'invalid')}"
        for err in exc.errors())
    return GovernanceRulebookError(f"{name}: {text.replace('Value error, ', '')}")


# -- the department scorecard (部门考核) ---------------------------------------------------------------------------

class FigureSpec(_Strict):
    """One scorecard figure. Every figure is counted as ``total`` rows of which ``failing`` count against the
    department; ``shown_as`` says which share the page shows and the target applies to:

    - ``share_ok``: (total − failing) ÷ total, at least ``target`` (on-time shares, feedback rates);
    - ``share_failing``: failing ÷ total, at most ``target`` (rejection, wrong-code and correction rates).

    ``target: null`` means "the real-time sharing rule's on-time share" (``rulebook/sharing.yaml``), so that the
    90 % lives in one place.
    """

    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    failing_zh: str = Field(min_length=1)  # what a failing row is, e.g. 超期报送的记录
    shown_as: Literal["share_ok", "share_failing"]
    target: float | None = Field(default=None, ge=0, le=1)
    weight: float = Field(gt=0)
    basis: str = Field(min_length=1)


class ScorecardRule(_Strict):
    """One version of the scorecard: its figures (in page order), weights and thresholds."""

    version: str = Field(min_length=1)
    effective_from: dt.date
    effective_to: dt.date | None = None
    double_publicity_classes: tuple[str, ...] = Field(min_length=1)  # 双公示: 行政许可、行政处罚
    double_publicity_working_days: int = Field(gt=0)  # 国发〔2016〕33号: 7 个工作日内上网公开
    wrong_code_errors: tuple[str, ...] = Field(min_length=1)  # refusal codes that mean a wrong code (错码)
    figures: dict[str, FigureSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_in_order(self) -> ScorecardRule:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"version {self.version}: effective_to is before effective_from")
        return self

    @property
    def rule_version(self) -> str:
        return f"governance_scorecard@{self.version}"

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def _check_versions(versions: Iterable[Any]) -> None:
    seen: set[str] = set()
    for item in versions:
        if item.version in seen:
            raise ValueError(f"version {item.version} is defined twice")
        seen.add(item.version)
    ordered = sorted(versions, key=lambda r: r.effective_from)
    for earlier, later in zip(ordered, ordered[1:]):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise ValueError(f"versions {earlier.version} and {later.version} overlap")


class ScorecardRulebook(_Strict):
    rule: Literal["governance_scorecard"]
    basis: str
    versions: tuple[ScorecardRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ScorecardRulebook:
        _check_versions(self.versions)
        return self

    def rule_on(self, day: dt.date) -> ScorecardRule:
        for rule in self.versions:
            if rule.in_force(day):
                return rule
        raise GovernanceRulebookError(f"no scorecard rule in force on {day.isoformat()}")


def parse_scorecard(data: Mapping[str, Any]) -> ScorecardRulebook:
    """Check the loaded YAML: unknown keys, repeated versions, overlapping periods and bad numbers are refused."""
    try:
        return ScorecardRulebook.model_validate(data)
    except ValidationError as exc:
        raise _problems("governance/scorecard.yaml", exc) from exc


@dataclass(frozen=True)
class FigureScore:
    key: str
    total: int
    failing: int
    value: float | None  # the shown share (share_ok or share_failing); None without rows
    target: float
    weight: float
    points: float | None  # None: no data, left out of the score
    status: str  # green 达标 / red 未达标 / none 无数据


@dataclass(frozen=True)
class CardScore:
    score: float | None  # 0–100 over the figures with data; None when no figure has data
    figures: tuple[FigureScore, ...]
    rule_version: str


def figure_value(spec: FigureSpec, total: int, failing: int) -> float | None:
    if total <= 0:
        return None
    return (total - failing) / total if spec.shown_as == "share_ok" else failing / total


def score_figure(key: str, spec: FigureSpec, *, total: int, failing: int, target: float) -> FigureScore:
    """Points for one figure: the full weight when the target is met; below it, a share of the weight in
    proportion to how close the figure came (share_ok: value ÷ target; share_failing: (1 − value) ÷ (1 − target));
    no rows: no data, neither points nor a penalty (the department had nothing to do there)."""
    if failing < 0 or failing > total:
        raise ValueError(f"{key}: failing {failing} outside 0..{total}")
    value = figure_value(spec, total, failing)
    if value is None:
        return FigureScore(key, total, failing, None, target, spec.weight, None, "none")
    if spec.shown_as == "share_ok":
        met = value >= target
        ratio = 1.0 if met else (value / target if target else 1.0)
    else:
        met = value <= target
        ratio = 1.0 if met else max(0.0, (1 - value) / (1 - target)) if target < 1 else 1.0
    return FigureScore(key, total, failing, round(value, 4), target, spec.weight, round(spec.weight * ratio, 2),
                       "green" if met else "red")


def score_card(counts: Mapping[str, tuple[int, int]], rule: ScorecardRule, *, default_target: float) -> CardScore:
    """The card: every figure of the rule scored from its (total, failing) counts; the score is the points won
    over the weights of the figures with data, out of 100. A figure missing from ``counts`` is an error."""
    scored = []
    for key, spec in rule.figures.items():
        if key not in counts:
            raise ValueError(f"no counts for figure {key}")
        total, failing = counts[key]
        target = spec.target if spec.target is not None else default_target
        scored.append(score_figure(key, spec, total=total, failing=failing, target=target))
    with_data = [f for f in scored if f.points is not None]
    weights = sum(f.weight for f in with_data)
    score = round(100 * sum(f.points for f in with_data) / weights, 1) if weights else None
    return CardScore(score, tuple(scored), rule.rule_version)


# -- months -------------------------------------------------------------------------------------------------------

def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    first = month_start(day)
    return dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return next_month(day) - dt.timedelta(days=1)


def months_back(day: dt.date, count: int) -> list[dt.date]:
    """First days of the ``count`` months ending with ``day``'s month, oldest first."""
    out = [month_start(day)]
    while len(out) < count:
        out.append(month_start(out[-1] - dt.timedelta(days=1)))
    return out[::-1]


# -- city monitoring indicators (城市信用状况监测预警指标, 2020 版) ----------------------------------------------------

# The other systems' monthly figures a monitoring indicator may name as its ``source`` (the governance app reads each
# through its app: governance/sources.py); the key and, in Chinese for the page, what it reads.
MONITORING_SOURCES: dict[str, str] = {
    "lending": "信易贷模块：申请、批准、放款与首贷",  # finance.selectors.lending_figures
    "incentives": "信易+场景：核验、符合条件与兑现",  # finance.selectors.lending_figures (incentives)
    "commitments": "信用承诺：作出、审批替代、按期核查、违诺",  # commitments.selectors.commitment_figures
    "report_use": "信用报告：出具量与使用部门数",  # reports.models.Report
    "graded_supervision": "双随机抽查：按信用分级分类抽取的对象占比",  # supervision.models.DrawnObject
}


class Indicator(_Strict):
    """One indicator of the 2020 structure. ``figure`` names the scorecard figure that measures it (city-wide, scored
    into points); ``source`` names another system's monthly figures that describe it (信易贷, report use …: shown as
    measured, not scored, since the digest gives no scoring rule for them); with neither, ``not_measured_zh`` says why
    the platform cannot measure it (never guessed)."""

    level1: str
    level2: str
    name_zh: str
    points: float | None = Field(default=None, gt=0)  # the level-2 indicator's points (the digest stops there)
    figure: str | None = None
    source: str | None = None
    not_measured_zh: str | None = None

    @model_validator(mode="after")
    def _measured_or_why_not(self) -> Indicator:
        if sum(v is not None for v in (self.figure, self.source, self.not_measured_zh)) != 1:
            raise ValueError(f"{self.name_zh}: give exactly one of figure, source or not_measured_zh")
        return self


class MonitoringBook(_Strict):
    version: str
    basis: str
    indicators: tuple[Indicator, ...] = Field(min_length=1)


def parse_monitoring(data: Mapping[str, Any], *, figure_keys: Iterable[str],
                     source_keys: Iterable[str] = tuple(MONITORING_SOURCES)) -> MonitoringBook:
    try:
        book = MonitoringBook.model_validate(data)
    except ValidationError as exc:
        raise _problems("governance/monitoring.yaml", exc) from exc
    known, sources = set(figure_keys), set(source_keys)
    for indicator in book.indicators:
        if indicator.figure is not None and indicator.figure not in known:
            raise GovernanceRulebookError(f"governance/monitoring.yaml: {indicator.name_zh}: unknown figure "
                                          f"{indicator.figure!r}")
        if indicator.source is not None and indicator.source not in sources:
            raise GovernanceRulebookError(f"governance/monitoring.yaml: {indicator.name_zh}: unknown source "
                                          f"{indicator.source!r}")
    return book


def indicator_points(indicator: Indicator, score: FigureScore | None) -> float | None:
    """The indicator's points from its figure's city-wide score: full points × the figure's attainment
    (points ÷ weight); None without data."""
    if score is None or score.points is None or indicator.points is None:
        return None
    return round(indicator.points * score.points / score.weight, 2)


# -- the policy's task ledger (任务台账) -----------------------------------------------------------------------------

class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


TASK_STATUS_LABELS = {TaskStatus.NOT_STARTED: "未启动", TaskStatus.IN_PROGRESS: "推进中", TaskStatus.DONE: "已完成"}
RECURRENCE_LABELS = {"": "一次性", "monthly": "每月调度", "quarterly": "每季度调度", "yearly": "每年调度"}
# a closed task is reopened by an operator (done → in progress) with a reason; never straight back to 未启动
TASK_MOVES: dict[tuple[str, str], str] = {
    (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS): TaskStatus.IN_PROGRESS,
    (TaskStatus.NOT_STARTED, TaskStatus.DONE): TaskStatus.DONE,
    (TaskStatus.IN_PROGRESS, TaskStatus.DONE): TaskStatus.DONE,
    (TaskStatus.DONE, TaskStatus.IN_PROGRESS): TaskStatus.IN_PROGRESS,
}


class TaskSpec(_Strict):
    code: str = Field(pattern=r"^[A-Z][0-9]{2}$")
    kind: Literal["task", "safeguard"]
    section_zh: str
    title_zh: str
    summary_zh: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...] = ()
    deadline: dt.date | None = None
    recurrence: Literal["", "monthly", "quarterly", "yearly"] = ""
    indicators: tuple[str, ...] = ()


class TaskBook(_Strict):
    version: str
    basis: str
    report_due_working_day: int = Field(gt=0, le=20)  # progress for a period is due by this working day after it
    tasks: tuple[TaskSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> TaskBook:
        codes = [t.code for t in self.tasks]
        if len(codes) != len(set(codes)):
            raise ValueError("task codes repeat")
        return self


def parse_tasks(data: Mapping[str, Any], *, figure_keys: Iterable[str]) -> TaskBook:
    try:
        book = TaskBook.model_validate(data)
    except ValidationError as exc:
        raise _problems("governance/tasks.yaml", exc) from exc
    known = set(figure_keys)
    for task in book.tasks:
        if not task.lead_units:
            raise GovernanceRulebookError(f"governance/tasks.yaml: {task.code}: no responsible unit")
        for key in task.indicators:
            if key not in known:
                raise GovernanceRulebookError(f"governance/tasks.yaml: {task.code}: unknown figure {key!r}")
    return book


def task_move(current: str, wanted: str) -> str:
    """The task's next status; a move the table does not allow is a field error on ``status``."""
    moved = TASK_MOVES.get((current, wanted))
    if moved is None:
        raise DomainError("governance.invalid_status",
                          f"任务状态不能从“{TASK_STATUS_LABELS.get(current, current)}”改为"
                          f"“{TASK_STATUS_LABELS.get(wanted, wanted)}”",
                          f"a task cannot move from {current} to {wanted}", "status")
    return moved


def _period_start(day: dt.date, recurrence: str) -> dt.date:
    if recurrence == "monthly":
        return month_start(day)
    if recurrence == "quarterly":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def task_report_due(recurrence: str, today: dt.date, calendar: WorkCalendar,
                    due_working_day: int) -> tuple[dt.date, dt.date] | None:
    """For a recurring task: (the last finished period's first day, the day its progress report is due: the
    ``due_working_day``-th working day of the following period). None for a one-off task."""
    if not recurrence:
        return None
    current = _period_start(today, recurrence)
    previous = _period_start(current - dt.timedelta(days=1), recurrence)
    due = calendar.add_working_days(current - dt.timedelta(days=1), due_working_day).value
    return previous, due


def task_overdue(*, status: str, deadline: dt.date | None, recurrence: str, reported_periods: Iterable[dt.date],
                 today: dt.date, calendar: WorkCalendar, due_working_day: int) -> tuple[bool, str]:
    """Overdue (逾期) and why: a one-off task not done by its deadline; a recurring task with no progress report
    for its last finished period once that report's due day has passed."""
    if status == TaskStatus.DONE:
        return False, ""
    if deadline is not None and today > deadline:
        return True, f"已超过完成时限 {deadline.isoformat()}"
    due = task_report_due(recurrence, today, calendar, due_working_day)
    if due is not None:
        period, report_due = due
        if today > report_due and period not in set(reported_periods):
            return True, f"{period.strftime('%Y年%m月')}起的调度进展未在 {report_due.isoformat()} 前报送"
    return False, ""
