"""Pure governance rules: scorecard scoring from rulebook data, the rulebook's checks, monitoring points and the
task ledger's moves and overdue flags (淄政办字〔2021〕31号 三（一）调度通报, 三（二）强化监督检查)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pubcredit.rulebook.loader import RULEBOOK_DIR
from pubcredit.rules import governance as g
from pubcredit.rules.calendar import WorkCalendar
from pubcredit.rules.errors import DomainError

SCORECARD = yaml.safe_load((RULEBOOK_DIR / "governance/scorecard.yaml").read_text(encoding="utf-8"))
TASKS = yaml.safe_load((RULEBOOK_DIR / "governance/tasks.yaml").read_text(encoding="utf-8"))
MONITORING = yaml.safe_load((RULEBOOK_DIR / "governance/monitoring.yaml").read_text(encoding="utf-8"))
RULE = g.parse_scorecard(SCORECARD).versions[0]
KEYS = list(RULE.figures)
# 2026 National Day: 10-01…10-07 off, Saturday 10-10 worked
CALENDAR = WorkCalendar.from_days(holidays=[dt.date(2026, 10, d) for d in range(1, 8)],
                                  workdays=[dt.date(2026, 10, 10)], covered_years=[2026])


def counts(**given_counts):
    return {k: given_counts.get(k, (0, 0)) for k in KEYS}


def test_a_met_target_wins_the_full_weight_and_a_shortfall_a_proportional_share():
    spec = RULE.figures["double_publicity_on_time"]  # share_ok, target 100 %
    assert g.score_figure("x", spec, total=10, failing=0, target=1.0).points == spec.weight
    half = g.score_figure("x", spec, total=10, failing=5, target=1.0)
    assert (half.value, half.points, half.status) == (0.5, spec.weight / 2, "red")
    rate = RULE.figures["rejection_rate"]  # share_failing, at most 5 %
    assert g.score_figure("x", rate, total=100, failing=5, target=0.05).status == "green"
    worst = g.score_figure("x", rate, total=100, failing=100, target=0.05)
    assert (worst.points, worst.status) == (0.0, "red")
    assert g.score_figure("x", rate, total=0, failing=0, target=0.05).status == "none"


def test_realtime_sharing_target_null_takes_the_sharing_rules_90_percent():
    card = g.score_card(counts(realtime_sharing=(10, 1)), RULE, default_target=0.9)
    realtime = next(f for f in card.figures if f.key == "realtime_sharing")
    assert (realtime.target, realtime.status) == (0.9, "green")  # 9 of 10 is exactly 90 %: met
    card = g.score_card(counts(realtime_sharing=(10, 2)), RULE, default_target=0.9)
    assert next(f for f in card.figures if f.key == "realtime_sharing").status == "red"


def test_the_score_counts_only_figures_with_data():
    assert g.score_card(counts(), RULE, default_target=0.9).score is None
    card = g.score_card(counts(realtime_sharing=(10, 0), double_publicity_on_time=(10, 5)), RULE, default_target=0.9)
    assert card.score == 75.0  # (20 + 10) / (20 + 20)
    with pytest.raises(ValueError):
        g.score_card({}, RULE, default_target=0.9)


def test_changing_one_weight_in_a_copied_rulebook_moves_the_score():
    data = copy.deepcopy(SCORECARD)
    data["versions"][0]["figures"]["double_publicity_on_time"]["weight"] = 60
    heavier = g.parse_scorecard(data).versions[0]
    given_counts = counts(realtime_sharing=(10, 0), double_publicity_on_time=(10, 5))
    assert g.score_card(given_counts, heavier, default_target=0.9).score == 62.5  # (20 + 30) / 80
    data["versions"][0]["figures"]["double_publicity_on_time"]["target"] = 0.5
    assert g.score_card(given_counts, g.parse_scorecard(data).versions[0], default_target=0.9).score == 100.0


@given(st.integers(0, 500), st.integers(0, 500))
def test_points_stay_within_zero_and_the_weight(total, failing):
    failing = min(failing, total)
    for key, spec in RULE.figures.items():
        score = g.score_figure(key, spec, total=total, failing=failing, target=spec.target or 0.9)
        assert score.points is None or 0 <= score.points <= spec.weight


@pytest.mark.parametrize("change, message", [
    (lambda d: d["versions"][0].update(bonus=1), "unknown key"),
    (lambda d: d["versions"].append(dict(d["versions"][0], version="2027.1", effective_from="2026-06-01")),
     "overlap"),
    (lambda d: d["versions"].append(dict(d["versions"][0])), "defined twice"),
    (lambda d: d["versions"][0]["figures"]["rejection_rate"].update(weight=0), "greater than 0"),
])
def test_the_scorecard_rulebook_refuses_unknown_keys_overlaps_and_bad_numbers(change, message):
    data = copy.deepcopy(SCORECARD)
    change(data)
    with pytest.raises(g.GovernanceRulebookError, match=message):
        g.parse_scorecard(data)


def test_the_shipped_rulebooks_load_with_all_tasks_and_both_safeguards():
    book = g.parse_tasks(TASKS, figure_keys=KEYS)
    assert [t.code for t in book.tasks if t.kind == "task"] == [f"T{n:02d}" for n in range(1, 16)]
    assert [t.title_zh for t in book.tasks if t.kind == "safeguard"] == ["加强组织领导", "强化监督检查"]
    task2 = next(t for t in book.tasks if t.code == "T02")
    assert task2.deadline == dt.date(2021, 12, 31) and "realtime_sharing" in task2.indicators
    every_key = {k for v in g.parse_scorecard(SCORECARD).versions for k in v.figures}
    monitoring = g.parse_monitoring(MONITORING, figure_keys=every_key)
    assert {i.figure for i in monitoring.indicators if i.figure} <= every_key
    assert {i.source for i in monitoring.indicators if i.source} == set(g.MONITORING_SOURCES)
    assert any(i.not_measured_zh for i in monitoring.indicators)


def test_a_task_without_a_responsible_unit_or_with_an_unknown_figure_is_refused():
    data = copy.deepcopy(TASKS)
    data["tasks"][0]["lead_units"] = []
    with pytest.raises(g.GovernanceRulebookError, match="no responsible unit"):
        g.parse_tasks(data, figure_keys=KEYS)
    data = copy.deepcopy(TASKS)
    data["tasks"][0]["indicators"] = ["sharing_rate_typo"]
    with pytest.raises(g.GovernanceRulebookError, match="unknown figure 'sharing_rate_typo'"):
        g.parse_tasks(data, figure_keys=KEYS)
    data = copy.deepcopy(MONITORING)
    data["indicators"][0]["figure"] = "nope"
    with pytest.raises(g.GovernanceRulebookError, match="unknown figure"):
        g.parse_monitoring(data, figure_keys=KEYS)


def test_a_monitoring_indicator_names_one_known_source_or_says_why_not():
    data = copy.deepcopy(MONITORING)
    data["indicators"] = [{"level1": "营商环境", "level2": "惠民便企", "name_zh": "信易贷", "points": 13,
                           "source": "lending_typo"}]
    with pytest.raises(g.GovernanceRulebookError, match="unknown source 'lending_typo'"):
        g.parse_monitoring(data, figure_keys=KEYS)
    data["indicators"][0]["not_measured_zh"] = "未接入"
    with pytest.raises(g.GovernanceRulebookError, match="exactly one of figure, source or not_measured_zh"):
        g.parse_monitoring(data, figure_keys=KEYS)


def test_an_indicator_scores_its_points_by_the_figures_attainment():
    indicator = g.Indicator(level1="a", level2="b", name_zh="双公示", points=7, figure="double_publicity_on_time")
    spec = RULE.figures["double_publicity_on_time"]
    assert g.indicator_points(indicator, g.score_figure("x", spec, total=4, failing=1, target=1.0)) == 5.25
    assert g.indicator_points(indicator, g.score_figure("x", spec, total=0, failing=0, target=1.0)) is None


def test_task_moves_follow_the_table():
    assert g.task_move("not_started", "in_progress") == "in_progress"
    assert g.task_move("done", "in_progress") == "in_progress"
    with pytest.raises(DomainError) as err:
        g.task_move("done", "not_started")
    assert err.value.field == "status" and "已完成" in err.value.message_zh


def test_zibo_31_safeguard_1_monthly_dispatch_is_overdue_after_the_5th_working_day_across_national_day():
    """September's progress is due on the 5th working day of October: 10-08, 09, 10 (Saturday, worked), 12, 13."""
    def overdue(today, reported=()):
        return g.task_overdue(status="in_progress", deadline=None, recurrence="monthly", reported_periods=reported,
                              today=today, calendar=CALENDAR, due_working_day=5)[0]

    assert g.task_report_due("monthly", dt.date(2026, 10, 9), CALENDAR, 5) == (dt.date(2026, 9, 1),
                                                                                 dt.date(2026, 10, 13))
    assert not overdue(dt.date(2026, 10, 13))
    assert overdue(dt.date(2026, 10, 14))
    assert not overdue(dt.date(2026, 10, 14), reported=[dt.date(2026, 9, 1)])


def test_a_one_off_task_is_overdue_after_its_deadline_unless_done():
    args = dict(recurrence="", reported_periods=[], calendar=CALENDAR, due_working_day=5,
                deadline=dt.date(2021, 12, 31))
    assert g.task_overdue(status="in_progress", today=dt.date(2022, 1, 1), **args)[0]
    assert not g.task_overdue(status="in_progress", today=dt.date(2021, 12, 31), **args)[0]
    assert not g.task_overdue(status="done", today=dt.date(2022, 1, 1), **args)[0]


def test_months():
    assert g.month_end(dt.date(2026, 12, 5)) == dt.date(2026, 12, 31)
    assert g.months_back(dt.date(2026, 2, 10), 3) == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
