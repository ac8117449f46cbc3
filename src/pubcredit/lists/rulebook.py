"""Loading ``rulebook/lists/*.yaml`` into the pure rule's :class:`ListRulebook` (cached, checked against the catalogue)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pubcredit.catalog.registry import load_catalog
from pubcredit.rulebook.loader import RULEBOOK_DIR, load_yaml
from pubcredit.rules.lists import ListRulebook, ListRulebookError, ListSpec, parse_rulebook

LISTS_DIR = RULEBOOK_DIR / "lists"


def load_rulebook(directory: Path | str = LISTS_DIR) -> ListRulebook:
    """Every list file of ``directory``; a list without a catalogue class of the same code is refused."""
    directory = Path(directory)
    files = {p.name: load_yaml(p) for p in sorted(directory.glob("*.yaml"))}
    if not files:
        raise ListRulebookError(f"{directory}: no list files (*.yaml)")
    book = parse_rulebook(files)
    catalogue = load_catalog()
    missing = [code for code in book.codes() if code not in catalogue.versions]
    if missing:
        raise ListRulebookError(f"lists without a catalogue class: {', '.join(missing)}")
    return book


@cache
def rulebook() -> ListRulebook:
    return load_rulebook()


def reload() -> None:
    """Forget the cached rulebook (after an operator changed the files, and in tests)."""
    rulebook.cache_clear()


def list_codes() -> list[str]:
    return rulebook().codes()


def spec_for(code: str, on) -> ListSpec | None:
    return rulebook().get(code, on)


def is_list(class_code: str) -> bool:
    """Whether records of ``class_code`` are list entries (the collection pipeline's cheap test before syncing)."""
    return rulebook().is_list(class_code)
