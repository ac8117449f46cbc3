"""Joint reward and punishment (联合奖惩): the measure list (措施清单), business scenarios, and which measures a
check answers with.

Pure rules over plain values. The measure list is seeded from ``rulebook/measures/*.yaml`` (every measure with
its citation) and operators add new versions in the console; the Django side (``pubcredit.sanctions``) overlays
those on the seed and calls :func:`match` for every check.

- 国办发〔2020〕49号: every punishment rests on law, administrative regulation or central documents and is
  proportionate (过惩相当) — a punishment without a legal basis (instrument and article) is refused
  (:func:`validate_measure`, code ``measure.legal_basis_required``);
- a measure fires for a list entry only in the scenarios it names: a measure for 政府采购 does not fire when
  the department checks for 评优评先 (:func:`match`);
- force: **M** mandatory (应当/不得), **D** discretionary (可以/参考 — a prompt, never an automatic refusal),
  **C** conditional (依法/依照有关规定 — applies where the department's own law gives it). Only M is mandatory;
- 过惩相当 per entry: a measure's ``conditions`` (data, not prose) on the subject kind and on the list entry's facts
  (listing ground, the penalty behind the listing, years unreported…) decide whether it **applies** (``yes``),
  does **not apply** (left out of the answer, kept in the explanation) or is **to verify** (``verify``: a fact
  that decides it is missing, or the law asks for a judgement no record carries); a ``verify`` measure is never
  mandatory (:func:`evaluate_conditions`);
- a measure only the registration authority, the market regulator, the tax authority or a court carries out
  (``implemented_by``) is shown to the checking department as information, never as a mandatory step for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pubcredit.rules.errors import Problem
from pubcredit.rules.evaluation import CLASS_LABELS, GRADE_CLASS

__all__ = [
    "Scenario", "LegalBasis", "Measure", "MeasureSet", "MeasureError", "SanctionsRulebookError", "EntryFacts",
    "MeasureHit", "Hit", "parse_scenarios", "parse_measure_files", "validate_measure", "measure_problems", "match",
    "MEASURE_CODE_PATTERN", "FactTest", "Presence", "Conditions", "FactSpec", "ClauseResult", "ConditionOutcome",
    "evaluate_conditions", "MeasureDecision", "SUBJECT_KIND_LABELS", "IMPLEMENTER_LABELS", "APPLIES_LABELS",
    "GRADES", "GradeFacts", "GradeHit", "match_grade",
]

MEASURE_CODE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
Force = Literal["M", "D", "C"]
FORCE_LABELS = {"M": "强制（应当/不得）", "D": "参考（可以/重要考量因素）", "C": "依法适用（依照有关法律规定）"}
KIND_LABELS = {"punish": "惩戒", "reward": "激励"}
SubjectKind = Literal["legal_person", "individual_business", "natural_person"]
SUBJECT_KIND_LABELS = {"legal_person": "法人及非法人组织", "individual_business": "个体工商户", "natural_person": "自然人"}
# Who carries a measure out (实施主体). ``checking_department``: the department that checks applies it itself; any
# other value: only that authority does, so every checking department sees it as information (供参考，非本部门实施).
Implementer = Literal["checking_department", "registration_authority", "market_regulator", "tax_authority", "court"]
IMPLEMENTER_LABELS = {"checking_department": "核查部门依法实施", "registration_authority": "仅由登记机关实施",
                      "market_regulator": "仅由市场监督管理部门实施", "tax_authority": "仅由税务机关实施",
                      "court": "仅由人民法院实施"}
APPLIES_LABELS = {"yes": "适用", "verify": "待核实", "no": "不适用"}
FACT_PATTERN = r"^[a-z][a-z0-9_]*$"
# The grades of the public credit comprehensive evaluation (公共信用综合评价, rules.evaluation): a measure may be
# triggered by the subject's current grade instead of (or besides) a list entry, e.g. [D, D-] = class 严重失信.
Grade = Literal["A+", "A", "B", "C", "C-", "D", "D-"]
GRADES: tuple[str, ...] = tuple(GRADE_CLASS)


class SanctionsRulebookError(ValueError):
    """A measure or scenario file that cannot be used as it is."""


class MeasureError(ValueError):
    """A measure that cannot be saved; ``problems`` name each field at fault."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scenario(_Strict):
    """A business scenario a department checks in (业务场景): 政府采购, 招标投标, 行政审批…"""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    checkable: bool = True  # False: display only (measures applied by courts or border authorities)
    description_zh: str = ""


