"""The scorecards (评价模型) from ``rulebook/scorecards/*.yaml``, checked against the catalogue and the lists."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pubcredit.catalog.registry import all_classes
from pubcredit.lists.rulebook import list_codes
from pubcredit.rulebook.loader import RULEBOOK_DIR, RulebookError, load_yaml
from pubcredit.rules.evaluation import ScorecardBook, ScorecardError, parse_scorecard

SCORECARD_DIR = RULEBOOK_DIR / "scorecards"


def load_scorecards(directory: Path | str = SCORECARD_DIR) -> ScorecardBook:
    """Every scorecard file; a bad one is refused with its file and field named (the running book stays cached)."""
    known_classes = frozenset(c.code for c in all_classes())
    known_lists = frozenset(list_codes())
    cards = []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            cards.append(parse_scorecard(load_yaml(path), known_classes=known_classes, known_lists=known_lists))
        except ScorecardError as exc:
            raise RulebookError(f"{path.name}: {exc}") from None
    try:
        return ScorecardBook(tuple(cards))
    except ScorecardError as exc:
        raise RulebookError(f"scorecards: {exc}") from None


@cache
def scorecards() -> ScorecardBook:
    return load_scorecards()


def reload() -> None:
    scorecards.cache_clear()
