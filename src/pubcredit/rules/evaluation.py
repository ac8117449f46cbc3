"""Public credit comprehensive evaluation (公共信用综合评价): scorecards as data and the pure scoring engine.

Shandong's scheme (《山东省公共信用综合评价办法》2022, domain/rules.md §5.1): quarterly, 1000 base points, plus and
minus items, seven grades in four classes (A+, A → 诚信守法; B → 轻微失信; C, C- → 一般失信; D, D- → 严重失信),
organisations only, never natural persons. The province's thresholds and item table were not found: the items and
thresholds are ours, as data (``rulebook/scorecards/*.yaml``), validated here by strict frozen models.

The engine is a function of one partition of subjects (:func:`score_partition`): Polars frames of subjects, their
records and their list entries in, one score row per subject and its item lines out, no database inside, so the
city runs it in process and a province can hand the same function to Dask or Spark per partition (DESIGN.md §8).
Every item type is a small feature function with one signature (``(item, frames, as_of) -> lines``); every line
says its points, the record or entry it came from and the decay applied, and the lines sum to the score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pubcredit.rules.publicity import add_months


class ScorecardError(ValueError):
    """A scorecard file that cannot be used as it is (the running version stays)."""


class CreditClass(StrEnum):
    """The four classes of the Zibo policy (item 5)."""

    HONEST = "honest"  # 诚信守法
    MINOR = "minor"  # 轻微失信
    GENERAL = "general"  # 一般失信
    SERIOUS = "serious"  # 严重失信


CLASS_LABELS = {CreditClass.HONEST: "诚信守法", CreditClass.MINOR: "轻微失信", CreditClass.GENERAL: "一般失信",
                CreditClass.SERIOUS: "严重失信"}
# the seven grades and their class are the province's (§5.1); only the thresholds are ours
GRADE_CLASS: dict[str, CreditClass] = {"A+": CreditClass.HONEST, "A": CreditClass.HONEST, "B": CreditClass.MINOR,
                                       "C": CreditClass.GENERAL, "C-": CreditClass.GENERAL,
                                       "D": CreditClass.SERIOUS, "D-": CreditClass.SERIOUS}
SEVERITIES = ("minor", "general", "serious")  # 失信程度 of a record (rules.publicity.Severity)
EVALUABLE_KINDS = ("legal_person", "individual_business")  # natural persons are never graded


# --------------------------------------------------------------------------------------------------------------
# The scorecard's shape


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DecayStep(_Strict):
    """A record decided within ``within_months`` before the evaluation date counts ``factor`` of its points."""

    within_months: int = Field(gt=0, le=120)
    factor: float = Field(gt=0, le=1)


class Repeat(_Strict):
    """A record with an earlier one of the same item within ``within_months`` counts ``factor`` × (屡罚不改)."""

    within_months: int = Field(gt=0, le=60)
    factor: float = Field(ge=1, le=5)


class _Item(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    direction: Literal["plus", "minus"]
    category: str
    points: float = Field(gt=0)  # per record or entry, before decay and repeats
    cap: float = Field(gt=0)  # most points this item gives or takes for one subject
    basis_zh: str = Field(min_length=1)  # the source of the item, shown with the explanation


class RecordItem(_Item):
    """Points per credit record of the named classes (and severities), decayed by age; repaired records count as
    repaired (``repaired_factor`` of the points, 0 by default), revoked records not at all."""

    source: Literal["record"]
    class_codes: tuple[str, ...] = Field(min_length=1)
    severities: tuple[Literal["minor", "general", "serious"], ...] | None = None  # None: any (or none)
    decay: tuple[DecayStep, ...] = Field(min_length=1)
    repeat: Repeat | None = None
    repaired_factor: float = Field(default=0, ge=0, lt=1)

    @model_validator(mode="after")
    def _decay_ordered(self) -> RecordItem:
        months = [step.within_months for step in self.decay]
        factors = [step.factor for step in self.decay]
        if months != sorted(set(months)) or factors != sorted(factors, reverse=True):
            raise ValueError("decay steps must widen (within_months increasing) and fade (factor not increasing)")
        return self


class ListItem(_Item):
    """Points per list entry in force on the evaluation date; an entry removed by repair counts as repaired (0)."""

    source: Literal["list"]
    list_codes: tuple[str, ...] = Field(min_length=1)


Item = Annotated[RecordItem | ListItem, Field(discriminator="source")]


class Category(_Strict):
    code: str
    name_zh: str
    direction: Literal["plus", "minus"]
    cap: float = Field(gt=0)


class GradeBand(_Strict):
    grade: Literal["A+", "A", "B", "C", "C-", "D", "D-"]
    min_score: float  # a score ≥ min_score (and below the band above) gets this grade


class Scorecard(_Strict):
    """One version of the evaluation model, in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    version: str = Field(min_length=1)
    name_zh: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    base_score: float
    score_min: float
    score_max: float
    evaluated_kinds: tuple[Literal["legal_person", "individual_business"], ...] = Field(min_length=1)
    serious_lists: tuple[str, ...]  # an entry in force on one of these → class 严重失信 whatever the score
    categories: tuple[Category, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)
    grades: tuple[GradeBand, ...]
    rationale_zh: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Scorecard:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if not self.score_min <= self.base_score <= self.score_max:
            raise ValueError("base_score outside [score_min, score_max]")
        codes = [c.code for c in self.categories]
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate category code")
        item_codes = [i.code for i in self.items]
        if len(set(item_codes)) != len(item_codes):
            raise ValueError("duplicate item code")
        by_code = {c.code: c for c in self.categories}
        for item in self.items:
            category = by_code.get(item.category)
            if category is None:
                raise ValueError(f"item {item.code}: unknown category {item.category!r}")
            if category.direction != item.direction:
                raise ValueError(f"item {item.code}: direction differs from its category {category.code}")
        # the most a subject can gain or lose: per category the smaller of its cap and its items' caps
        reach = {"plus": 0.0, "minus": 0.0}
        for category in self.categories:
            items_cap = sum(i.cap for i in self.items if i.category == category.code)
            reach[category.direction] += min(category.cap, items_cap)
        if self.base_score + reach["plus"] > self.score_max or self.base_score - reach["minus"] < self.score_min:
            raise ValueError(f"points can push a score outside [{self.score_min}, {self.score_max}]: "
                             f"base {self.base_score} +{reach['plus']} −{reach['minus']}")
        grades = [g.grade for g in self.grades]
        if grades != list(GRADE_CLASS):
            raise ValueError(f"grades must be listed once each, best first: {list(GRADE_CLASS)}")
        mins = [g.min_score for g in self.grades]
        if any(a <= b for a, b in zip(mins, mins[1:], strict=False)):
            raise ValueError("grade thresholds overlap: min_score must fall strictly from A+ to D-")
        if mins[-1] != self.score_min:
            raise ValueError("the lowest grade (D-) must start at score_min, so every score has a grade")
        return self

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def grade_for(self, score: float) -> str:
        return next(g.grade for g in self.grades if score >= g.min_score)


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}" for err in exc.errors())