class LegalBasis(_Strict):
    """A measure's legal basis: the instrument (法律、法规、文件) and its article (条款)."""

    instrument: str
    article: str = ""

    @field_validator("instrument", "article")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    def text(self) -> str:
        return f"{self.instrument} {self.article}".strip()


class Presence(_Strict):
    """``{fact: penalty_types, in: [fine]}``: a fact that, when known, shows whether another fact can exist at all."""

    fact: str = Field(pattern=FACT_PATTERN)
    in_: tuple[str, ...] = Field(alias="in", min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FactTest(_Strict):
    """One clause on a list entry's facts: ``{fact: listing_reason, in: [annual_report], zh: 因未报送年度报告被列入}``
    (an enumerated fact, or one value of a multi-valued fact, is listed) or ``{fact: fine_amount, at_least: 200,
    zh: 罚款200万元以上}`` (a number in the catalogue field's unit, here 万元). ``zh`` is the clause in words.

    ``only_with: {fact: penalty_types, in: [fine]}``: the fact exists only alongside one of those values, so when it is
    missing and the other fact is known without them, the clause fails instead of being unknown (no fine imposed →
    no fine amount to wait for)."""

    fact: str = Field(pattern=FACT_PATTERN)
    in_: tuple[str, ...] = Field(default=(), alias="in")
    at_least: Decimal | None = None
    only_with: Presence | None = None
    zh: str = Field(min_length=2, max_length=200)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_test(self) -> FactTest:
        if bool(self.in_) == (self.at_least is not None):
            raise ValueError(f"condition on {self.fact}: give exactly one of 'in' or 'at_least'")
        return self

    def holds(self, facts: Mapping[str, Any]) -> bool | None:
        """True / False on a known value, None when the entry does not carry the fact (missing or blank) — unless
        ``only_with`` shows it cannot exist."""
        value = facts.get(self.fact)
        if _missing(value):
            if self.only_with is not None and not _missing(facts.get(self.only_with.fact)):
                other = facts[self.only_with.fact]
                present = other if isinstance(other, (list, tuple)) else [other]
                if not any(str(v) in self.only_with.in_ for v in present):
                    return False
            return None
        if self.at_least is not None:
            try:
                return Decimal(str(value)) >= self.at_least
            except (InvalidOperation, ValueError):
                return None
        values = value if isinstance(value, (list, tuple)) else [value]
        return any(str(v) in self.in_ for v in values)


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


class Conditions(_Strict):
    """When a measure applies to a list entry (适用条件), beyond its list and scenario. Empty: always.

    ``subject_kinds``: the kinds of subject it reaches (empty: any) — a ban on persons never reaches an organisation;
    ``all``: every clause holds; ``any``: at least one clause holds; ``verify_zh``: a condition the law states that no
    record carries (e.g. 债务数额较大): the officer verifies it, so the measure is at most ``verify``."""

    subject_kinds: tuple[SubjectKind, ...] = ()
    all: tuple[FactTest, ...] = ()
    any: tuple[FactTest, ...] = ()
    verify_zh: str = ""

    @property
    def empty(self) -> bool:
        return not (self.subject_kinds or self.all or self.any or self.verify_zh)

    def text(self) -> str:
        """The condition in words (``condition_zh``): ``仅适用于自然人；因未报送年度报告被列入，且（甲或乙）；须核实：…``."""
        parts = []
        if self.subject_kinds:
            parts.append("仅适用于" + "、".join(SUBJECT_KIND_LABELS[k] for k in self.subject_kinds))
        clauses = [t.zh for t in self.all]
        if self.any:
            group = "或".join(t.zh for t in self.any)
            clauses.append(f"（{group}）" if len(self.any) > 1 and clauses else group)
        if clauses:
            parts.append("，且".join(clauses))
        if self.verify_zh:
            parts.append(f"须核实：{self.verify_zh}")
        return "；".join(parts)


@dataclass(frozen=True)
class ClauseResult:
    """How one clause came out on one entry: ``holds`` True / False / None (fact missing)."""

    clause_zh: str
    holds: bool | None
    fact: str = ""
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        unknown = "事实缺失，待核实" if self.fact else "须人工核实"  # no fact: a judgement the law asks for (verify_zh)
        return {"clause_zh": self.clause_zh, "holds": self.holds, "fact": self.fact or None, "value": self.value,
                "outcome_zh": {True: "满足", False: "不满足", None: unknown}[self.holds]}


@dataclass(frozen=True)
class ConditionOutcome:
    """``applies``: ``yes`` / ``no`` / ``verify``; ``decided_by``: the clauses that decided it (for ``no``, the
    failing ones; for ``verify``, the unknown ones; for ``yes``, every clause)."""

    applies: Literal["yes", "no", "verify"]
    decided_by: tuple[ClauseResult, ...]
    clauses: tuple[ClauseResult, ...]


def evaluate_conditions(conditions: Conditions, *, subject_kind: str | None,
                        facts: Mapping[str, Any]) -> ConditionOutcome:
    """Three-valued: a clause that fails on a known fact excludes the measure; otherwise a clause whose fact is
    missing (or a ``verify_zh``) makes it ``verify``; only when every clause holds on known facts is it ``yes``
    (国办发〔2020〕49号 过惩相当: no punishment on facts the platform does not have)."""
    results: list[ClauseResult] = []
    if conditions.subject_kinds:
        label = "主体类别为" + "、".join(SUBJECT_KIND_LABELS[k] for k in conditions.subject_kinds)
        holds = None if not subject_kind else subject_kind in conditions.subject_kinds
        results.append(ClauseResult(label, holds, "subject_kind", subject_kind))
    for test in conditions.all:
        results.append(ClauseResult(test.zh, test.holds(facts), test.fact, facts.get(test.fact)))
    others: list[ClauseResult] = []  # members of the "any" group that did not decide it (shown, not counted)
    if conditions.any:
        group = [ClauseResult(t.zh, t.holds(facts), t.fact, facts.get(t.fact)) for t in conditions.any]
        if any(r.holds is True for r in group):
            results.extend(r for r in group if r.holds is True)
        elif all(r.holds is False for r in group):
            results.append(ClauseResult("或".join(r.clause_zh for r in group), False, "", None))
            others.extend(group)
        else:  # none holds, some unknown: the unknown ones decide ("to verify")
            results.extend(r for r in group if r.holds is None)
            others.extend(r for r in group if r.holds is False)
    if conditions.verify_zh:
        results.append(ClauseResult(conditions.verify_zh, None))
    every = tuple(results + others)
    failing = tuple(r for r in results if r.holds is False)
    if failing:
        return ConditionOutcome("no", failing[:1], every)
    unknown = tuple(r for r in results if r.holds is None)
    if unknown:
        return ConditionOutcome("verify", unknown, every)
    return ConditionOutcome("yes", tuple(results), every)


@dataclass(frozen=True)
class FactSpec:
    """A fact a list class carries into its entries (a catalogue field): its enumerated codes (empty for a number)."""

    key: str
    codes: tuple[str, ...] = ()
    numeric: bool = False


class Measure(_Strict):
    """One measure of the list (联合奖惩措施): what, reward or punishment, for which lists, in which scenarios, by whom,
    how binding, on what legal basis, from when, with its citation."""

    code: str = Field(pattern=MEASURE_CODE_PATTERN, max_length=80)
    name_zh: str = Field(min_length=2, max_length=300)
    kind: Literal["punish", "reward"]
    lists: tuple[str, ...] = ()  # triggering list classes
    grades: tuple[Grade, ...] = ()  # triggering evaluation grades (organisations only: natural persons are never graded)
    scenarios: tuple[str, ...] = Field(min_length=1)
    implementing: tuple[str, ...] = Field(min_length=1)  # 实施部门
    implemented_by: Implementer = "checking_department"
    conditions: Conditions = Conditions()
    force: Force
    legal_basis: tuple[LegalBasis, ...] = ()
    sources: tuple[str, ...] = ()  # citation keys of domain/measures.md ([M4] → "M4")
    verification: Literal["VERIFIED", "SECONDARY", "UNVERIFIED", "OPERATOR"] = "VERIFIED"
    note_zh: str = ""
    version: str = Field(min_length=1)
    effective_from: dt.date
    effective_to: dt.date | None = None

    @model_validator(mode="after")
    def _triggered(self) -> Measure:
        if not self.lists and not self.grades:
            raise ValueError("a measure is triggered by at least one list or one evaluation grade")
        if len(set(self.grades)) != len(self.grades):
            raise ValueError("duplicate grades")
        return self

    def grades_text(self) -> str:
        """``评价等级 D、D-（严重失信）``: the grades that trigger it, with their classes, or ``""``."""
        if not self.grades:
            return ""
        ordered = [g for g in GRADES if g in self.grades]
        classes = list(dict.fromkeys(CLASS_LABELS[GRADE_CLASS[g]] for g in ordered))
        return f"公共信用综合评价等级为{'、'.join(ordered)}（{'、'.join(classes)}）"

    @property
    def mandatory(self) -> bool:
        """Binding by its wording (应当/不得); whether it binds the checking department on an entry: :func:`match`."""
        return self.force == "M"

    @property
    def information_only(self) -> bool:
        """Carried out only by another authority: the checking department sees it as information."""
        return self.implemented_by != "checking_department"

    def condition_text(self) -> str:
        return self.conditions.text()

    def legal_basis_text(self) -> str:
        return "；".join(b.text() for b in self.legal_basis)

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def as_data(self) -> dict[str, Any]:
        """JSON-able form (stored with operator versions and in check snapshots)."""
        return json.loads(self.model_dump_json(by_alias=True))


def measure_problems(measure: Measure, *, scenarios: Mapping[str, Scenario] | None = None,
                     lists: Iterable[str] | None = None,
                     list_facts: Mapping[str, Mapping[str, FactSpec]] | None = None) -> list[Problem]:
    """What is wrong with a measure beyond its shape: 国办发〔2020〕49号 legal basis, known scenarios and lists, and
    (given ``list_facts``: list code → the facts its entries carry) conditions on facts its lists carry."""
    problems = []
    if list_facts is not None:
        problems += _condition_problems(measure, list_facts)
    if measure.kind == "punish" and not any(b.instrument and b.article for b in measure.legal_basis):
        problems.append(Problem(
            "measure.legal_basis_required", "惩戒措施必须写明法律依据（法律、法规或党中央、国务院文件及具体条款，国办发〔2020〕49号）",
            "a punishment needs a legal basis: instrument and article (State Council Office 2020 No. 49)", "legal_basis"))
    if any(not b.instrument for b in measure.legal_basis):
        problems.append(Problem("measure.legal_basis_instrument", "法律依据须写明文件名称",
                                "each legal basis names its instrument", "legal_basis"))
    if measure.effective_to is not None and measure.effective_to < measure.effective_from:
        problems.append(Problem("measure.dates", "失效日期不能早于生效日期", "effective_to is before effective_from",
                                "effective_to"))
    if scenarios is not None:
        unknown = [s for s in measure.scenarios if s not in scenarios]
        if unknown:
            problems.append(Problem("measure.unknown_scenario", f"未知的业务场景：{'、'.join(unknown)}",
                                    f"unknown scenarios: {', '.join(unknown)}", "scenarios"))
    if lists is not None:
        known = set(lists)
        unknown = [c for c in measure.lists if c not in known]
        if unknown:
            problems.append(Problem("measure.unknown_list", f"未知的名单：{'、'.join(unknown)}",
                                    f"unknown lists: {', '.join(unknown)}", "lists"))
    if len(set(measure.scenarios)) != len(measure.scenarios) or len(set(measure.lists)) != len(measure.lists):
        problems.append(Problem("measure.duplicates", "名单或场景重复", "duplicate lists or scenarios", "scenarios"))
    return problems


def _condition_problems(measure: Measure, list_facts: Mapping[str, Mapping[str, FactSpec]]) -> list[Problem]:
    """A mandatory punishment whose condition reads a fact none of its lists carries would never be decided (it
    would stay ``verify`` for ever): refused. A listed code or a threshold must suit the fact where it is carried."""
    problems = []
    for test in (*measure.conditions.all, *measure.conditions.any):
        if test.only_with is not None and not any(test.only_with.fact in list_facts.get(c, {}) for c in measure.lists):
            problems.append(Problem("measure.condition_unknown_fact",
                                    f"适用条件的 only_with 引用了名单不含的事实：{test.only_with.fact}",
                                    f"only_with reads {test.only_with.fact!r}, which none of the lists carries",
                                    "conditions"))
        carried = [list_facts[c][test.fact] for c in measure.lists if test.fact in list_facts.get(c, {})]
        if not carried:
            if measure.kind == "punish" and measure.mandatory:
                problems.append(Problem(
                    "measure.condition_unknown_fact",
                    f"强制惩戒措施的适用条件引用了名单不含的事实：{test.fact}（{test.zh}）",
                    f"a mandatory punishment's condition reads {test.fact!r}, which none of its lists carries",
                    "conditions"))
            continue
        for spec in carried:
            if test.at_least is not None and not spec.numeric:
                problems.append(Problem("measure.condition_type", f"{test.fact} 不是数值，不能用 at_least",
                                        f"{test.fact} is not a number: at_least does not apply", "conditions"))
            unknown = [c for c in test.in_ if spec.codes and c not in spec.codes]
            if test.in_ and (spec.numeric or unknown):
                problems.append(Problem("measure.condition_value", f"{test.fact} 的取值不在名单字段的代码中：{'、'.join(unknown)}",
                                        f"{test.fact}: values not among the field's codes: {', '.join(unknown)}",
                                        "conditions"))
    return problems


def validate_measure(data: Mapping[str, Any], *, scenarios: Mapping[str, Scenario] | None = None,
                     lists: Iterable[str] | None = None,
                     list_facts: Mapping[str, Mapping[str, FactSpec]] | None = None) -> Measure:
    """Build a :class:`Measure` from plain data and check it; any problem raises :class:`MeasureError`."""
    try:
        measure = Measure.model_validate(dict(data))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err.get("loc", ())) or None
            problems.append(Problem(f"measure.{err.get('type', 'invalid')}", f"{field or '措施'}：{err.get('msg', '')}",
                                    f"{field}: {err.get('msg', '')}", field))
        raise MeasureError(problems) from exc
    problems = measure_problems(measure, scenarios=scenarios, lists=lists, list_facts=list_facts)
    if problems:
        raise MeasureError(problems)
    return measure


