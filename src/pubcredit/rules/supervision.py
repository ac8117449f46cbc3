"""Graded supervision (信用分级分类监管) and verifiable 双随机 draws as pure rules: the rulebook's shape, who a random
task may draw (class rules and the yearly cap), the per-stratum sample sizes, the commitment to a seed, the hash of
the frozen candidate list, the draw itself, the inspectors' assignment, and the check anyone can run on a
published draw.

No Django here: the supervision app reads the facts (classes, earlier draws, inspectors) and passes them in.

The draw is reproducible from published data only: ``seed`` (revealed after the draw), the frozen candidate list
(subject key and stratum ratio per line) and the task's base ratio. The platform commits to the seed
(``sha256(seed)``) and to the list (``sha256`` of its canonical form) before it draws, so it can change neither
afterwards without the published hashes giving it away.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pubcredit.rules.errors import DomainError

RESULT_LABELS = {"no_problem": "未发现问题", "corrected": "发现问题已责令改正", "referred": "移交处理",
                 "not_found": "未发现经营场所", "problem_pending": "发现问题待后续处理"}
# Results that become a negative credit record (抽查检查结果信息): SAMR Order 107 lists spot-check negatives among
# the repairable items, so they must exist as records first.
NEGATIVE_RESULTS = frozenset({"corrected", "referred", "not_found", "problem_pending"})
ITEM_KIND_LABELS = {"general": "一般检查事项", "key": "重点检查事项"}
STATUS_LABELS = {"draft": "待公布承诺", "committed": "已公布承诺，待抽取", "drawing": "抽取中", "drawn": "已抽取",
                 "closed": "已完成"}
# Task states are a table (DESIGN: state machines are tables): (state, event) → new state.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "commit"): "committed",
    ("committed", "start_draw"): "drawing",
    ("drawing", "drawn"): "drawn",
    ("drawing", "failed"): "committed",
    ("drawn", "close"): "closed",
}
SEED_BYTES = 32


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassRule(_Strict):
    name_zh: str
    general_items: bool  # may a graded random task outside the special domains draw this class
    ratio_multiplier: Decimal = Field(ge=0)
    yearly_random_cap: int | None = Field(default=None, ge=0)
    basis_zh: str


class Trigger(_Strict):
    name_zh: str
    graded: bool  # class rules and the yearly cap apply


class SupervisionRulebook(_Strict):
    version: str
    effective_from: dt.date
    basis_zh: str
    publication_working_days: int = Field(gt=0)
    inspectors_per_object: int = Field(ge=2)
    special_domains: dict[str, str] = Field(min_length=1)
    triggers: dict[str, Trigger]
    classes: dict[str, ClassRule]

    def class_rule(self, class_code: str | None) -> ClassRule:
        return self.classes.get(class_code or "unevaluated") or self.classes["unevaluated"]


REQUIRED_CLASSES = ("honest", "minor", "general", "serious", "unevaluated")


def parse_rulebook(data: Any) -> SupervisionRulebook:
    """Validate the rulebook file; a message names the field path."""
    try:
        book = SupervisionRulebook.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
    missing = [c for c in REQUIRED_CLASSES if c not in book.classes]
    if missing:
        raise ValueError(f"classes: missing {missing}")
    if "random" not in book.triggers or not book.triggers["random"].graded:
        raise ValueError("triggers.random: the random trigger must exist and be graded")
    return book


def rulebook_digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


# --- who may be drawn ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    ratio: Decimal  # the stratum's ratio in percent (0–100) when eligible
    reason_zh: str


def eligibility(*, class_code: str | None, trigger: str, special_domain: bool, base_ratio: Decimal,
                random_draws_this_year: int, book: SupervisionRulebook) -> Eligibility:
    """Zibo 31号 item 5: whether a random task may draw a subject of this class, and at which ratio."""
    rule = book.class_rule(class_code)
    ratio = min(Decimal(100), (Decimal(base_ratio) * rule.ratio_multiplier).quantize(Decimal("0.01"), ROUND_HALF_UP))
    graded = book.triggers[trigger].graded
    if not graded or special_domain:
        why = "特殊领域不受分级限制" if special_domain else f"{book.triggers[trigger].name_zh}不受分级限制"
        return Eligibility(True, ratio, why)
    if not rule.general_items:
        return Eligibility(False, Decimal(0), f"{rule.name_zh}：{rule.basis_zh}")
    if rule.yearly_random_cap is not None and random_draws_this_year >= rule.yearly_random_cap:
        return Eligibility(False, Decimal(0),
                           f"{rule.name_zh}：本年度已被随机抽取{random_draws_this_year}次（上限{rule.yearly_random_cap}次）")
    return Eligibility(True, ratio, f"{rule.name_zh}：按{ratio}%抽取")


# --- commitment, list hash, draw ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """One line of the frozen candidate list: the subject key (USCC) and the ratio of its stratum (percent)."""

    key: str
    ratio: Decimal

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "ratio": format(Decimal(self.ratio).quantize(Decimal("0.01")), "f")}


def commit_seed(seed_hex: str) -> str:
    """The published commitment: SHA-256 of the seed's bytes, hex."""
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def canonical_candidates(candidates: Iterable[Candidate]) -> list[dict[str, str]]:
    """The list in its one canonical order (by key), so its hash does not depend on how it was read."""
    return sorted((c.as_dict() for c in candidates), key=lambda d: d["key"])