def parse_scorecard(data: Mapping[str, Any], *, known_classes: frozenset[str] | None = None,
                    known_lists: frozenset[str] | None = None) -> Scorecard:
    """Validate one scorecard file; an item reading an unknown class or list is refused."""
    try:
        card = Scorecard.model_validate(data)
    except ValidationError as exc:
        raise ScorecardError(_describe(exc)) from None
    for index, item in enumerate(card.items):
        if isinstance(item, RecordItem) and known_classes is not None:
            unknown = sorted(set(item.class_codes) - known_classes)
            if unknown:
                raise ScorecardError(f"items.{index}.class_codes: unknown information class {unknown}")
        if isinstance(item, ListItem) and known_lists is not None:
            unknown = sorted(set(item.list_codes) - known_lists)
            if unknown:
                raise ScorecardError(f"items.{index}.list_codes: unknown list {unknown}")
    if known_lists is not None and set(card.serious_lists) - known_lists:
        raise ScorecardError(f"serious_lists: unknown list {sorted(set(card.serious_lists) - known_lists)}")
    return card


@dataclass(frozen=True)
class ScorecardBook:
    """Every scorecard version; their periods never overlap."""

    cards: tuple[Scorecard, ...]

    def __post_init__(self) -> None:
        ordered = sorted(self.cards, key=lambda c: c.effective_from)
        versions = [c.version for c in ordered]
        if len(set(versions)) != len(versions):
            raise ScorecardError("duplicate scorecard version")
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ScorecardError(f"{later.version}: its effective dates overlap {earlier.version}")
        object.__setattr__(self, "cards", tuple(ordered))

    def for_day(self, day: dt.date) -> Scorecard:
        for card in self.cards:
            if card.in_force_on(day):
                return card
        raise ScorecardError(f"no scorecard in force on {day.isoformat()}")

    def get(self, version: str) -> Scorecard:
        for card in self.cards:
            if card.version == version:
                return card
        raise ScorecardError(f"no scorecard version {version!r}")


