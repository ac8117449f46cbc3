"""Graded supervision and verifiable draws as pure rules (rules/supervision.py), named after the Zibo policy
(淄政办字〔2021〕31号 第5项) and the 双随机 mechanics (domain/rules.md §4)."""

from __future__ import annotations

import secrets
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules.errors import DomainError
from pubcredit.rules.supervision import (
    Candidate, InspectorFact, assign_inspectors, candidates_hash, commit_seed, draw, eligibility, parse_rulebook,
    stratum_size, verify,
)

BOOK = parse_rulebook(load_yaml("supervision/rules.yaml"))
SEED = "11" * 32


def elig(class_code, *, trigger="random", special=False, ratio="10", drawn=0, book=BOOK):
    return eligibility(class_code=class_code, trigger=trigger, special_domain=special, base_ratio=Decimal(ratio),
                       random_draws_this_year=drawn, book=book)


def test_zibo_item5_honest_not_disturbed_by_general_random_items():
    verdict = elig("honest")
    assert not verdict.eligible and "非请勿扰" in verdict.reason_zh


def test_zibo_item5_special_domains_draw_honest_subjects_too():
    assert elig("honest", special=True).eligible


@pytest.mark.parametrize("trigger", ["complaint", "referral", "higher_level"])
def test_zibo_item5_complaints_referrals_and_higher_level_arrangements_are_outside_class_rules(trigger):
    assert elig("honest", trigger=trigger).eligible
    assert elig("minor", trigger=trigger, drawn=5).eligible


@pytest.mark.parametrize("class_code", ["minor", "general"])
def test_zibo_item5_minor_and_general_at_most_one_random_joint_inspection_a_year(class_code):
    assert elig(class_code, drawn=0).eligible
    refused = elig(class_code, drawn=1)
    assert not refused.eligible and "上限1次" in refused.reason_zh


def test_zibo_item5_serious_inspected_at_a_higher_ratio_without_a_cap():
    serious = elig("serious", ratio="10", drawn=7)
    assert serious.eligible and serious.ratio == Decimal("30.00") > elig("minor", ratio="10").ratio
    assert elig("serious", ratio="50").ratio == Decimal("100")  # never above 100 %


def test_unevaluated_subjects_are_drawn_at_the_base_ratio():
    assert elig(None, ratio="7").ratio == Decimal("7.00")


def test_rulebook_refuses_unknown_keys_and_missing_classes():
    data = load_yaml("supervision/rules.yaml")
    with pytest.raises(ValueError, match="classes.honest.colour"):
        parse_rulebook(data | {"classes": data["classes"] | {"honest": data["classes"]["honest"] | {"colour": 1}}})
    with pytest.raises(ValueError, match="missing"):
        parse_rulebook(data | {"classes": {k: v for k, v in data["classes"].items() if k != "serious"}})


def test_changing_a_multiplier_in_a_copied_rulebook_moves_the_ratio():
    data = load_yaml("supervision/rules.yaml")
    data["classes"]["general"]["ratio_multiplier"] = 4
    assert elig("general", ratio="10", book=parse_rulebook(data)).ratio == Decimal("40.00")


def test_stratum_size_rounds_up():
    assert stratum_size(10, Decimal("5")) == 1 and stratum_size(40, Decimal("5")) == 2
    assert stratum_size(3, Decimal("100")) == 3


def candidates(n, ratio="20"):
    return [Candidate(f"KEY{i:04d}", Decimal(ratio)) for i in range(n)]


def test_draw_is_reproducible_and_takes_each_stratum_size():
    pool = candidates(50, "10") + [Candidate(f"SER{i:03d}", Decimal("30")) for i in range(10)]
    first, again = draw(SEED, pool), draw(SEED, list(reversed(pool)))
    assert [d.key for d in first] == [d.key for d in again]
    assert sum(d.key.startswith("KEY") for d in first) == 5 and sum(d.key.startswith("SER") for d in first) == 3
    assert [d.position for d in first] == list(range(1, 9))
    assert [d.key for d in draw("22" * 32, pool)] != [d.key for d in first]


def test_verification_passes_for_a_real_draw():
    pool = candidates(30)
    seed = secrets.token_hex(32)
    published = {"commitment": commit_seed(seed), "published_list_hash": candidates_hash(pool)}
    result = verify(**published, seed_hex=seed, candidates=[c.as_dict() for c in pool],
                    drawn_keys=[d.key for d in draw(seed, pool)])
    assert result.matches and all(ok for _, ok, _ in result.checks)


def _real(pool, seed=SEED):
    return {"commitment": commit_seed(seed), "published_list_hash": candidates_hash(pool), "seed_hex": seed,
            "candidates": [c.as_dict() for c in pool], "drawn_keys": [d.key for d in draw(seed, pool)]}


def test_verification_fails_for_a_tampered_list():
    pool = candidates(30)
    data = _real(pool)
    data["candidates"] = [c | {"ratio": "50.00"} if c["key"] == "KEY0003" else c for c in data["candidates"]]
    assert not verify(**data).matches


def test_verification_fails_for_a_swapped_seed():
    pool = candidates(30)
    data = _real(pool)
    other = "33" * 32
    data["seed_hex"], data["drawn_keys"] = other, [d.key for d in draw(other, pool)]
    result = verify(**data)
    assert not result.matches and [name for name, ok, _ in result.checks if not ok] == ["种子的SHA-256与事先公布的承诺值一致"]


def test_verification_fails_for_an_added_candidate():
    pool = candidates(30)
    data = _real(pool)
    data["candidates"] = data["candidates"] + [{"key": "KEY9999", "ratio": "20.00"}]
    assert not verify(**data).matches


def test_verification_fails_when_the_drawn_list_was_edited():
    pool = candidates(30)
    data = _real(pool)
    data["drawn_keys"] = data["drawn_keys"][:-1] + ["KEY0029" if data["drawn_keys"][-1] != "KEY0029" else "KEY0028"]
    assert not verify(**data).matches


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text("ABCDEFGHJK0123456789", min_size=3, max_size=8), min_size=1, max_size=40, unique=True),
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2))
def test_draw_property_the_drawn_are_candidates_and_count_is_the_stratum_size(keys, ratio):
    pool = [Candidate(k, ratio) for k in keys]
    drawn = draw(SEED, pool)
    assert {d.key for d in drawn} <= set(keys) and len(drawn) == stratum_size(len(keys), ratio)
    assert verify(**_real(pool)).matches


def inspector(key, dept="1", quals=("食品",), conflicts=()):
    return InspectorFact(key, dept, frozenset(quals), frozenset(conflicts))


def test_two_inspectors_per_object_qualified_unconflicted_and_of_the_task_departments():
    pool = [inspector("A"), inspector("B", conflicts={"OBJ"}), inspector("C", quals=("药品",)),
            inspector("D", dept="9"), inspector("E")]
    team = assign_inspectors(SEED, "OBJ", ["食品"], ["1"], pool, 2)
    assert sorted(team) == ["A", "E"]


def test_a_joint_team_covers_every_domain():
    pool = [inspector("A"), inspector("B"), inspector("C", quals=("特种设备",))]
    team = assign_inspectors(SEED, "OBJ", ["食品", "特种设备"], ["1"], pool, 2)
    assert "C" in team and len(team) >= 2


def test_too_few_inspectors_is_refused():
    with pytest.raises(DomainError) as caught:
        assign_inspectors(SEED, "OBJ", ["食品"], ["1"], [inspector("A"), inspector("B", conflicts={"OBJ"})], 2)
    assert caught.value.code == "supervision.too_few_inspectors" and caught.value.field == "inspectors"