# --- loading ----------------------------------------------------------------------------------------------------


def parse_scenarios(data: Any) -> dict[str, Scenario]:
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise SanctionsRulebookError("scenarios.yaml: expected a mapping with a list under 'scenarios'")
    out: dict[str, Scenario] = {}
    for item in data["scenarios"]:
        try:
            scenario = Scenario.model_validate(item)
        except ValidationError as exc:
            raise SanctionsRulebookError(f"scenarios.yaml: {exc.errors()[0]['msg']} in {item!r}") from exc
        if scenario.code in out:
            raise SanctionsRulebookError(f"scenarios.yaml: duplicate scenario {scenario.code}")
        out[scenario.code] = scenario
    return out


def parse_measure_files(files: Mapping[str, Any], *, scenarios: Mapping[str, Scenario], lists: Iterable[str],
                        list_facts: Mapping[str, Mapping[str, FactSpec]] | None = None
                        ) -> tuple[tuple[Measure, ...], str]:
    """Every measure of ``{file name: YAML data}`` and a version string hashing the files.

    One code may appear several times with non-overlapping effective periods (a renumbered article); anything else
    duplicated, any unknown key, list or scenario, a punishment without legal basis, or (given ``list_facts``) a
    mandatory punishment conditioned on a fact none of its lists carries is refused."""
    list_codes = set(lists)
    measures: list[Measure] = []
    seen: dict[str, list[tuple[Measure, str]]] = {}
    digest = hashlib.sha256()
    labels = []
    for name in sorted(files):
        data = files[name]
        digest.update(name.encode() + b"\0" + json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode())
        if not isinstance(data, dict) or set(data) - {"version", "measures"} or not isinstance(data.get("measures"), list):
            raise SanctionsRulebookError(f"{name}: expected 'version' and a list under 'measures' (and nothing else)")
        labels.append(f"{name.removesuffix('.yaml')}@{data.get('version', '?')}")
        for item in data["measures"]:
            try:
                measure = validate_measure(item, scenarios=scenarios, lists=list_codes, list_facts=list_facts)
            except MeasureError as exc:
                code = item.get("code") if isinstance(item, dict) else None
                raise SanctionsRulebookError(f"{name}: measure {code}: {exc}") from exc
            for other, other_file in seen.get(measure.code, []):
                overlap = (other.effective_to is None or other.effective_to >= measure.effective_from) and \
                          (measure.effective_to is None or measure.effective_to >= other.effective_from)
                if overlap:
                    raise SanctionsRulebookError(f"{name}: measure {measure.code} overlaps its version in {other_file}")
            seen.setdefault(measure.code, []).append((measure, name))
            measures.append(measure)
    return tuple(measures), f"measures:{','.join(labels)}#{digest.hexdigest()[:12]}"