# --------------------------------------------------------------------------------------------------------------
# The engine: one partition of subjects in, scores and item lines out


SUBJECT_SCHEMA = {"subject_id": pl.Int64, "kind": pl.String}
RECORD_SCHEMA = {"record_id": pl.Int64, "subject_id": pl.Int64, "class_code": pl.String, "decision_date": pl.Date,
                 "severity": pl.String, "repaired": pl.Boolean, "revoked": pl.Boolean}
ENTRY_SCHEMA = {"entry_id": pl.Int64, "subject_id": pl.Int64, "list_code": pl.String, "effective_date": pl.Date,
                "removed_on": pl.Date, "removal_reason": pl.String, "list_name_zh": pl.String}
LINE_SCHEMA = {"subject_id": pl.Int64, "item_code": pl.String, "item_name_zh": pl.String, "category": pl.String,
               "source_kind": pl.String, "source_id": pl.Int64, "points": pl.Float64, "decay_factor": pl.Float64,
               "repeat": pl.Boolean, "repaired": pl.Boolean, "note_zh": pl.String}
SCORE_SCHEMA = {"subject_id": pl.Int64, "score": pl.Float64, "grade": pl.String, "class_code": pl.String,
                "class_name_zh": pl.String, "overrides": pl.List(pl.String)}


@dataclass(frozen=True)
class Frames:
    """One partition: the subjects and all their records and list entries (schemas above)."""

    subjects: pl.DataFrame
    records: pl.DataFrame
    entries: pl.DataFrame

    @classmethod
    def of(cls, subjects: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]] = (),
           entries: Sequence[Mapping[str, Any]] = ()) -> Frames:
        return cls(pl.DataFrame(list(subjects), schema=SUBJECT_SCHEMA),
                   pl.DataFrame(list(records), schema=RECORD_SCHEMA),
                   pl.DataFrame(list(entries), schema=ENTRY_SCHEMA))


@dataclass(frozen=True)
class Scored:
    scores: pl.DataFrame  # one row per evaluated subject (SCORE_SCHEMA)
    lines: pl.DataFrame  # item lines (LINE_SCHEMA); per subject they sum to score − base


def _sign(item: RecordItem | ListItem) -> float:
    return 1.0 if item.direction == "plus" else -1.0


def _points(points: pl.Expr) -> pl.Expr:
    """A line's points rounded to the cent, a zero always +0.0: a repaired or fully decayed minus line computes −0.0
    (−60 × 0), which shows as "-0.0" in the explanation and comes back from PostgreSQL's jsonb as 0."""
    rounded = points.round(2)
    return pl.when(rounded == 0).then(0.0).otherwise(rounded).alias("points")


def _lines(frame: pl.DataFrame, item: RecordItem | ListItem, source_kind: str) -> pl.DataFrame:
    return frame.select(
        pl.col("subject_id"), pl.lit(item.code).alias("item_code"), pl.lit(item.name_zh).alias("item_name_zh"),
        pl.lit(item.category).alias("category"), pl.lit(source_kind).alias("source_kind"),
        pl.col("source_id"), _points(pl.col("points")), pl.col("decay_factor"), pl.col("repeat"),
        pl.col("repaired"), pl.col("note_zh"),
    ).cast(LINE_SCHEMA)  # type: ignore[arg-type]


