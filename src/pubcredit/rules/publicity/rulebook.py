"""The publicity rulebook's shape (``rulebook/publicity/*.yaml``): the policy, one regime per regulation, and
:func:`parse_rulebook`, which refuses unknown keys, overlaps and gaps. Part of ``rules.publicity``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pubcredit.rules.publicity.states import PenaltyType, Severity, State, SubjectKind


class PublicityRulebookError(ValueError):
    """A publicity rulebook file that cannot be used as it is."""


# --------------------------------------------------------------------------------------------------------------
# The rulebook's shape


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassPeriod(_Strict):
    """Publication and periods of one severity class under one regime."""

    published: bool
    min_months: int = Field(ge=0, le=120)  # minimum period: repair possible after it (最短公示期)
    max_months: int = Field(gt=0, le=120)  # maximum period: publication stops automatically (最长公示期)
    early_repair: bool = True  # False: no repair before the maximum (stops automatically at the end)
    article: str
    note_zh: str = ""

    @model_validator(mode="after")
    def _order(self) -> ClassPeriod:
        if self.min_months > self.max_months:
            raise ValueError(f"min_months {self.min_months} exceeds max_months {self.max_months}")
        return self


class FineRule(_Strict):
    """How a fine's amount classifies it; amounts in 元 by subject kind, the bounds inclusive."""

    minor_at_most_yuan: dict[SubjectKind, Decimal] | None = None  # 较小/较低数额 → minor
    serious_at_least_yuan: dict[SubjectKind, Decimal] | None = None  # 巨额 → serious
    otherwise: Severity = Severity.GENERAL
    without_amount: Severity = Severity.GENERAL  # 罚款 with no amount given
    article_minor: str = ""
    article_serious: str = ""
    basis_zh: str = ""
    # the 较小数额 figure is not this regulation's own but borrowed (Order 36 leaves it to sector authorities, which
    # have not defined it): the explanation says whose figure it is
    minor_borrowed_from: str = ""


class SectorFine(_Strict):
    """A sector authority's own 较小数额 / 巨额 (Order 36 art. 8(3), 10(1)): either may be left out — then the
    regime's figure holds (the borrowed 较小数额; no 巨额)."""

    minor_at_most_yuan: dict[SubjectKind, Decimal] | None = None
    serious_at_least_yuan: dict[SubjectKind, Decimal] | None = None
    article_minor: str = ""
    article_serious: str = ""
    basis_zh: str = Field(min_length=2)  # the sector's standard that sets the figures


class SectorRule(_Strict):
    """Sectors where every non-minor penalty is serious (SAMR Order 107 art. 8 para. 1 item 1)."""

    sectors: tuple[str, ...] = Field(min_length=1)
    article: str


Family = Literal["ndrc", "market_regulation"]


class FixedPeriod(_Strict):
    months: int = Field(gt=0, le=120)
    article: str = Field(min_length=1)


