"""The governance rulebook files (``rulebook/governance/``), loaded once per process and checked against each other:
monitoring indicators and task indicators must name scorecard figures that exist."""

from __future__ import annotations

import datetime as dt
from functools import cache

from pubcredit.accounts.selectors import sharing_rule
from pubcredit.rulebook.loader import RulebookError, load_yaml
from pubcredit.rules import governance as rules

SCORECARD_FILE = "governance/scorecard.yaml"
MONITORING_FILE = "governance/monitoring.yaml"
TASKS_FILE = "governance/tasks.yaml"


@cache
def scorecard_book() -> rules.ScorecardRulebook:
    try:
        return rules.parse_scorecard(load_yaml(SCORECARD_FILE))
    except rules.GovernanceRulebookError as exc:
        raise RulebookError(str(exc)) from exc


def scorecard_rule(day: dt.date) -> rules.ScorecardRule:
    try:
        return scorecard_book().rule_on(day)
    except rules.GovernanceRulebookError as exc:
        raise RulebookError(str(exc)) from exc


def figure_keys() -> list[str]:
    """Every figure key of every scorecard version (what a task or indicator may link to)."""
    return list(dict.fromkeys(k for v in scorecard_book().versions for k in v.figures))


def figure_spec(key: str, day: dt.date) -> rules.FigureSpec | None:
    return scorecard_rule(day).figures.get(key)


def default_target(day: dt.date) -> float:
    """A figure with ``target: null`` uses the real-time sharing rule's on-time share (``sharing.yaml``)."""
    return sharing_rule(day).on_time_share


@cache
def monitoring_book() -> rules.MonitoringBook:
    try:
        return rules.parse_monitoring(load_yaml(MONITORING_FILE), figure_keys=figure_keys())
    except rules.GovernanceRulebookError as exc:
        raise RulebookError(str(exc)) from exc


@cache
def task_book() -> rules.TaskBook:
    try:
        return rules.parse_tasks(load_yaml(TASKS_FILE), figure_keys=figure_keys())
    except rules.GovernanceRulebookError as exc:
        raise RulebookError(str(exc)) from exc
