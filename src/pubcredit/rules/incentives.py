"""信易+ incentive scenarios as pure rules: who may have a scenario's benefit, and why not otherwise.

The Zibo policy, item 12 (探索“信易+”场景应用: 信易批, 银税互动, 信用家政, 信易租, 信易阅, 信易游, 信易行; honest
subjects get conveniences and discounts, 正向激励) and rules.md §11. The scenarios are data
(``rulebook/incentives/scenarios.yaml``); the finance app reads the subject's facts and passes them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from pubcredit.rules.errors import DomainError

KIND_LABELS = {"legal_person": "法人及非法人组织", "individual_business": "个体工商户", "natural_person": "自然人"}
CLASS_LABELS = {"honest": "诚信守法", "minor": "轻微失信", "general": "一般失信", "serious": "严重失信"}
EVALUATED_KINDS = ("legal_person",)  # the comprehensive evaluation grades organisations only (docs/evaluation.md)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Eligibility(_Strict):
    """A scenario's conditions; each is optional. ``evaluation_classes`` applies to the kinds the evaluation grades,
    ``no_negative_record`` to natural persons (who are never graded)."""

    no_black_list: bool = True
    red_lists_any: tuple[str, ...] = ()
    evaluation_classes: tuple[str, ...] = ()
    no_negative_record: bool = False


class IncentiveScenario(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    family_zh: str  # 信易批 / 信易租 / 信易阅 / 信易游 / 信易行 / 信用家政 …
    provider_zh: str
    subject_kinds: tuple[str, ...] = Field(min_length=1)
    eligibility: Eligibility
    benefit_zh: str
    basis_zh: str


class IncentiveBook(_Strict):
    version: str
    scenarios: tuple[IncentiveScenario, ...] = Field(min_length=1)

    def get(self, code: object) -> IncentiveScenario:
        found = next((s for s in self.scenarios if s.code == code), None) if isinstance(code, str) else None
        if found is None:
            known = "、".join(s.code for s in self.scenarios)
            raise DomainError("incentive.unknown_scenario", f"未知的信易+场景：{code}（可用：{known}）",
                              f"unknown incentive scenario {code!r} (known: {known})", "scenario")
        return found


def parse_incentive_book(data: dict, *, known_lists: Mapping[str, str]) -> IncentiveBook:
    """The scenarios, checked: unique codes, known subject kinds and classes, red lists that are red lists
    (``known_lists``: list code → ``red``/``black``)."""
    book = IncentiveBook.model_validate(data)
    seen: set[str] = set()
    for s in book.scenarios:
        where = f"scenario {s.code}"
        if s.code in seen:
            raise ValueError(f"{where}: duplicate code")
        seen.add(s.code)
        if unknown := [k for k in s.subject_kinds if k not in KIND_LABELS]:
            raise ValueError(f"{where}: unknown subject kinds {unknown}")
        if unknown := [c for c in s.eligibility.evaluation_classes if c not in CLASS_LABELS]:
            raise ValueError(f"{where}: unknown evaluation classes {unknown}")
        if wrong := [c for c in s.eligibility.red_lists_any if known_lists.get(c) != "red"]:
            raise ValueError(f"{where}: not red lists {wrong}")
    return book


@dataclass(frozen=True)
class SubjectFacts:
    """What the platform knows of the subject today."""

    kind: str | None  # None: a subject the platform holds nothing about
    red_lists: Mapping[str, str] = field(default_factory=dict)  # list code → its Chinese name, entries in force
    black_lists: Mapping[str, str] = field(default_factory=dict)
    evaluation_class: str | None = None
    negative_records_in_force: int = 0


@dataclass(frozen=True)
class Reason:
    code: str
    passed: bool
    message_zh: str
    message_en: str

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "message": self.message_zh, "message_en": self.message_en}


@dataclass(frozen=True)
class Outcome:
    eligible: bool
    reasons: tuple[Reason, ...]


def _names(codes: Iterable[str], names: Mapping[str, str]) -> str:
    return "、".join(names.get(c, c) for c in codes)


def eligibility(scenario: IncentiveScenario, facts: SubjectFacts, *, kind_if_unknown: str) -> Outcome:
    """Zibo policy item 12 (守信激励): the subject may have the scenario's benefit when every condition holds — its
    kind is served, no black-list entry in force (失信主体不享受激励), one of the named red lists where asked, an
    evaluation class among those named (organisations), no negative record in force (natural persons). Every
    condition is reported, passed or not."""
    rule = scenario.eligibility
    kind = facts.kind or kind_if_unknown
    reasons: list[Reason] = []
    served = kind in scenario.subject_kinds
    reasons.append(Reason("incentive.subject_kind", served,
                          f"适用主体：{_names(scenario.subject_kinds, KIND_LABELS)}"
                          + ("" if served else f"；本主体为{KIND_LABELS.get(kind, kind)}，不适用"),
                          f"served kinds: {', '.join(scenario.subject_kinds)}; subject is {kind}"))
    if rule.no_black_list:
        black = sorted(facts.black_lists)
        reasons.append(Reason("incentive.black_list", not black,
                              f"列入{_names(black, facts.black_lists)}，在列期间不享受守信激励" if black
                              else "未列入失信名单", f"on black lists: {', '.join(black)}" if black else "on no black list"))
    if rule.red_lists_any:
        held = [c for c in rule.red_lists_any if c in facts.red_lists]
        wanted = _names(rule.red_lists_any, facts.red_lists)
        reasons.append(Reason("incentive.red_list", bool(held),
                              f"已列入{_names(held, facts.red_lists)}" if held else f"须列入以下红名单之一：{wanted or '、'.join(rule.red_lists_any)}",
                              f"on red lists: {', '.join(held)}" if held
                              else f"needs one of the red lists {', '.join(rule.red_lists_any)}"))
    if rule.evaluation_classes and kind in EVALUATED_KINDS:
        ok = facts.evaluation_class in rule.evaluation_classes
        wanted = _names(rule.evaluation_classes, CLASS_LABELS)
        now = CLASS_LABELS.get(facts.evaluation_class or "", "尚无综合评价结果")
        reasons.append(Reason("incentive.evaluation_class", ok, f"综合评价分类须为{wanted}；本主体：{now}",
                              f"evaluation class must be {', '.join(rule.evaluation_classes)}; "
                              f"subject: {facts.evaluation_class or 'none'}"))
    if rule.no_negative_record and kind == "natural_person":
        count = facts.negative_records_in_force
        reasons.append(Reason("incentive.negative_record", count == 0,
                              "无在公示期内的失信记录" if count == 0 else f"有{count}条在公示期内的失信记录",
                              f"{count} negative records in force"))
    return Outcome(all(r.passed for r in reasons), tuple(reasons))
