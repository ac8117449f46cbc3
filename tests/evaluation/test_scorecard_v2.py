"""Scorecard zibo-v2 on hand-built subjects (pure engine, no database): the spot-check and breach items, their
decay at the boundaries, and zibo-v1 unchanged for the quarters before."""

from __future__ import annotations

import datetime as dt

import yaml

from pubcredit.evaluation.rulebook import SCORECARD_DIR
from pubcredit.rules.evaluation import Frames, parse_scorecard, score_partition

V1 = parse_scorecard(yaml.safe_load((SCORECARD_DIR / "zibo-v1.yaml").read_text(encoding="utf-8")))
V2 = parse_scorecard(yaml.safe_load((SCORECARD_DIR / "zibo-v2.yaml").read_text(encoding="utf-8")))
AS_OF = dt.date(2026, 12, 31)
ORG = {"subject_id": 1, "kind": "legal_person"}


def record(record_id, class_code, day, severity=None, *, repaired=False):
    return {"record_id": record_id, "subject_id": 1, "class_code": class_code, "decision_date": day,
            "severity": severity, "repaired": repaired, "revoked": False}


def score(records, card=V2):
    scored = score_partition(Frames.of([ORG], records), card, AS_OF)
    return scored.scores.row(0, named=True), scored.lines


def test_samr_order_107_art_10_a_spot_check_negative_counts_fully_for_three_months_then_half_until_twelve():
    row, lines = score([record(1, "spot_check_result", dt.date(2026, 10, 1))])
    assert (row["score"], lines["decay_factor"].to_list()) == (975, [1.0])
    row, lines = score([record(1, "spot_check_result", dt.date(2026, 9, 30))])  # exactly 3 months: left the step
    assert (row["score"], lines["decay_factor"].to_list()) == (987.5, [0.5])
    row, lines = score([record(1, "spot_check_result", dt.date(2025, 12, 31))])  # exactly 12 months: gone
    assert (row["score"], lines.is_empty()) == (1000, True)


def test_spot_check_negatives_are_capped_at_75_points():
    row, lines = score([record(n, "spot_check_result", dt.date(2026, 12, n)) for n in range(1, 6)])
    assert row["score"] == 925 and lines["points"].sum() == -75
    assert "封顶调整" in lines.filter(lines["source_id"].is_null())["item_name_zh"][0]


def test_a_repaired_spot_check_negative_counts_as_repaired():
    row, lines = score([record(1, "spot_check_result", dt.date(2026, 12, 1), repaired=True)])
    assert row["score"] == 1000 and lines["repaired"].to_list() == [True]


def test_order_36_arts_8_to_10_breaches_cost_what_a_penalty_of_the_same_severity_costs():
    for severity, points, grade in (("minor", 10, "A"), ("general", 60, "C"), ("serious", 220, "D")):
        breach, _ = score([record(1, "commitment_breach", dt.date(2026, 11, 20), severity)])
        penalty, _ = score([record(1, "admin_penalty", dt.date(2026, 11, 20), severity)])
        assert breach["score"] == penalty["score"] == 1000 - points and breach["grade"] == grade


def test_a_repeated_general_breach_within_12_months_counts_one_and_a_half():
    row, lines = score([record(1, "commitment_breach", dt.date(2026, 3, 2), "general"),
                        record(2, "commitment_breach", dt.date(2026, 11, 20), "general")])
    assert lines["points"].to_list() == [-60, -90] and row["grade"] == "C-"


def test_a_breach_with_no_assessed_severity_is_not_scored():
    row, lines = score([record(1, "commitment_breach", dt.date(2026, 11, 20), None)])
    assert row["score"] == 1000 and lines.is_empty()


def test_zibo_v1_ignores_the_new_classes_so_its_runs_replay_unchanged():
    records = [record(1, "spot_check_result", dt.date(2026, 12, 1)),
               record(2, "commitment_breach", dt.date(2026, 12, 1), "serious")]
    row, lines = score(records, V1)
    assert row["score"] == 1000 and lines.is_empty()


def test_zibo_v2_minus_caps_keep_every_score_in_range():
    minus = sum(c.cap for c in V2.categories if c.direction == "minus")
    plus = sum(c.cap for c in V2.categories if c.direction == "plus")
    assert V2.base_score - minus >= V2.score_min and V2.base_score + plus <= V2.score_max


# --- incremental = full, on the engine: subjects never interact, so re-scoring a few equals scoring all ---------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_record = st.fixed_dictionaries({
    "subject_id": st.integers(1, 6),
    "class_code": st.sampled_from(["admin_penalty", "commitment_breach", "spot_check_result"]),
    "decision_date": st.dates(dt.date(2023, 1, 1), AS_OF),
    "severity": st.sampled_from([None, "minor", "general", "serious"]),
    "repaired": st.booleans(), "revoked": st.booleans()})
_entry = st.fixed_dictionaries({
    "subject_id": st.integers(1, 6),
    "list_code": st.sampled_from(["business_anomaly", "samr_serious_violation", "integrity_honor", "tax_a_level"]),
    "effective_date": st.dates(dt.date(2023, 1, 1), AS_OF), "removed_on": st.none() | st.dates(dt.date(2023, 1, 1)),
    "removal_reason": st.sampled_from([None, "repaired", "expired"])})


@settings(max_examples=60, deadline=None)
@given(records=st.lists(_record, max_size=25), entries=st.lists(_entry, max_size=10),
       changed=st.sets(st.integers(1, 6), min_size=1))
def test_scoring_the_changed_subjects_alone_equals_their_rows_in_a_full_partition(records, entries, changed):
    records = [{**r, "record_id": i} for i, r in enumerate(records, 1)]
    entries = [{**e, "entry_id": i, "list_name_zh": None} for i, e in enumerate(entries, 1)]
    subjects = [{"subject_id": n, "kind": "legal_person"} for n in range(1, 7)]
    full = score_partition(Frames.of(subjects, records, entries), V2, AS_OF)
    some = score_partition(Frames.of([s for s in subjects if s["subject_id"] in changed],
                                     [r for r in records if r["subject_id"] in changed],
                                     [e for e in entries if e["subject_id"] in changed]), V2, AS_OF)
    wanted = full.scores.filter(full.scores["subject_id"].is_in(sorted(changed)))
    assert some.scores.to_dicts() == wanted.to_dicts()
    assert some.lines.to_dicts() == full.lines.filter(full.lines["subject_id"].is_in(sorted(changed))).to_dicts()
