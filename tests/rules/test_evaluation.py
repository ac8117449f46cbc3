"""Public credit comprehensive evaluation (公共信用综合评价): the scorecard's validation and the pure engine.

Frame from 《山东省公共信用综合评价办法》(2022) (domain/rules.md §5.1): 1000 base points, seven grades in four
classes, organisations only. Severity classes from NDRC Order 36 arts. 8–10; repair from art. 3.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.rules.evaluation import (
    GRADE_CLASS,
    Frames,
    ScorecardBook,
    ScorecardError,
    parse_scorecard,
    score_partition,
)

CARD_PATH = Path(__file__).resolve().parents[2] / "src/pubcredit/rulebook/scorecards/zibo-v1.yaml"
RAW = yaml.safe_load(CARD_PATH.read_text(encoding="utf-8"))
CARD = parse_scorecard(RAW)
AS_OF = dt.date(2026, 9, 30)
ORG = {"subject_id": 1, "kind": "legal_person"}


def penalty(record_id: int, day: dt.date, severity: str = "general", *, repaired: bool = False,
            revoked: bool = False, subject_id: int = 1) -> dict:
    return {"record_id": record_id, "subject_id": subject_id, "class_code": "admin_penalty", "decision_date": day,
            "severity": severity, "repaired": repaired, "revoked": revoked}


def entry(entry_id: int, list_code: str, start: dt.date, removed_on: dt.date | None = None,
          reason: str | None = None, subject_id: int = 1) -> dict:
    return {"entry_id": entry_id, "subject_id": subject_id, "list_code": list_code, "effective_date": start,
            "removed_on": removed_on, "removal_reason": reason}


def score_one(records=(), entries=(), card=CARD, as_of=AS_OF):
    scored = score_partition(Frames.of([ORG], records, entries), card, as_of)
    row = scored.scores.row(0, named=True)
    return row, scored.lines


# --- the scorecard file ---------------------------------------------------------------------------------------


def test_default_zibo_scorecard_loads_with_base_1000_and_seven_grades_in_four_classes():
    assert CARD.base_score == 1000
    assert [g.grade for g in CARD.grades] == ["A+", "A", "B", "C", "C-", "D", "D-"]
    assert {GRADE_CLASS[g].value for g in ("A+", "A")} == {"honest"} and GRADE_CLASS["B"].value == "minor"
    assert "natural_person" not in CARD.evaluated_kinds


def test_unknown_key_is_refused():
    bad = copy.deepcopy(RAW)
    bad["items"][0]["weight"] = 3
    with pytest.raises(ScorecardError, match="items.0"):
        parse_scorecard(bad)


def test_overlapping_thresholds_are_refused():
    bad = copy.deepcopy(RAW)
    bad["grades"][2]["min_score"] = bad["grades"][1]["min_score"]
    with pytest.raises(ScorecardError, match="overlap"):
        parse_scorecard(bad)


def test_points_that_can_leave_the_declared_range_are_refused():
    bad = copy.deepcopy(RAW)
    bad["categories"][2]["cap"] = 500
    for item in bad["items"]:
        if item["code"] == "integrity_honor":
            item["cap"] = 500
    with pytest.raises(ScorecardError, match="outside"):
        parse_scorecard(bad)


def test_item_reading_an_unknown_class_or_list_is_refused():
    with pytest.raises(ScorecardError, match="items.0.class_codes"):
        parse_scorecard(RAW, known_classes=frozenset({"admin_license"}), known_lists=frozenset())
    with pytest.raises(ScorecardError, match="list_codes"):
        parse_scorecard(RAW, known_classes=frozenset({"admin_penalty"}), known_lists=frozenset({"tax_a_level"}))


def test_versions_whose_effective_dates_overlap_are_refused():
    later = parse_scorecard({**RAW, "version": "zibo-v2", "effective_from": "2026-01-01"})
    with pytest.raises(ScorecardError, match="overlap"):
        ScorecardBook((CARD, later))
    closed = parse_scorecard({**RAW, "effective_to": "2025-12-31"})
    book = ScorecardBook((later, closed))
    assert book.for_day(dt.date(2025, 6, 30)).version == "zibo-v1"
    assert book.for_day(dt.date(2026, 3, 31)).version == "zibo-v2"


# --- items ----------------------------------------------------------------------------------------------------


def test_clean_organisation_scores_the_base_and_grade_a():
    row, lines = score_one()
    assert (row["score"], row["grade"], row["class_name_zh"]) == (1000, "A", "诚信守法") and lines.is_empty()


def test_natural_persons_are_never_graded():
    scored = score_partition(Frames.of([{"subject_id": 9, "kind": "natural_person"}],
                                       [penalty(1, dt.date(2026, 5, 1), subject_id=9)]), CARD, AS_OF)
    assert scored.scores.is_empty() and scored.lines.is_empty()


def test_order_36_art_9_general_penalty_costs_60_and_gives_class_general():
    row, lines = score_one([penalty(1, dt.date(2026, 5, 1))])
    assert (row["score"], row["grade"], row["class_code"]) == (940, "C", "general")
    assert lines["points"].to_list() == [-60]


@pytest.mark.parametrize(("decided", "factor"), [
    (dt.date(2025, 10, 1), 1.0),  # inside 12 months
    (dt.date(2025, 9, 30), 0.6),  # exactly 12 months before: the first window is left
    (dt.date(2024, 10, 1), 0.6),
    (dt.date(2024, 9, 30), 0.3),
    (dt.date(2023, 10, 1), 0.3),
    (dt.date(2023, 9, 30), None),  # past 36 months: no line at all
])
def test_decay_at_the_window_boundaries(decided, factor):
    _, lines = score_one([penalty(1, decided)])
    if factor is None:
        assert lines.is_empty()
    else:
        assert lines["decay_factor"].to_list() == [factor]
        assert lines["points"].to_list() == [round(-60 * factor, 2)]


def test_repeat_within_12_months_counts_one_and_a_half():
    _, lines = score_one([penalty(1, dt.date(2026, 1, 10)), penalty(2, dt.date(2026, 6, 1))])
    assert lines.sort("source_id")["points"].to_list() == [-60, -90]
    _, apart = score_one([penalty(1, dt.date(2025, 1, 10)), penalty(2, dt.date(2026, 6, 1))])
    assert sorted(apart["points"].to_list()) == [-60, -36]


def test_order_36_art_3_repaired_penalty_counts_as_repaired_not_as_a_violation():
    row, lines = score_one([penalty(1, dt.date(2026, 5, 1), "serious", repaired=True)])
    assert row["score"] == 1000
    assert lines["repaired"].to_list() == [True] and "已信用修复" in lines["note_zh"][0]


def negative_zeros(lines) -> list[float]:
    return [p for p in lines["points"].to_list() if p == 0 and math.copysign(1.0, p) < 0]


def test_a_repaired_or_fully_decayed_line_scores_plus_zero_not_minus_zero():
    # −220 × 1 × 0 (repaired) and −60 × 0 (decayed past the widest window) × 0: both computed −0.0, which the
    # explanation showed as "-0.0" and PostgreSQL's jsonb gave back as 0
    row, lines = score_one([penalty(1, dt.date(2026, 5, 1), "serious", repaired=True),
                            penalty(2, dt.date(2022, 1, 3), "general", repaired=True)])
    assert lines.sort("source_id")["points"].to_list() == [0.0, 0.0] and negative_zeros(lines) == []
    assert lines.sort("source_id")["decay_factor"].to_list() == [1.0, 0.0]
    assert row["score"] == CARD.base_score + lines["points"].sum() == 1000


def test_revoked_record_counts_for_nothing():
    row, lines = score_one([penalty(1, dt.date(2026, 5, 1), revoked=True)])
    assert row["score"] == 1000 and lines.is_empty()


def test_item_cap_adds_an_adjustment_line_and_lines_still_sum():
    records = [penalty(i, dt.date(2026, 1, 1) + dt.timedelta(days=i), "minor") for i in range(1, 6)]
    row, lines = score_one(records)
    assert row["score"] == 970  # 5 × −10 capped at −30
    assert lines.filter(source_kind="item")["points"].to_list() == [20]


def test_list_entry_in_force_and_removed_by_repair():
    row, _ = score_one(entries=[entry(1, "business_anomaly", dt.date(2026, 4, 1))])
    assert (row["score"], row["class_code"]) == (960, "minor")
    row, lines = score_one(entries=[entry(1, "business_anomaly", dt.date(2026, 4, 1), dt.date(2026, 8, 1),
                                          "repaired")])
    assert row["score"] == 1000 and lines["repaired"].to_list() == [True]
    row, lines = score_one(entries=[entry(1, "business_anomaly", dt.date(2026, 4, 1), dt.date(2026, 8, 1),
                                          "expired")])
    assert row["score"] == 1000 and lines.is_empty()


def test_order_36_art_10_serious_list_entry_means_class_serious_whatever_the_score():
    honours = [entry(i, "integrity_honor", dt.date(2026, 1, 1)) for i in (1, 2)] + \
        [entry(3, "tax_a_level", dt.date(2026, 1, 1))]
    cheap = copy.deepcopy(RAW)
    for item in cheap["items"]:
        if item["code"] == "serious_list":
            item["points"] = 1
    row, _ = score_one(entries=honours + [entry(4, "major_tax_violator", dt.date(2026, 2, 1))],
                       card=parse_scorecard(cheap))
    assert row["score"] == 1079 and row["grade"] == "D" and row["class_name_zh"] == "严重失信"
    assert "严重失信主体名单" in row["overrides"][0]
    row, _ = score_one(entries=honours)
    assert row["grade"] == "A+" and row["overrides"] == []


def test_changing_one_weight_in_a_copied_scorecard_moves_the_grade():
    records = [penalty(1, dt.date(2026, 5, 1))]
    assert score_one(records)[0]["grade"] == "C"
    lighter = copy.deepcopy(RAW)
    for item in lighter["items"]:
        if item["code"] == "penalty_general":
            item["points"] = 20
    assert score_one(records, card=parse_scorecard(lighter))[0]["grade"] == "A"


# --- properties -----------------------------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2022, 1, 1), max_value=AS_OF)
records_st = st.lists(st.tuples(days, st.sampled_from(["minor", "general", "serious"]), st.booleans()), max_size=12)
entries_st = st.lists(st.tuples(st.sampled_from(["business_anomaly", "court_dishonest_debtor", "integrity_honor",
                                                 "tax_a_level", "samr_serious_violation"]), days,
                                st.sampled_from([None, "repaired", "expired"])), max_size=6)


def build(recs, ents):
    records = [penalty(i, d, s, repaired=r) for i, (d, s, r) in enumerate(recs)]
    entries = [entry(i, code, start, None if reason is None else min(start + dt.timedelta(days=90), AS_OF), reason)
               for i, (code, start, reason) in enumerate(ents)]
    return records, entries


@settings(max_examples=60, deadline=None)
@given(recs=records_st, ents=entries_st)
def test_score_is_bounded_and_the_explanation_sums_to_it(recs, ents):
    records, entries = build(recs, ents)
    row, lines = score_one(records, entries)
    assert CARD.score_min <= row["score"] <= CARD.score_max
    assert abs(CARD.base_score + lines["points"].sum() - row["score"]) < 1e-6
    assert row["grade"] in GRADE_CLASS
    assert negative_zeros(lines) == []


@settings(max_examples=60, deadline=None)
@given(recs=records_st, ents=entries_st, extra=st.tuples(days, st.sampled_from(["minor", "general", "serious"])))
def test_adding_a_violation_never_raises_the_score(recs, ents, extra):
    records, entries = build(recs, ents)
    before = score_one(records, entries)[0]
    after = score_one(records + [penalty(999, extra[0], extra[1])], entries)[0]
    assert after["score"] <= before["score"]
    assert list(GRADE_CLASS).index(after["grade"]) >= list(GRADE_CLASS).index(before["grade"])


@settings(max_examples=60, deadline=None)
@given(recs=records_st, ents=entries_st, extra=st.tuples(days, st.sampled_from(["minor", "general", "serious"])))
def test_a_repaired_item_never_costs_more_than_an_unrepaired_one(recs, ents, extra):
    records, entries = build(recs, ents)
    repaired = score_one(records + [penalty(999, extra[0], extra[1], repaired=True)], entries)[0]
    unrepaired = score_one(records + [penalty(999, extra[0], extra[1])], entries)[0]
    assert repaired["score"] >= unrepaired["score"]


@settings(max_examples=30, deadline=None)
@given(recs=records_st, ents=entries_st)
def test_scoring_subjects_together_equals_scoring_each_alone(recs, ents):
    records, entries = build(recs, ents)
    twin = [{**r, "subject_id": 2, "record_id": r["record_id"] + 1000} for r in records]
    twin_entries = [{**e, "subject_id": 2, "entry_id": e["entry_id"] + 1000} for e in entries]
    together = score_partition(Frames.of([ORG, {"subject_id": 2, "kind": "legal_person"}], records + twin,
                                         entries + twin_entries), CARD, AS_OF).scores
    alone = score_one(records, entries)[0]
    for row in together.iter_rows(named=True):
        assert (row["score"], row["grade"]) == (alone["score"], alone["grade"])
