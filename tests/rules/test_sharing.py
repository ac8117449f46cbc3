"""Real-time sharing (实时共享): Zibo 31号 (淄政办字〔2021〕31号 item 2): ≥ 90 % of departments sharing in real time.

The rule for one department and the city rate are pure functions of plain counts; the numbers come from
``rulebook/sharing.yaml``.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pubcredit.rules.sharing import (
    STATUS_LABELS,
    SharingRule,
    SharingRulebookError,
    SharingStatus,
    city_sharing,
    parse_rulebook,
    realtime_sharing,
    window,
)

RULEBOOK_FILE = Path(__file__).resolve().parents[2] / "src" / "pubcredit" / "rulebook" / "sharing.yaml"
RAW = yaml.safe_load(RULEBOOK_FILE.read_text(encoding="utf-8"))
RULE = parse_rulebook(RAW).rule_on(dt.date(2026, 11, 20))

counts = st.integers(min_value=0, max_value=5000)


@st.composite
def department_counts(draw):
    new = draw(counts)
    return new, draw(st.integers(min_value=0, max_value=new)), draw(counts)


def test_rulebook_in_force_says_30_days_90_percent_one_record_goal_90_percent():
    """Zibo 31号 item 2: the goal is 90 %; the platform's test for a department is 90 % on time in 30 days."""
    assert (RULE.window_days, RULE.on_time_share, RULE.min_records, RULE.goal_share) == (30, 0.9, 1, 0.9)
    assert RULE.rule_version == "realtime_sharing@2026.1"
    assert "31号" in RAW["basis"]


def test_window_is_the_30_calendar_days_ending_today():
    assert window(dt.date(2026, 11, 20), RULE) == (dt.date(2026, 10, 22), dt.date(2026, 11, 20))


def test_zibo_31_exactly_90_percent_on_time_shares_in_real_time():
    """9 of 10 on time is exactly 90 %: sharing (no floating-point miss at the threshold)."""
    outcome = realtime_sharing(new_records=10, on_time=9, rule=RULE)
    assert outcome.status == SharingStatus.SHARING and outcome.on_time_share == 0.9
    assert "（90.0%），达到90%" in outcome.reason_zh and outcome.rule_version == "realtime_sharing@2026.1"
    assert outcome.label == "实时共享"


def test_zibo_31_below_90_percent_does_not_share():
    outcome = realtime_sharing(new_records=11, on_time=9, rule=RULE)
    assert outcome.status == SharingStatus.NOT_SHARING
    assert "81.8%" in outcome.reason_zh and "低于90%" in outcome.reason_zh and "below 90%" in outcome.reason_en


def test_zibo_31_no_decision_in_the_window_is_no_data_not_failing():
    outcome = realtime_sharing(new_records=0, on_time=0, rejected_rows=0, rule=RULE)
    assert outcome.status == SharingStatus.NO_DATA and outcome.on_time_share is None
    assert "不参与统计" in outcome.reason_zh and STATUS_LABELS[outcome.status] == "无数据"


def test_zibo_31_every_row_refused_is_not_sharing():
    """Refused rows show decisions the department tried to send: nothing accepted is a failure, not "no data"."""
    outcome = realtime_sharing(new_records=0, on_time=0, rejected_rows=4, rule=RULE)
    assert outcome.status == SharingStatus.NOT_SHARING and "均被退回" in outcome.reason_zh


def test_zibo_31_too_few_new_records_when_the_minimum_is_raised():
    rule = RULE.model_copy(update={"min_records": 5})
    outcome = realtime_sharing(new_records=3, on_time=3, rule=rule)
    assert outcome.status == SharingStatus.NOT_SHARING and "少于5条" in outcome.reason_zh


@pytest.mark.parametrize("new, on_time, rejected", [(1, 2, 0), (-1, 0, 0), (3, 1, -2)])
def test_inconsistent_counts_are_refused(new, on_time, rejected):
    with pytest.raises(ValueError):
        realtime_sharing(new_records=new, on_time=on_time, rejected_rows=rejected, rule=RULE)


@given(department_counts())
def test_zibo_31_property_verdict_matches_the_definition(c):
    """Sharing ⇔ new records ≥ min and on_time/new ≥ 90 % (exact); no data ⇔ no new record and no refused row."""
    new, on_time, rejected = c
    status = realtime_sharing(new_records=new, on_time=on_time, rejected_rows=rejected, rule=RULE).status
    if new == 0 and rejected == 0:
        assert status == SharingStatus.NO_DATA
    elif new >= RULE.min_records and on_time * 10 >= 9 * new:
        assert status == SharingStatus.SHARING
    else:
        assert status == SharingStatus.NOT_SHARING


@given(department_counts())
def test_zibo_31_property_one_more_on_time_record_never_hurts(c):
    new, on_time, rejected = c
    before = realtime_sharing(new_records=new, on_time=on_time, rejected_rows=rejected, rule=RULE).status
    after = realtime_sharing(new_records=new + 1, on_time=on_time + 1, rejected_rows=rejected, rule=RULE).status
    assert after == SharingStatus.SHARING or before != SharingStatus.SHARING


