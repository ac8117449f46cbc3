"""The measure list in force (联合奖惩措施清单): the seed in ``rulebook/measures/*.yaml`` overlaid by operators' versions.

- the seed is loaded once per process and checked (every punishment has its legal basis, lists and scenarios exist,
  a mandatory punishment's conditions read only facts its list classes carry: ``lists.rulebook.fact_specs``);
- an operator's newest version of a code replaces the seed's versions of that code from the moment it was saved;
- the compiled :class:`MeasureSet` is cached per overlay revision (the newest ``MeasureVersion`` id), so a check
  costs one index lookup to know it is current, and an operator's save is seen by the next check in every process.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Max

from pubcredit.lists.rulebook import fact_specs
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.rulebook.loader import RULEBOOK_DIR, load_yaml
from pubcredit.rules.sanctions import Measure, MeasureSet, Scenario, parse_measure_files, parse_scenarios
from pubcredit.sanctions.models import MeasureVersion

MEASURES_DIR = RULEBOOK_DIR / "measures"
SCENARIOS_FILE = "scenarios.yaml"


@dataclass(frozen=True)
class Seed:
    scenarios: dict[str, Scenario]
    measures: tuple[Measure, ...]
    version: str


def load_seed(directory: Path | str = MEASURES_DIR) -> Seed:
    directory = Path(directory)
    scenarios = parse_scenarios(load_yaml(directory / SCENARIOS_FILE))
    files = {p.name: load_yaml(p) for p in sorted(directory.glob("*.yaml")) if p.name != SCENARIOS_FILE}
    measures, version = parse_measure_files(files, scenarios=scenarios, lists=list_rulebook().codes(),
                                            list_facts=fact_specs())
    return Seed(scenarios, measures, version)


@cache
def seed() -> Seed:
    return load_seed()


def scenarios() -> dict[str, Scenario]:
    return seed().scenarios


def checkable_scenarios() -> dict[str, Scenario]:
    return {code: s for code, s in seed().scenarios.items() if s.checkable}


@dataclass(frozen=True)
class MeasureBook:
    """The measures in force at one overlay revision, and the version string a check records."""

    measures: tuple[Measure, ...]
    overridden: frozenset[str]  # codes whose current version is an operator's
    revision: int
    version: str
    measure_set: MeasureSet

    def current(self, code: str, on: dt.date) -> Measure | None:
        candidates = [m for m in self.measures if m.code == code]
        in_force = [m for m in candidates if m.in_force(on)]
        if in_force:
            return in_force[-1]
        return candidates[-1] if candidates else None

    def codes(self) -> list[str]:
        return sorted({m.code for m in self.measures})

    @property
    def short_version(self) -> str:
        """``lists#ddedc2527405;measures#fb51d8c6d6cf;ops:3``: the version in at most 64 characters (audit rows)."""
        return short_version(self.version)


def short_version(version: str) -> str:
    parts = []
    for part in version.split(";"):
        name, _, rest = part.partition(":")
        parts.append(f"{name}#{rest.rsplit('#', 1)[1]}" if "#" in rest else part)
    return ";".join(parts)[:64]


_lock = threading.Lock()
_cache: dict[str, MeasureBook] = {}


def _revision() -> int:
    return MeasureVersion.objects.aggregate(n=Max("id"))["n"] or 0


def _build(revision: int, *, at: dt.datetime | None = None) -> MeasureBook:
    base = seed()
    latest: dict[str, Measure] = {}
    qs = MeasureVersion.objects.filter(id__lte=revision).order_by("code", "number")
    if at is not None:
        qs = qs.filter(created_at__lte=at)
    seed_latest: dict[str, Measure] = {}  # the newest seed version of each code
    for m in base.measures:
        if m.code not in seed_latest or m.effective_from > seed_latest[m.code].effective_from:
            seed_latest[m.code] = m
    for version in qs:
        latest[version.code] = Measure.model_validate(_with_seed_conditions(version.data, seed_latest.get(version.code)))
    measures = [m for m in base.measures if m.code not in latest] + list(latest.values())
    measures.sort(key=lambda m: (m.code, m.effective_from))
    lists_version = list_rulebook().version
    version = f"{lists_version};{base.version};ops:{revision}"
    return MeasureBook(tuple(measures), frozenset(latest), revision, version, MeasureSet(measures))


def _with_seed_conditions(data: dict, seed_measure: Measure | None) -> dict:
    """An operator version saved before measures had conditions (issue 11) keeps the seed's conditions and
    implementer: replacing them by nothing would make a conditional measure fire on every entry (过惩相当)."""
    if "conditions" in data or seed_measure is None:
        return data
    return {**data, "conditions": seed_measure.conditions.model_dump(mode="json", by_alias=True),
            "implemented_by": seed_measure.implemented_by}


def measure_book(revision: int | None = None) -> MeasureBook:
    """The measure list in force now (cached per overlay revision). ``revision`` is the newest ``MeasureVersion`` id
    when the caller read it already (the check reads it in the same query as the subject's entries)."""
    revision = _revision() if revision is None else revision
    book = _cache.get("current")
    if book is not None and book.revision == revision:
        return book
    book = _build(revision)
    with _lock:
        _cache["current"] = book
    return book


def measure_book_at(moment: dt.datetime) -> MeasureBook:
    """The measure list as it stood at ``moment`` (operator versions saved by then)."""
    revision = MeasureVersion.objects.filter(created_at__lte=moment).aggregate(n=Max("id"))["n"] or 0
    return _build(revision, at=moment)


def reload() -> None:
    """Forget the seed and the compiled list (after the files changed, and in tests)."""
    seed.cache_clear()
    with _lock:
        _cache.clear()