# --- matching ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryFacts:
    """A list entry in force when the check is made, with the subject's kind and the facts its record carries
    (``{field key: code | [codes] | number}``, from the list class's enumerated and numeric fields)."""

    entry_id: int
    list_code: str
    since: dt.date
    until: dt.date | None
    subject_kind: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class MeasureHit:
    """A measure answered for an entry. ``mandatory``: binding on the checking department — force M, conditions
    hold on known facts (``applies == "yes"``) and the department itself carries it out."""

    code: str
    name: str
    kind: str
    mandatory: bool
    force: str
    legal_basis: str
    implementing: tuple[str, ...]
    version: str
    applies: str = "yes"
    condition_zh: str = ""
    note: str = ""
    implemented_by: str = "checking_department"

    @property
    def information(self) -> bool:
        return self.implemented_by != "checking_department"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "mandatory": self.mandatory,
                "force": self.force, "legal_basis": self.legal_basis, "implementing": list(self.implementing),
                "version": self.version, "applies": self.applies, "condition_zh": self.condition_zh,
                "note": self.note, "implemented_by": self.implemented_by, "information": self.information}


@dataclass(frozen=True)
class MeasureDecision:
    """Why one measure of an entry's list and scenario came out as it did (the replay's explanation)."""

    code: str
    version: str
    applies: str
    condition_zh: str
    decided_by: tuple[ClauseResult, ...]
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "version": self.version, "applies": self.applies,
                "applies_zh": APPLIES_LABELS[self.applies], "condition_zh": self.condition_zh,
                "decided_by": [c.as_dict() for c in self.decided_by]}


