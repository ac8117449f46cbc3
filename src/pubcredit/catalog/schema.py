"""The catalogue's shape: frozen Pydantic models for an information class (信息类) and its fields (数据项).

A class file in ``rulebook/catalog/`` is validated against these models: unknown keys, duplicate field keys,
duplicate header aliases and inconsistent references are refused when the file is loaded, never ignored.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pubcredit.catalog.normalise import normalise_header, normalise_token

FieldType = Literal["string", "text", "date", "decimal", "enum", "multi_enum", "uscc", "id_number"]
SubjectType = Literal["legal_person", "individual_business", "natural_person"]
Nature = Literal["negative", "positive", "neutral"]  # 失信 / 守信 / 中性
Sharing = Literal["none", "city", "city_and_province", "national"]  # how far the records are shared (共享范围)

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"

# Units a decimal field may be given in, with their factor to 元. A cell may carry its own unit ("5000元") and is
# converted to the field's unit; a cell without one is read in the field's unit.
AMOUNT_UNITS: dict[str, float] = {"元": 1.0, "万元": 10_000.0, "万": 10_000.0, "亿元": 100_000_000.0, "亿": 100_000_000.0}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Condition(_Strict):
    """``{field: subject_category, in: [legal_person]}``: holds when that field's (normalised) value is listed.

    ``or_blank: true`` also makes it hold when the field is empty (e.g. validate an ID number as a resident ID
    when its type is resident_id or not given).
    """

    field: str
    in_: tuple[str, ...] = Field(alias="in", min_length=1)
    or_blank: bool = False


class EnumValue(_Strict):
    """One allowed value: stored as ``code``; the code, the label and every alias are accepted on input."""

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    label_zh: str
    aliases: tuple[str, ...] = ()

    def accepted(self) -> tuple[str, ...]:
        return (self.code, self.label_zh, *self.aliases)


class FieldSpec(_Strict):
    """One data item (数据项) of an information class."""

    key: str = Field(pattern=CODE_PATTERN)
    label_zh: str  # the national standard's label, used as the template header
    aliases: tuple[str, ...] = ()  # pinyin column codes (CF_WSH) and common Chinese variants
    type: FieldType
    required: bool = False
    required_when: Condition | None = None
    max_length: int | None = Field(default=None, gt=0)
    values: tuple[EnumValue, ...] = ()  # enum / multi_enum only
    separators: str = "；;、，,"  # multi_enum only: any of these characters separates values
    unit: str | None = None  # decimal only, e.g. 万元
    min_value: float | None = None  # decimal only
    warn_above: float | None = None  # decimal only: accepted with a warning above this (likely a unit mistake)
    not_future: bool = False  # date only: later than today is refused (date.future)
    not_before: dt.date | None = None  # date only: earlier is refused (date.before_1949 for 1949-10-01)
    date_words: dict[str, dt.date] = Field(default_factory=dict)  # date only: {长期: 2099-12-31}
    resident_id_when: Condition | None = None  # id_number only: validate as 公民身份号码 when this holds
    normalise: Literal["text", "code"] = "text"  # string only: "code" = NFKC, no spaces/dashes, upper case
    year: bool = False  # string only: a four-digit year not after this year (评价年度): year.format / year.future
    sensitive: bool = False  # natural persons' identity numbers: encrypted at rest, masked on display
    format: str | None = None  # a hint for people, shown in the template and the API
    description_zh: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        problems = []
        if self.required and self.required_when is not None:
            problems.append("use either required or required_when, not both")
        if self.type in ("enum", "multi_enum") and not self.values:
            problems.append(f"type {self.type} needs values")
        if self.type not in ("enum", "multi_enum") and self.values:
            problems.append("values are only allowed for enum and multi_enum fields")
        if self.type != "decimal" and (self.unit or self.min_value is not None or self.warn_above is not None):
            problems.append("unit, min_value and warn_above are only allowed for decimal fields")
        if self.unit is not None and self.unit not in AMOUNT_UNITS:
            problems.append(f"unit must be one of {', '.join(AMOUNT_UNITS)}")
        if self.type != "date" and (self.not_future or self.not_before or self.date_words):
            problems.append("not_future, not_before and date_words are only allowed for date fields")
        if self.type != "id_number" and self.resident_id_when is not None:
            problems.append("resident_id_when is only allowed for id_number fields")
        if self.type != "string" and self.year:
            problems.append("year is only allowed for string fields")
        if self.type != "string" and self.normalise != "text":
            problems.append("normalise is only allowed for string fields")
        seen: dict[str, str] = {}
        for value in self.values:
            for accepted in value.accepted():
                token = normalise_token(accepted)
                if token in seen and seen[token] != value.code:
                    problems.append(f"enumeration value {accepted!r} is given for both {seen[token]} and {value.code}")
                seen[token] = value.code
        if len({v.code for v in self.values}) != len(self.values):
            problems.append("duplicate enumeration codes")
        if problems:
            raise ValueError(f"field {self.key}: " + "; ".join(problems))
        return self

    def accepted_headers(self) -> tuple[str, ...]:
        """Every header accepted for this field: the English key, the standard label, then the aliases."""
        return (self.key, self.label_zh, *self.aliases)

    @cached_property
    def enum_index(self) -> dict[str, str]:
        """Normalised token (code, label or alias) → code."""
        return {normalise_token(a): v.code for v in self.values for a in v.accepted()}

    @cached_property
    def enum_labels(self) -> dict[str, str]:
        return {v.code: v.label_zh for v in self.values}

    def allowed_labels_zh(self) -> str:
        return "、".join(v.label_zh for v in self.values)


class CrossRule(_Strict):
    """A rule over several fields of one row.

    - ``one_of_required``: when ``when`` holds, at least one of ``fields`` must be given (code ``required_one_of``);
    - ``date_order``: ``fields: [earlier, later]``; when both are given, later must not precede earlier
      (code ``date.order``).
    """

    kind: Literal["one_of_required", "date_order"]
    fields: tuple[str, ...] = Field(min_length=2)
    when: Condition | None = None
    message_zh: str | None = None
    # date_order only: "warning" accepts the row and says what the order means (处罚有效期 before the decision
    # date is "no duration", not a mistake)
    level: Literal["error", "warning"] = "error"

    @model_validator(mode="after")
    def _shape(self) -> CrossRule:
        if self.kind == "date_order" and len(self.fields) != 2:
            raise ValueError("date_order takes exactly two fields: [earlier, later]")
        if self.kind != "date_order" and self.level != "error":
            raise ValueError("level: warning is only for date_order")
        return self


class InfoClass(_Strict):
    """An information class (信息类), e.g. 行政处罚 (admin_penalty) or 行政许可 (admin_license)."""

    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str
    name_en: str | None = None
    description_zh: str | None = None
    legal_basis: tuple[str, ...] = ()
    nature: Nature
    subject_types: tuple[SubjectType, ...] = Field(min_length=1)
    deadline_working_days: int | None = Field(default=None, gt=0)  # 双公示: 7 working days from the decision
    sharing: Sharing = "city"
    public: bool = False
    public_for_natural_persons: bool = False
    business_key: tuple[str, ...] = Field(min_length=1)
    version: str
    effective_from: dt.date
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    rules: tuple[CrossRule, ...] = ()

    @field_validator("subject_types")
    @classmethod
    def _unique_subject_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("duplicate subject types")
        return value

    @model_validator(mode="after")
    def _references(self) -> InfoClass:
        problems: list[str] = []
        keys: dict[str, FieldSpec] = {}
        for f in self.fields:
            if f.key in keys:
                problems.append(f"duplicate field key {f.key}")
            keys[f.key] = f
        # Headers are compared normalised (case, width, parentheses, spaces), so two spellings that a provider's
        # file could not tell apart are duplicates too.
        headers: dict[str, str] = {}
        for f in self.fields:
            for header in f.accepted_headers():
                norm = normalise_header(header)
                if not norm:
                    problems.append(f"field {f.key}: empty alias")
                elif norm in headers and headers[norm] != f.key:
                    problems.append(f"alias {header!r} is given for both {headers[norm]} and {f.key}")
                elif norm in headers:
                    problems.append(f"field {f.key}: duplicate alias {header!r}")
                headers[norm] = f.key

        def check_condition(where: str, cond: Condition | None) -> None:
            if cond is None:
                return
            target = keys.get(cond.field)
            if target is None:
                problems.append(f"{where}: condition on unknown field {cond.field}")
            elif target.type != "enum":
                problems.append(f"{where}: condition field {cond.field} must be an enum")
            else:
                unknown = [c for c in cond.in_ if c not in target.enum_labels]
                if unknown:
                    problems.append(f"{where}: {cond.field} has no value {', '.join(unknown)}")

        for f in self.fields:
            check_condition(f"field {f.key} required_when", f.required_when)
            check_condition(f"field {f.key} resident_id_when", f.resident_id_when)
        for i, rule in enumerate(self.rules):
            check_condition(f"rules[{i}].when", rule.when)
            for key in rule.fields:
                if key not in keys:
                    problems.append(f"rules[{i}]: unknown field {key}")
                elif rule.kind == "date_order" and keys[key].type != "date":
                    problems.append(f"rules[{i}]: {key} is not a date field")
        for key in self.business_key:
            if key not in keys:
                problems.append(f"business_key: unknown field {key}")
        if problems:
            raise ValueError("; ".join(dict.fromkeys(problems)))
        return self

    @cached_property
    def fields_by_key(self) -> dict[str, FieldSpec]:
        return {f.key: f for f in self.fields}

    def field(self, key: str) -> FieldSpec:
        return self.fields_by_key[key]

    @cached_property
    def header_index(self) -> dict[str, str]:
        """Normalised header (key, label or alias) → field key."""
        return {normalise_header(h): f.key for f in self.fields for h in f.accepted_headers()}

    @property
    def rule_version(self) -> str:
        """``admin_penalty@2026.1``: what a decision taken with this class records."""
        return f"{self.code}@{self.version}"

    def condition_text_zh(self, cond: Condition) -> str:
        """``行政相对人类别为法人及非法人组织``: a condition in words, for messages and the template."""
        target = self.field(cond.field)
        labels = "或".join(target.enum_labels.get(c, c) for c in cond.in_)
        text = f"{target.label_zh}为{labels}"
        return text + "或为空" if cond.or_blank else text