def record_item_lines(item: RecordItem, frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """Record items (信用记录加减分项): points × decay by age × repeat factor; repaired → repaired_factor."""
    wanted = pl.col("class_code").is_in(list(item.class_codes)) & (pl.col("decision_date") <= as_of) \
        & ~pl.col("revoked")
    if item.severities is not None:
        wanted &= pl.col("severity").is_in(list(item.severities))
    matched = frames.records.filter(wanted).sort("subject_id", "decision_date", "record_id")
    decay = pl.lit(0.0)
    for step in reversed(item.decay):  # the narrowest window wins: build the chain from the widest
        decay = pl.when(pl.col("decision_date") > add_months(as_of, -step.within_months)).then(step.factor) \
            .otherwise(decay)
    if item.repeat is not None:
        # an earlier unrepaired record of the same item within the window makes this one a repeat (屡罚不改)
        previous = pl.when(~pl.col("repaired")).then(pl.col("decision_date")).forward_fill().shift(1).over("subject_id")
        repeat = (previous.is_not_null()
                  & (pl.col("decision_date") <= previous.dt.offset_by(f"{item.repeat.within_months}mo"))
                  & ~pl.col("repaired"))
        repeat_factor = pl.when(repeat).then(item.repeat.factor).otherwise(1.0)
    else:
        repeat, repeat_factor = pl.lit(False), pl.lit(1.0)
    scored = matched.with_columns(decay_factor=decay, repeat=repeat.fill_null(False)).with_columns(
        points=_sign(item) * item.points * pl.col("decay_factor") * repeat_factor.fill_null(1.0)
        * pl.when(pl.col("repaired")).then(item.repaired_factor).otherwise(1.0),
        source_id=pl.col("record_id"),
    ).filter((pl.col("decay_factor") > 0) | pl.col("repaired"))
    note = pl.format("{}（记录 {}）决定日期 {}，时间衰减 ×{}", pl.lit(item.name_zh), pl.col("record_id"),
                     pl.col("decision_date").dt.strftime("%Y-%m-%d"), pl.col("decay_factor"))
    note = pl.when(pl.col("repaired")).then(pl.format("{}；已信用修复，按已修复计（×{}）", note,
                                                      pl.lit(item.repaired_factor))) \
        .when(pl.col("repeat")).then(pl.format("{}；{}个月内再次发生 ×{}", note, pl.lit(item.repeat.within_months if
                                                                                      item.repeat else 0),
                                               pl.lit(item.repeat.factor if item.repeat else 1.0))) \
        .otherwise(note)
    return _lines(scored.with_columns(note_zh=note), item, "record")


def list_item_lines(item: ListItem, frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """List items (名单加减分项): an entry in force on the evaluation date; one removed by repair counts as repaired."""
    entries = frames.entries.filter(pl.col("list_code").is_in(list(item.list_codes))
                                    & (pl.col("effective_date") <= as_of))
    in_force = pl.col("removed_on").is_null() | (pl.col("removed_on") > as_of)
    repaired = ~in_force & (pl.col("removal_reason") == "repaired")
    scored = entries.with_columns(repaired=repaired.fill_null(False), in_force=in_force).filter(
        pl.col("in_force") | pl.col("repaired")).with_columns(
        points=pl.when(pl.col("repaired")).then(0.0).otherwise(_sign(item) * item.points),
        decay_factor=pl.lit(1.0), repeat=pl.lit(False), source_id=pl.col("entry_id"),
        note_zh=pl.when(pl.col("repaired"))
        .then(pl.format("{} 已信用修复移出（{}），按已修复计，不计分", pl.coalesce("list_name_zh", "list_code"),
                        pl.col("removed_on").dt.strftime("%Y-%m-%d")))
        .otherwise(pl.format("{} 在列（{} 起）", pl.coalesce("list_name_zh", "list_code"),
                             pl.col("effective_date").dt.strftime("%Y-%m-%d"))))
    return _lines(scored, item, "list")


# item type → its feature function; one signature: (item, frames, as_of) → item lines
FEATURES: dict[str, Callable[[Any, Frames, dt.date], pl.DataFrame]] = {
    "record": record_item_lines,
    "list": list_item_lines,
}


def _cap_lines(lines: pl.DataFrame, group: str, caps: Mapping[str, tuple[float, str, str]], kind: str) -> pl.DataFrame:
    """One adjustment line per subject and item (or category) whose points exceed its cap, so lines still sum."""
    if lines.is_empty():
        return lines
    cap_frame = pl.DataFrame([{group: code, "cap": cap, "name": name, "direction": direction}
                              for code, (cap, name, direction) in caps.items()],
                             schema={group: pl.String, "cap": pl.Float64, "name": pl.String, "direction": pl.String})
    extra = [pl.col("category").first()] if group != "category" else []
    totals = lines.group_by("subject_id", group).agg(pl.col("points").sum().alias("total"), *extra)
    over = totals.join(cap_frame, on=group).filter(pl.col("total").abs() > pl.col("cap") + 1e-9)
    return over.select(
        pl.col("subject_id"),
        (pl.col(group) if group == "item_code" else pl.lit(f"{kind}_cap")).alias("item_code"),
        pl.format("{}封顶调整（上限 {} 分）", pl.col("name"), pl.col("cap")).alias("item_name_zh"),
        pl.col("category"), pl.lit(kind).alias("source_kind"), pl.lit(None, pl.Int64).alias("source_id"),
        _points(pl.col("total").sign() * pl.col("cap") - pl.col("total")),
        pl.lit(None, pl.Float64).alias("decay_factor"), pl.lit(False).alias("repeat"), pl.lit(False).alias("repaired"),
        pl.format("合计 {} 分，超过上限 {} 分，按上限计", pl.col("total").round(2), pl.col("cap")).alias("note_zh"),
    ).cast(LINE_SCHEMA)  # type: ignore[arg-type]


def score_partition(frames: Frames, card: Scorecard, as_of: dt.date) -> Scored:
    """Score one partition of subjects on ``as_of`` with one scorecard: pure, no database, same result anywhere."""
    subjects = frames.subjects.filter(pl.col("kind").is_in(list(card.evaluated_kinds))).select("subject_id")
    scoped = Frames(subjects, frames.records.join(subjects, on="subject_id", how="semi"),
                    frames.entries.join(subjects, on="subject_id", how="semi"))
    item_lines = pl.concat([FEATURES[item.source](item, scoped, as_of) for item in card.items])
    item_caps = _cap_lines(item_lines, "item_code", {i.code: (i.cap, i.name_zh, i.direction) for i in card.items},
                           "item")
    capped = pl.concat([item_lines, item_caps])
    category_caps = _cap_lines(capped, "category", {c.code: (c.cap, c.name_zh, c.direction) for c in card.categories},
                               "category")
    lines = pl.concat([capped, category_caps]).sort("subject_id", "source_kind", "item_code", "source_id",
                                                    nulls_last=True)
    totals = lines.group_by("subject_id").agg(pl.col("points").sum().alias("delta"))
    serious = scoped.entries.filter(
        pl.col("list_code").is_in(list(card.serious_lists)) & (pl.col("effective_date") <= as_of)
        & (pl.col("removed_on").is_null() | (pl.col("removed_on") > as_of))
    ).group_by("subject_id").agg(pl.col("list_code").unique().sort().alias("serious_lists"))
    grade_expr = pl.lit(card.grades[-1].grade)
    for band in reversed(card.grades[:-1]):
        grade_expr = pl.when(pl.col("score") >= band.min_score).then(pl.lit(band.grade)).otherwise(grade_expr)
    best_serious = next(g for g, c in GRADE_CLASS.items() if c is CreditClass.SERIOUS)
    serious_rank = list(GRADE_CLASS).index(best_serious)
    rank = {g: i for i, g in enumerate(GRADE_CLASS)}
    scores = (subjects.join(totals, on="subject_id", how="left").join(serious, on="subject_id", how="left")
              .with_columns(score=(card.base_score + pl.col("delta").fill_null(0.0)).round(2))
              .with_columns(score_grade=grade_expr)
              .with_columns(overridden=pl.col("serious_lists").is_not_null()
                            & (pl.col("score_grade").replace_strict(rank, return_dtype=pl.Int32) < serious_rank))
              .with_columns(grade=pl.when(pl.col("overridden")).then(pl.lit(best_serious))
                            .otherwise(pl.col("score_grade")))
              .with_columns(class_code=pl.col("grade").replace_strict({g: c.value for g, c in GRADE_CLASS.items()},
                                                                      return_dtype=pl.String))
              .with_columns(class_name_zh=pl.col("class_code").replace_strict(
                  {c.value: label for c, label in CLASS_LABELS.items()}, return_dtype=pl.String),
                  overrides=pl.when(pl.col("overridden")).then(pl.concat_list(pl.format(
                      "在列严重失信主体名单（{}），无论得分均评为严重失信（评分等级 {} → {}）",
                      pl.col("serious_lists").list.join("、"), pl.col("score_grade"), pl.lit(best_serious))))
                  .otherwise(pl.lit([], dtype=pl.List(pl.String))))
              .select(list(SCORE_SCHEMA)).sort("subject_id"))
    return Scored(scores.cast(SCORE_SCHEMA), lines)  # type: ignore[arg-type]
