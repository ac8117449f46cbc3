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
  **C** conditional (依法/依照有关规定 — applies where the department's own law gives it). Only M is mandatory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pubcredit.rules.errors import Problem

__all__ = [
    "Scenario", "LegalBasis", "Measure", "MeasureSet", "MeasureError", "SanctionsRulebookError", "EntryFacts",
    "MeasureHit", "Hit", "parse_scenarios", "parse_measure_files", "validate_measure", "measure_problems", "match",
    "MEASURE_CODE_PATTERN",
]

MEASURE_CODE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
Force = Literal["M", "D", "C"]
FORCE_LABELS = {"M": "强制（应当/不得）", "D": "参考（可以/重要考量因素）", "C": "依法适用（依照有关法律规定）"}
KIND_LABELS = {"punish": "惩戒", "reward": "激励"}


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


class Measure(_Strict):
    """One measure of the list (联合奖惩措施): what, reward or punishment, for which lists, in which scenarios, by whom,
    how binding, on what legal basis, from when, with its citation."""

    code: str = Field(pattern=MEASURE_CODE_PATTERN, max_length=80)
    name_zh: str = Field(min_length=2, max_length=300)
    kind: Literal["punish", "reward"]
    lists: tuple[str, ...] = Field(min_length=1)  # triggering list classes
    grades: tuple[str, ...] = ()  # later: evaluation grades that trigger it
    scenarios: tuple[str, ...] = Field(min_length=1)
    implementing: tuple[str, ...] = Field(min_length=1)  # 实施部门
    force: Force
    legal_basis: tuple[LegalBasis, ...] = ()
    sources: tuple[str, ...] = ()  # citation keys of domain/measures.md ([M4] → "M4")
    verification: Literal["VERIFIED", "SECONDARY", "UNVERIFIED", "OPERATOR"] = "VERIFIED"
    note_zh: str = ""
    version: str = Field(min_length=1)
    effective_from: dt.date
    effective_to: dt.date | None = None

    @property
    def mandatory(self) -> bool:
        return self.force == "M"

    def legal_basis_text(self) -> str:
        return "；".join(b.text() for b in self.legal_basis)

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def as_data(self) -> dict[str, Any]:
        """JSON-able form (stored with operator versions and in check snapshots)."""
        return json.loads(self.model_dump_json())


def measure_problems(measure: Measure, *, scenarios: Mapping[str, Scenario] | None = None,
                     lists: Iterable[str] | None = None) -> list[Problem]:
    """What is wrong with a measure beyond its shape: 国办发〔2020〕49号 legal basis, known scenarios and lists."""
    problems = []
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


def validate_measure(data: Mapping[str, Any], *, scenarios: Mapping[str, Scenario] | None = None,
                     lists: Iterable[str] | None = None) -> Measure:
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
    problems = measure_problems(measure, scenarios=scenarios, lists=lists)
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


def parse_measure_files(files: Mapping[str, Any], *, scenarios: Mapping[str, Scenario],
                        lists: Iterable[str]) -> tuple[tuple[Measure, ...], str]:
    """Every measure of ``{file name: YAML data}`` and a version string hashing the files.

    One code may appear several times with non-overlapping effective periods (a renumbered article); anything else
    duplicated, any unknown key, list or scenario, or a punishment without legal basis is refused."""
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
                measure = validate_measure(item, scenarios=scenarios, lists=list_codes)
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
    """A list entry in force when the check is made."""

    entry_id: int
    list_code: str
    since: dt.date
    until: dt.date | None


@dataclass(frozen=True)
class MeasureHit:
    code: str
    name: str
    kind: str
    mandatory: bool
    force: str
    legal_basis: str
    implementing: tuple[str, ...]
    version: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "mandatory": self.mandatory,
                "force": self.force, "legal_basis": self.legal_basis, "implementing": list(self.implementing),
                "version": self.version}


@dataclass(frozen=True)
class Hit:
    list_code: str
    entry_id: int
    since: dt.date
    until: dt.date | None
    measures: tuple[MeasureHit, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"list_code": self.list_code, "entry_id": self.entry_id, "since": self.since.isoformat(),
                "until": self.until.isoformat() if self.until else None,
                "measures": [m.as_dict() for m in self.measures]}


class MeasureSet:
    """The measures in force as one lookup: ``(list_code, scenario) → measures``, for one day's checks."""

    def __init__(self, measures: Iterable[Measure]):
        self.measures = tuple(measures)
        self._index: dict[tuple[str, str], list[Measure]] = {}
        for m in self.measures:
            for list_code in m.lists:
                for scenario in m.scenarios:
                    self._index.setdefault((list_code, scenario), []).append(m)

    def for_entry(self, list_code: str, scenario: str, on: dt.date) -> list[Measure]:
        return [m for m in self._index.get((list_code, scenario), ()) if m.in_force(on)]


def _measure_hit(m: Measure) -> MeasureHit:
    return MeasureHit(m.code, m.name_zh, m.kind, m.mandatory, m.force, m.legal_basis_text(), m.implementing, m.version)


def match(entries: Iterable[EntryFacts], *, scenario: str, measures: MeasureSet, on: dt.date) -> list[Hit]:
    """One hit per entry in force, with the measures in force on ``on`` for its list in ``scenario`` (mandatory
    first, then by code). An entry with no measure in this scenario is still a hit (the department sees the listing
    and that no measure applies: 过惩相当)."""
    hits = []
    for entry in sorted(entries, key=lambda e: (e.list_code, e.since, e.entry_id)):
        found = sorted(measures.for_entry(entry.list_code, scenario, on), key=lambda m: (not m.mandatory, m.code))
        hits.append(Hit(entry.list_code, entry.entry_id, entry.since, entry.until, tuple(_measure_hit(m) for m in found)))
    return hits