@dataclass(frozen=True)
class Hit:
    list_code: str
    entry_id: int
    since: dt.date
    until: dt.date | None
    measures: tuple[MeasureHit, ...]
    decisions: tuple[MeasureDecision, ...] = ()  # every measure considered, including those that do not apply

    def as_dict(self) -> dict[str, Any]:
        return {"list_code": self.list_code, "entry_id": self.entry_id, "since": self.since.isoformat(),
                "until": self.until.isoformat() if self.until else None,
                "measures": [m.as_dict() for m in self.measures]}

    def explanation(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "list_code": self.list_code,
                "measures": [d.as_dict() for d in self.decisions]}


class MeasureSet:
    """The measures in force as one lookup: ``(list_code, scenario) → measures``, for one day's checks."""

    def __init__(self, measures: Iterable[Measure]):
        self.measures = tuple(measures)
        self._index: dict[tuple[str, str], list[Measure]] = {}
        self._grade_index: dict[tuple[str, str], list[Measure]] = {}
        for m in self.measures:
            for scenario in m.scenarios:
                for list_code in m.lists:
                    self._index.setdefault((list_code, scenario), []).append(m)
                for grade in m.grades:
                    self._grade_index.setdefault((grade, scenario), []).append(m)

    def for_entry(self, list_code: str, scenario: str, on: dt.date) -> list[Measure]:
        return [m for m in self._index.get((list_code, scenario), ()) if m.in_force(on)]

    def for_grade(self, grade: str, scenario: str, on: dt.date) -> list[Measure]:
        return [m for m in self._grade_index.get((grade, scenario), ()) if m.in_force(on)]

    def has_grade_measures(self, scenario: str) -> bool:
        """Whether any measure of ``scenario`` is triggered by a grade (a check then reads the subject's class)."""
        return any(s == scenario for _, s in self._grade_index)


