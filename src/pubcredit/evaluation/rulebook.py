"""The scorecards (评价模型) from ``rulebook/scorecards/*.yaml``, checked against the catalogue and the lists."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

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
            line = _line_of(path, str(exc).split(":", 1)[0])
            raise RulebookError(f"{path.name}{f' line {line}' if line else ''}: {exc}") from None
    try:
        return ScorecardBook(tuple(cards))
    except ScorecardError as exc:
        raise RulebookError(f"scorecards: {exc}") from None


def _line_of(path: Path, dotted: str) -> int | None:
    """The 1-based line of the YAML node at ``items.3.class_codes`` (parts naming no key, such as the item type
    tag pydantic adds to a discriminated union, are skipped), or None."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    line = None
    for part in dotted.split("."):
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                continue
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
    return line


@cache
def scorecards() -> ScorecardBook:
    return load_scorecards()


def reload() -> None:
    scorecards.cache_clear()