def candidates_hash(candidates: Iterable[Candidate]) -> str:
    text = json.dumps(canonical_candidates(candidates), separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def order_key(seed_hex: str, key: str) -> str:
    """HMAC-SHA256(seed, subject key): the candidate's place in the random order (lowest first)."""
    return hmac.new(bytes.fromhex(seed_hex), key.encode("utf-8"), hashlib.sha256).hexdigest()


def stratum_size(count: int, ratio: Decimal) -> int:
    """How many of ``count`` candidates a stratum draws at ``ratio`` percent: rounded up, so a ratio above zero
    draws at least one."""
    return min(count, math.ceil(Decimal(count) * Decimal(ratio) / Decimal(100)))


@dataclass(frozen=True)
class Drawn:
    key: str
    ratio: Decimal
    order_key: str
    position: int  # 1-based, in draw order over all strata


def draw(seed_hex: str, candidates: Sequence[Candidate]) -> list[Drawn]:
    """The draw (双随机 第一随机): per stratum (same ratio), order by HMAC(seed, key) and take the stratum size; the
    union ordered by HMAC. The same seed and list always give the same result."""
    strata: dict[Decimal, list[Candidate]] = {}
    for candidate in candidates:
        strata.setdefault(Decimal(candidate.ratio).quantize(Decimal("0.01")), []).append(candidate)
    chosen: list[tuple[str, Candidate]] = []
    for ratio, members in strata.items():
        ranked = sorted(((order_key(seed_hex, c.key), c) for c in members), key=lambda t: (t[0], t[1].key))
        chosen.extend(ranked[:stratum_size(len(members), ratio)])
    chosen.sort(key=lambda t: (t[0], t[1].key))
    return [Drawn(c.key, Decimal(c.ratio), k, i) for i, (k, c) in enumerate(chosen, start=1)]


# --- inspectors (双随机 第二随机) -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class InspectorFact:
    key: str  # the inspector's staff number
    department: str
    qualifications: frozenset[str]  # domains
    conflicts: frozenset[str] = field(default_factory=frozenset)  # subject keys with a declared interest


def assign_inspectors(seed_hex: str, object_key: str, domains: Sequence[str], departments: Iterable[str],
                      inspectors: Sequence[InspectorFact], per_object: int) -> list[str]:
    """At least ``per_object`` inspectors for one object (rules.md §4.1): from the task's departments only, each
    qualified for one of the task's domains, none with a declared conflict (回避); every domain covered by one of
    them. Ordered by HMAC(seed, object|inspector) and taken greedily, so the team is random and reproducible.
    Raises DomainError ``supervision.too_few_inspectors`` when no such team exists."""
    allowed = set(departments)
    needed = set(domains)
    pool = [i for i in inspectors if i.department in allowed and i.qualifications & needed
            and object_key not in i.conflicts]
    pool.sort(key=lambda i: (order_key(seed_hex, f"{object_key}|{i.key}"), i.key))
    team: list[InspectorFact] = []
    uncovered = set(needed)
    for inspector in pool:  # first cover every domain …
        if inspector.qualifications & uncovered:
            team.append(inspector)
            uncovered -= inspector.qualifications
    for inspector in pool:  # … then fill the team up to the minimum
        if len(team) >= per_object:
            break
        if inspector not in team:
            team.append(inspector)
    if uncovered or len(team) < per_object:
        lacking = "、".join(sorted(uncovered)) or "人数"
        raise DomainError("supervision.too_few_inspectors",
                          f"检查对象 {object_key} 可抽取的检查人员不足（需至少{per_object}名具备资格且无利害关系的本任务部门人员；缺：{lacking}）",
                          f"not enough qualified, unconflicted inspectors of the task's departments for {object_key}",
                          "inspectors")
    return [i.key for i in team]


# --- verification (一公开) ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    matches: bool
    checks: list[tuple[str, bool, str]]  # (name_zh, ok, detail)


def verify(*, commitment: str, published_list_hash: str, seed_hex: str | None, candidates: Sequence[Mapping[str, Any]],
           drawn_keys: Sequence[str]) -> Verification:
    """Recompute a draw from published data only and say whether each published part matches."""
    checks: list[tuple[str, bool, str]] = []
    try:
        parsed = [Candidate(str(c["key"]), Decimal(str(c["ratio"]))) for c in candidates]
    except (KeyError, TypeError, ArithmeticError) as exc:
        return Verification(False, [("候选名单格式", False, f"无法读取：{exc}")])
    if any(not c.ratio.is_finite() or not 0 <= c.ratio <= 100 for c in parsed):
        return Verification(False, [("候选名单格式", False, "抽查比例须在0到100之间")])
    list_hash = candidates_hash(parsed)
    checks.append(("候选名单哈希与事先公布的一致", list_hash == published_list_hash, list_hash))
    keys = [c.key for c in parsed]
    checks.append(("候选名单无重复主体", len(set(keys)) == len(keys), f"{len(keys)}个候选"))
    if not seed_hex:
        checks.append(("随机种子已公开", False, "尚未抽取，种子未公开"))
        return Verification(False, checks)
    try:
        seed_commitment = commit_seed(seed_hex)
    except ValueError:
        checks.append(("随机种子格式", False, "种子须为十六进制"))
        return Verification(False, checks)
    checks.append(("种子的SHA-256与事先公布的承诺值一致", seed_commitment == commitment, seed_commitment))
    recomputed = [d.key for d in draw(seed_hex, parsed)]
    same = recomputed == list(drawn_keys)
    checks.append(("按种子重新抽取的名单与公布的抽取结果一致", same,
                   f"重算{len(recomputed)}户，公布{len(drawn_keys)}户"))
    return Verification(all(ok for _, ok, _ in checks), checks)