def _measure_hit(m: Measure, applies: str) -> MeasureHit:
    binding = m.mandatory and applies == "yes" and not m.information_only
    return MeasureHit(m.code, m.name_zh, m.kind, binding, m.force, m.legal_basis_text(), m.implementing, m.version,
                      applies, m.condition_text(), m.note_zh, m.implemented_by)


def match(entries: Iterable[EntryFacts], *, scenario: str, measures: MeasureSet, on: dt.date) -> list[Hit]:
    """One hit per entry in force, with the measures in force on ``on`` for its list in ``scenario`` whose
    conditions hold (``applies: yes``) or cannot be decided on the facts held (``applies: verify``), mandatory
    first, then by code. A measure whose condition fails on a known fact is left out of the answer and kept in the
    hit's ``decisions``. An entry with no measure in this scenario is still a hit (the department sees the listing
    and that no measure applies: 过惩相当)."""
    hits = []
    for entry in sorted(entries, key=lambda e: (e.list_code, e.since, e.entry_id)):
        answered, decisions = [], []
        for m in sorted(measures.for_entry(entry.list_code, scenario, on), key=lambda m: m.code):
            outcome = evaluate_conditions(m.conditions, subject_kind=entry.subject_kind, facts=entry.facts)
            decisions.append(MeasureDecision(m.code, m.version, outcome.applies, m.condition_text(),
                                             outcome.decided_by, m.name_zh))
            if outcome.applies != "no":
                answered.append(_measure_hit(m, outcome.applies))
        answered.sort(key=lambda h: (not h.mandatory, h.code))
        hits.append(Hit(entry.list_code, entry.entry_id, entry.since, entry.until, tuple(answered), tuple(decisions)))
    return hits


