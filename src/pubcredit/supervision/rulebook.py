"""The supervision rulebook (``rulebook/supervision/rules.yaml``), loaded once per process; its version and a
digest of the file are recorded on every task and result."""

from __future__ import annotations

from functools import cache

from pubcredit.rulebook.loader import RulebookError, load_yaml
from pubcredit.rules.supervision import SupervisionRulebook, parse_rulebook, rulebook_digest

RULES_FILE = "supervision/rules.yaml"
RESULT_CLASS = "spot_check_result"


@cache
def supervision_book() -> SupervisionRulebook:
    try:
        return parse_rulebook(load_yaml(RULES_FILE))
    except ValueError as exc:
        raise RulebookError(f"{RULES_FILE}: {exc}") from exc


@cache
def book_version() -> str:
    """``supervision@zibo-2021.1#<digest>``."""
    return f"supervision@{supervision_book().version}#{rulebook_digest(load_yaml(RULES_FILE))[:12]}"


def reload() -> None:
    supervision_book.cache_clear()
    book_version.cache_clear()