@given(department_counts())
def test_zibo_31_property_refused_rows_never_change_a_verdict_on_new_records(c):
    new, on_time, rejected = c
    if new:
        assert (realtime_sharing(new_records=new, on_time=on_time, rejected_rows=rejected, rule=RULE).status
                == realtime_sharing(new_records=new, on_time=on_time, rule=RULE).status)


# -- the city rate -------------------------------------------------------------------------------------------

S, N, X = SharingStatus.SHARING, SharingStatus.NOT_SHARING, SharingStatus.NO_DATA


def test_zibo_31_city_rate_five_of_six_is_83_3_percent_below_the_goal():
    outcome = city_sharing([S] * 5 + [N] + [X] * 3, rule=RULE)
    assert (outcome.departments, outcome.sharing, outcome.not_sharing, outcome.no_data) == (9, 5, 1, 3)
    assert round(outcome.share, 4) == 0.8333 and outcome.meets_goal is False
    assert "83.3%" in outcome.reason_zh and "未达到目标 ≥ 90%" in outcome.reason_zh


def test_zibo_31_city_rate_nine_of_ten_meets_the_goal_exactly():
    outcome = city_sharing(["sharing"] * 9 + ["not_sharing"], rule=RULE)
    assert outcome.share == 0.9 and outcome.meets_goal is True and "达到目标" in outcome.reason_zh


def test_zibo_31_city_rate_without_any_data_is_unknown_not_zero():
    outcome = city_sharing([X, X], rule=RULE)
    assert outcome.share is None and outcome.meets_goal is None and outcome.counted == 0


@given(st.lists(st.sampled_from(list(SharingStatus)), max_size=200), st.integers(min_value=0, max_value=20))
def test_zibo_31_property_departments_without_data_do_not_move_the_city_rate(statuses, extra_no_data):
    a = city_sharing(statuses, rule=RULE)
    b = city_sharing(statuses + [X] * extra_no_data, rule=RULE)
    assert (a.share, a.meets_goal) == (b.share, b.meets_goal)
    if a.counted:
        assert a.meets_goal == (a.sharing * 10 >= 9 * a.counted)


# -- the rulebook is data: checked, versioned, and changing a number moves the verdict -------------------------

def _versions(*entries):
    data = copy.deepcopy(RAW)
    data["versions"] = [dict(RAW["versions"][0], **e) for e in entries]
    return data


def test_changing_the_threshold_in_a_copied_rulebook_moves_the_verdict():
    """85 % on time: not sharing under 2026.1 (90 %), sharing under a version asking 80 % from 2027."""
    book = parse_rulebook(_versions({"effective_to": dt.date(2026, 12, 31)},
                                    {"version": "2027.1", "effective_from": dt.date(2027, 1, 1), "on_time_share": 0.8}))
    old, new = book.rule_on(dt.date(2026, 12, 31)), book.rule_on(dt.date(2027, 1, 1))
    assert realtime_sharing(new_records=20, on_time=17, rule=old).status == SharingStatus.NOT_SHARING
    outcome = realtime_sharing(new_records=20, on_time=17, rule=new)
    assert outcome.status == SharingStatus.SHARING and outcome.rule_version == "realtime_sharing@2027.1"


def test_changing_the_window_in_a_copied_rulebook_moves_the_window():
    rule = parse_rulebook(_versions({"window_days": 7})).rule_on(dt.date(2026, 11, 20))
    assert window(dt.date(2026, 11, 20), rule) == (dt.date(2026, 11, 14), dt.date(2026, 11, 20))


@pytest.mark.parametrize("change, message", [
    ({"versions": [dict(RAW["versions"][0], windw_days=30)]}, "unknown key"),
    ({"surprise": 1}, "unknown key"),
    ({"versions": [dict(RAW["versions"][0], on_time_share=1.5)]}, "on_time_share"),
    ({"versions": [dict(RAW["versions"][0], window_days=0)]}, "window_days"),
    ({"versions": [RAW["versions"][0], RAW["versions"][0]]}, "defined twice"),
    ({"versions": [RAW["versions"][0], dict(RAW["versions"][0], version="2027.1",
                                            effective_from=dt.date(2027, 1, 1))]}, "overlap"),
    ({"versions": [dict(RAW["versions"][0], effective_to=dt.date(2020, 1, 1))]}, "before"),
    ({"rule": "something_else"}, "rule must be"),
])
def test_rulebook_refuses_bad_files(change, message):
    with pytest.raises(SharingRulebookError, match=message):
        parse_rulebook({**RAW, **change})


def test_a_day_without_a_rule_in_force_is_an_error():
    with pytest.raises(SharingRulebookError, match="no real-time sharing rule"):
        parse_rulebook(RAW).rule_on(dt.date(2020, 1, 1))


def test_rule_model_is_frozen():
    with pytest.raises(Exception):
        RULE.window_days = 7  # type: ignore[misc]
    assert isinstance(RULE, SharingRule)