# --- grade triggers (公共信用综合评价等级) -------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeFacts:
    """A subject's current evaluation (``evaluation.selectors.current_class``): grade, class, evaluation date and
    scorecard version, with the subject's kind."""

    grade: str
    class_code: str
    as_of: dt.date
    scorecard_version: str
    subject_kind: str | None = None


@dataclass(frozen=True)
class GradeHit:
    """The measures a subject's evaluation grade triggers in one scenario (like a list entry's :class:`Hit`)."""

    grade: str
    class_code: str
    as_of: dt.date
    scorecard_version: str
    measures: tuple[MeasureHit, ...]
    decisions: tuple[MeasureDecision, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "class": self.class_code,
                "class_name_zh": CLASS_LABELS.get(GRADE_CLASS.get(self.grade), ""),  # type: ignore[call-overload]
                "as_of": self.as_of.isoformat(), "model_version": self.scorecard_version,
                "measures": [m.as_dict() for m in self.measures]}

    def explanation(self) -> dict[str, Any]:
        return {"grade": self.grade, "measures": [d.as_dict() for d in self.decisions]}


def match_grade(evaluation: GradeFacts | None, *, scenario: str, measures: MeasureSet, on: dt.date) -> GradeHit | None:
    """The measures in force on ``on`` that the subject's grade triggers in ``scenario``, with the same three-valued
    conditions as a list entry's (no entry facts: a clause on an entry fact stays "to verify"). None when the
    subject has no evaluation, is a natural person (never graded), or its grade triggers nothing here. The
    evaluation is internal to government and not in itself a basis for punishment: a grade measure is a prompt for
    the officer (force D) unless a rule gives it more, and then only on its own legal basis."""
    if evaluation is None or evaluation.subject_kind == "natural_person":
        return None
    triggered = measures.for_grade(evaluation.grade, scenario, on)
    if not triggered:
        return None
    answered, decisions = [], []
    for m in sorted(triggered, key=lambda m: m.code):
        outcome = evaluate_conditions(m.conditions, subject_kind=evaluation.subject_kind, facts={})
        condition = "；".join(t for t in (m.grades_text(), m.condition_text()) if t)
        decisions.append(MeasureDecision(m.code, m.version, outcome.applies, condition, outcome.decided_by, m.name_zh))
        if outcome.applies != "no":
            answered.append(replace(_measure_hit(m, outcome.applies), condition_zh=condition))
    answered.sort(key=lambda h: (not h.mandatory, h.code))
    return GradeHit(evaluation.grade, evaluation.class_code, evaluation.as_of, evaluation.scorecard_version,
                    tuple(answered), tuple(decisions))
