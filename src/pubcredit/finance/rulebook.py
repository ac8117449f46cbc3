"""The finance rulebooks, loaded once per process: the 信易贷 profile's scope items (``rulebook/finance/profile.yaml``,
checked against the catalogue) and the 信易+ scenarios (``rulebook/incentives/scenarios.yaml``, checked against the
list rules)."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from pubcredit.catalog.registry import all_classes
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.rulebook.loader import RulebookError, load_yaml
from pubcredit.rules import clock
from pubcredit.rules.finance import ProfileBook, parse_profile_book
from pubcredit.rules.incentives import IncentiveBook, parse_incentive_book

PROFILE_FILE = "finance/profile.yaml"
INCENTIVES_FILE = "incentives/scenarios.yaml"


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


@cache
def profile_book() -> ProfileBook:
    data = load_yaml(PROFILE_FILE)
    try:
        return parse_profile_book(data, catalogue_classes=[c.code for c in all_classes()])
    except ValueError as exc:
        raise RulebookError(f"{PROFILE_FILE}: {exc}") from exc


@cache
def profile_version() -> str:
    return f"finance-profile@{profile_book().version}#{_digest(load_yaml(PROFILE_FILE))}"


def list_kinds() -> dict[str, str]:
    """List code → ``red`` or ``black``, of the list rules in force today."""
    book, today = list_rulebook(), clock.today()
    out = {}
    for code in book.codes():
        spec = book.get(code, today)
        if spec is not None:
            out[code] = spec.kind.value
    return out


@cache
def incentive_book() -> IncentiveBook:
    data = load_yaml(INCENTIVES_FILE)
    try:
        return parse_incentive_book(data, known_lists=list_kinds())
    except ValueError as exc:
        raise RulebookError(f"{INCENTIVES_FILE}: {exc}") from exc


@cache
def incentive_version() -> str:
    return f"incentives@{incentive_book().version}#{_digest(load_yaml(INCENTIVES_FILE))}"
