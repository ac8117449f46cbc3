"""The list rulebook's shape (``rulebook/lists/*.yaml``): one :class:`ListSpec` per list with its legal basis,
term rules, removal reasons, publicity and procedure, and :func:`parse_rulebook`. Part of ``rules.lists``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pubcredit.rules.lists.states import ListKind, ListRulebookError, RemovalReason


# --- the rulebook ---------------------------------------------------------------------------------------------

BasisLevel = Literal["law", "administrative_regulation", "local_regulation", "central_document",
                     "judicial_interpretation", "department_rule", "normative_document"]

# 国办发〔2020〕49号 §(四): national lists rest on law, administrative regulation or central documents (department
# rules as an interim basis); a list applied only locally needs a local regulation (地方性法规).
NATIONAL_LEVELS = frozenset({"law", "administrative_regulation", "central_document", "judicial_interpretation"})
INTERIM_LEVELS = frozenset({"department_rule"})
LOCAL_LEVELS = NATIONAL_LEVELS | {"local_regulation"}
LEVEL_LABELS = {"law": "法律", "administrative_regulation": "行政法规", "local_regulation": "地方性法规",
                "central_document": "党中央、国务院政策文件", "judicial_interpretation": "司法解释",
                "department_rule": "部门规章", "normative_document": "规范性文件"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BasisItem(_Strict):
    """One legal basis: the instrument, the article(s) and the instrument's level (效力层级)."""

    instrument: str = Field(min_length=2)
    article: str = ""
    level: BasisLevel

    def text(self) -> str:
        return f"{self.instrument}{self.article}"


class Condition(_Strict):
    """Holds when the record's ``field`` (a code or a list of codes) contains any of ``any_of``."""

    field: str
    any_of: tuple[str, ...] = Field(min_length=1)

    def holds(self, fields: Mapping[str, Any]) -> bool:
        value = fields.get(self.field)
        values = value if isinstance(value, list | tuple) else [value]
        return any(v in self.any_of for v in values if v is not None)


class TermRule(_Strict):
    """A duration (years/months; ``years: null`` and no months = no fixed term) and why."""

    when: Condition | None = None
    years: int | None = Field(default=None, ge=0, le=50)
    months: int = Field(default=0, ge=0, le=600)
    basis: str = Field(min_length=2)

    @property
    def fixed(self) -> bool:
        return self.years is not None or self.months > 0