class Regime(_Strict):
    """One regulation's publicity rules, in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    family: Family
    name_zh: str
    short_zh: str  # how the reason names it: 国家发展改革委令第36号
    name_en: str
    source: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    period_from: Literal["decision_date", "publication_date"]
    # SAMR Order 45 art. 9: the deciding authority publishes on the national enterprise credit publicity system
    # within N working days of the decision; a period counted from publication starts no later than that day
    publication_working_days: int | None = Field(default=None, gt=0, le=60)
    publication_article: str = ""
    classes: dict[Severity, ClassPeriod]
    penalty_types: dict[PenaltyType, Severity | Literal["by_amount"]]
    default_severity: Severity  # a type not listed (and an empty list)
    fine: FineRule
    summary_procedure: Severity | Literal["not_published"] | None = None  # 简易程序
    summary_procedure_article: str = ""
    not_published_if_only: tuple[PenaltyType, ...] = ()  # e.g. a warning only (SAMR Order 45 art. 2)
    not_published_article: str = ""
    no_early_repair_types: tuple[PenaltyType, ...] = ()
    no_early_repair_article: str = ""
    sector_escalation: SectorRule | None = None
    sector_min_months: dict[str, int] = Field(default_factory=dict)  # Order 58: 特种设备/安全生产/消防 min 1 year
    sector_min_article: str = ""
    sector_fines: dict[str, SectorFine] = Field(default_factory=dict)  # per policy.yaml sector; none by default
    duration_types: tuple[PenaltyType, ...] = ()  # penalties with a duration (限制从业 N years…)
    duration_extends_max: bool = False  # the period lasts at least as long as the restriction
    duration_article: str = ""
    natural_persons_article: str = ""
    longest_article: str = ""
    # a record of untruthfulness found in a credit repair (Order 36 art. 25: false materials, a seriously untrue
    # commitment): published a fixed period with no early end
    untrue_commitment: FixedPeriod | None = None
    notes: str = ""

    @model_validator(mode="after")
    def _complete(self) -> Regime:
        missing = [s.value for s in Severity if s not in self.classes]
        if missing:
            raise ValueError(f"regime {self.code}: classes {', '.join(missing)} missing")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"regime {self.code}: effective_to before effective_from")
        return self

    @property
    def rule_version(self) -> str:
        return f"{self.code}@{self.version}"

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class FamilyMatch(_Strict):
    name_zh: str
    authority_name_contains: tuple[str, ...] = ()
    department_codes: tuple[str, ...] = ()


class Sector(_Strict):
    label_zh: str
    keywords: tuple[str, ...] = Field(min_length=1)


class Disclosure(_Strict):
    """Licences and other non-negative 双公示 classes: published from receipt, no end unless invalid/revoked."""

    code: str
    name_zh: str
    short_zh: str
    version: str
    source: str
    not_published_statuses: tuple[str, ...] = ()  # the class's 当前状态 codes that stop publication


class FixedClassPeriod(_Strict):
    """A negative class published for one fixed period whatever its penalty, counted from publication (due within
    N working days of the record's date), stopped automatically at the end and never earlier (SAMR Order 107 art. 10
    para. 1: a spot-check negative with no penalty or a minor one stops after three months)."""

    name_zh: str = Field(min_length=1)
    regime: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)  # PublicityState.regime ("samr…": SAMR repair)
    version: str = Field(min_length=1)
    severity: Severity  # the class it is counted as (evaluation and figures read it)
    months: int = Field(gt=0, le=120)
    article: str = Field(min_length=1)
    publication_working_days: int | None = Field(default=None, gt=0, le=60)
    publication_article: str = ""
    note_zh: str = ""


class Policy(_Strict):
    """Platform-wide publicity policy (``policy.yaml``)."""

    version: str
    regime_classes: tuple[str, ...] = Field(min_length=1)  # negative classes the regimes classify (admin_penalty)
    # regime classes without penalty types (违诺信息): the identifying unit declares the severity (Order 36 art. 11
    # with art. 8(4)/9(3)/10(5), "其他情形"); undeclared, the record is withheld rather than guessed
    declared_severity_classes: tuple[str, ...] = ()
    declared_severity_article: str = ""
    transition: Literal["decision_date", "most_favourable"]
    transition_basis: str
    families: dict[Literal["market_regulation"], FamilyMatch]
    sectors: dict[str, Sector]
    disclosure: Disclosure
    archive_after_days: int = Field(gt=0)
    stop_sharing_in: tuple[State, ...]
    public_fields: dict[str, tuple[str, ...]]
    # negative classes with one fixed period of their own, not classified by penalty (抽查检查结果信息)
    fixed_period_classes: dict[str, FixedClassPeriod] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_rule_per_class(self) -> Policy:
        both = sorted(set(self.fixed_period_classes) & (set(self.regime_classes) | set(self.declared_severity_classes)))
        if both:
            raise ValueError(f"classes {both} have a fixed period and are also classified by the regimes")
        return self


@dataclass(frozen=True)
class PublicityRulebook:
    policy: Policy
    regimes: tuple[Regime, ...]  # ordered by effective_from
    version: str  # recorded with every decision: ``publicity@<policy version>#<hash of the files>``
    label: str  # the regimes and their versions, for people

    def regime(self, code: str) -> Regime:
        for regime in self.regimes:
            if regime.code == code:
                return regime
        raise KeyError(code)

    def regime_for(self, family: str, day: dt.date) -> Regime:
        """The regime in force on ``day`` for a family; market regulation falls back to the NDRC regime before
        its own first regime; a day before every regime gets the earliest one."""
        for fam in ((family, "ndrc") if family != "ndrc" else ("ndrc",)):
            for regime in self.regimes:
                if regime.family == fam and regime.in_force(day):
                    return regime
        earliest = [r for r in self.regimes if r.family == "ndrc"] or list(self.regimes)
        return min(earliest, key=lambda r: r.effective_from)

    def starts(self) -> list[dt.date]:
        return sorted({r.effective_from for r in self.regimes})


def _errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', ())) or '(top level)'}: "
        f"{'unknown key' if err.get('type') == 'extra_forbidden' else err.get('msg', 'invalid')}"
        for err in exc.errors()).replace("Value error, ", "")


def parse_rulebook(policy: Mapping[str, Any], regimes: Mapping[str, Mapping[str, Any]]) -> PublicityRulebook:
    """Check loaded YAML (``{file name: data}`` for the regimes): unknown keys, duplicate codes, overlapping
    periods within a family, sectors not declared and bad numbers are refused."""
    try:
        parsed_policy = Policy.model_validate(policy)
    except ValidationError as exc:
        raise PublicityRulebookError(f"policy.yaml: {_errors(exc)}") from exc
    parsed: list[Regime] = []
    for name, data in sorted(regimes.items()):
        try:
            parsed.append(Regime.model_validate(data))
        except ValidationError as exc:
            raise PublicityRulebookError(f"{name}: {_errors(exc)}") from exc
    if not parsed:
        raise PublicityRulebookError("no publicity regime files")
    codes = [r.code for r in parsed]
    if len(set(codes)) != len(codes):
        raise PublicityRulebookError(f"duplicate regime codes: {sorted(c for c in set(codes) if codes.count(c) > 1)}")
    for regime in parsed:
        used = (set(regime.sector_min_months) | set(regime.sector_fines)
                | set(regime.sector_escalation.sectors if regime.sector_escalation else ()))
        unknown = used - set(parsed_policy.sectors)
        if unknown:
            raise PublicityRulebookError(f"regime {regime.code}: sectors {sorted(unknown)} are not in policy.yaml")
    for family in ("ndrc", "market_regulation"):
        ordered = sorted((r for r in parsed if r.family == family), key=lambda r: r.effective_from)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise PublicityRulebookError(f"regimes {earlier.code} and {later.code} overlap: {earlier.code} must "
                                             f"end before {later.effective_from}")
    canonical = json.dumps({"policy": policy, "regimes": regimes}, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    ordered = tuple(sorted(parsed, key=lambda r: (r.effective_from, r.code)))
    label = ",".join(r.rule_version for r in ordered)
    return PublicityRulebook(parsed_policy, ordered, f"publicity@{parsed_policy.version}#{digest}", label)