class Term(_Strict):
    counted_from: Literal["effective_date", "decision_date"] = "effective_date"
    rules: tuple[TermRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _last_rule_is_the_default(self) -> Term:
        if self.rules[-1].when is not None:
            raise ValueError("the last term rule must have no condition (it is the default)")
        return self


class Procedure(_Strict):
    """How a list decided in the city is identified (认定程序)."""

    prior_notice: bool  # 告知 + 陈述申辩 before deciding (every black list)
    defence_working_days: int = Field(default=0, ge=0, le=60)
    removal_conditions_zh: str = Field(min_length=2)  # 移出条件和程序 (stated in the decision)
    remedies_zh: str = Field(min_length=2)  # 救济途径
    basis: str = Field(min_length=2)

    @model_validator(mode="after")
    def _notice_has_a_deadline(self) -> Procedure:
        if self.prior_notice and self.defence_working_days < 1:
            raise ValueError("prior_notice needs defence_working_days ≥ 1")
        return self


class ListPublicity(_Strict):
    """Whether and how the public site shows a list's entries (名单公示), with the sources that say so.

    ``fields`` are record fields shown beside what every entry shows (list name, decision number, identifying unit,
    since/until, legal basis); sensitive fields (identity numbers) are never shown whatever this says, and a natural
    person's identity number appears only masked. ``natural_persons``: ``published`` only where a law or a
    judicial interpretation publishes persons on this list (e.g. 法释〔2017〕7号 第六条、第七条); otherwise
    ``withheld`` (Order 36 art. 12 and the platform's policy: persons' negative items are not published).
    """

    published: bool
    basis: str = Field(min_length=2)  # why the list is (or is not) public
    fields: tuple[str, ...] = ()
    natural_persons: Literal["published", "withheld"] = "withheld"
    natural_persons_basis: str = Field(min_length=2)
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _persons_need_the_list(self) -> ListPublicity:
        if self.natural_persons == "published" and not self.published:
            raise ValueError("natural_persons: published needs published: true")
        if len(set(self.fields)) != len(self.fields):
            raise ValueError("publicity.fields has duplicates")
        return self

    @property
    def persons_published(self) -> bool:
        return self.published and self.natural_persons == "published"


class ListSpec(_Strict):
    """One version of a list's rules (名单管理规则): kind, term, removal, procedure, legal basis."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    kind: ListKind
    severity: Literal["serious", "minor", "none"]  # 严重失信 / 轻微 (状态类) / 红名单
    scope: Literal["national", "local"] = "national"
    identified_by_zh: str  # 认定单位
    identified_in_city: bool  # the city's units decide it: the identification workflow applies
    push_deadline_working_days: int = Field(gt=0, le=60)
    removal_sync_working_days: int = Field(default=3, gt=0, le=60)  # 移出后停止公示、解除措施
    term: Term
    early_removal_after_months: int | None = Field(default=None, ge=0)
    removal_reasons: tuple[RemovalReason, ...] = Field(min_length=1)
    default_removal_reason: RemovalReason
    procedure: Procedure | None = None
    legal_basis: tuple[BasisItem, ...] = Field(min_length=1)
    publicity: ListPublicity | None = None  # None: not published ("公示规则尚未配置")
    sources: tuple[str, ...] = ()
    version: str = Field(min_length=1)
    effective_from: dt.date
    effective_to: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ListSpec:
        problems = []
        if self.default_removal_reason not in self.removal_reasons:
            problems.append("default_removal_reason must be one of removal_reasons")
        if self.identified_in_city and self.procedure is None:
            problems.append("identified_in_city needs a procedure")
        if self.kind == ListKind.RED and self.severity != "none":
            problems.append("a red list has severity none")
        if self.kind == ListKind.BLACK and self.severity == "none":
            problems.append("a black list is serious or minor")
        if self.kind == ListKind.BLACK and self.procedure is not None and not self.procedure.prior_notice:
            problems.append("a black list decided in the city needs prior notice (国办发〔2020〕49号)")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            problems.append("effective_to is before effective_from")
        if problems:
            raise ValueError(f"list {self.code} {self.version}: " + "; ".join(problems))
        return self

    @property
    def rule_version(self) -> str:
        """``court_dishonest_debtor@2026.1``: recorded with every entry and decision that used this version."""
        return f"list:{self.code}@{self.version}"

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class ListRulebook:
    """Every list's versions (oldest first) and a version string naming the files' content."""

    versions: dict[str, tuple[ListSpec, ...]]
    version: str

    def codes(self) -> list[str]:
        return sorted(self.versions)

    def get(self, code: str, on: dt.date) -> ListSpec | None:
        """The version of ``code`` in force on ``on``; before the first version, the first (a backfill of history)."""
        versions = self.versions.get(code)
        if not versions:
            return None
        in_force = [v for v in versions if v.effective_from <= on]
        return in_force[-1] if in_force else versions[0]

    def is_list(self, code: str) -> bool:
        return code in self.versions


def parse_rulebook(files: Mapping[str, Any]) -> ListRulebook:
    """Parse ``{file name: YAML data}``; unknown keys, duplicates and overlapping versions are refused."""
    by_code: dict[str, list[ListSpec]] = {}
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(name.encode() + b"\0" + json.dumps(data, sort_keys=True, default=str).encode() + b"\0")
        items = data.get("versions") if isinstance(data, dict) and "versions" in data else [data]
        if not isinstance(items, list):
            raise ListRulebookError(f"{name}: versions must be a list")
        for item in items:
            try:
                spec = ListSpec.model_validate(item)
            except ValidationError as exc:
                problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
                raise ListRulebookError(f"{name}: {problems}") from exc
            by_code.setdefault(spec.code, []).append(spec)
    versions = {}
    for code, specs in by_code.items():
        specs.sort(key=lambda s: s.effective_from)
        for earlier, later in zip(specs, specs[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ListRulebookError(f"list {code}: version {earlier.version} overlaps {later.version}")
        versions[code] = tuple(specs)
    label = ",".join(f"{c}@{v.version}" for c in sorted(versions) for v in versions[c])
    return ListRulebook(versions, f"lists:{label}#{digest.hexdigest()[:12]}")
