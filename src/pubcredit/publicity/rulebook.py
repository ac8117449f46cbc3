"""Loading ``rulebook/publicity/*.yaml`` into the pure rule's :class:`PublicityRulebook` (cached)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from pubcredit.rulebook.loader import RULEBOOK_DIR, load_yaml
from pubcredit.rules.publicity import PublicityRulebook, PublicityRulebookError, parse_rulebook

PUBLICITY_DIR = RULEBOOK_DIR / "publicity"


def load_rulebook(directory: Path | str = PUBLICITY_DIR) -> PublicityRulebook:
    """``policy.yaml`` plus one file per regime; any problem is a :class:`PublicityRulebookError`."""
    directory = Path(directory)
    policy_file = directory / "policy.yaml"
    if not policy_file.exists():
        raise PublicityRulebookError(f"{directory}: policy.yaml missing")
    regimes = {p.name: load_yaml(p) for p in sorted(directory.glob("*.yaml")) if p.name != "policy.yaml"}
    return parse_rulebook(load_yaml(policy_file), regimes)


@cache
def rulebook() -> PublicityRulebook:
    """The regimes and policy, versioned together with the list rules (``rulebook/lists``), whose ``publicity``
    blocks decide list records: a change of either is a new version, and ``pubcredit tick`` re-assesses everything."""
    from pubcredit.lists.rulebook import rulebook as list_rulebook

    book = load_rulebook()
    return replace(book, version=f"{book.version}+lists#{list_rulebook().version.rsplit('#', 1)[-1]}")


def reload() -> None:
    """Forget the cached rulebook (after an operator changed the files, and in tests)."""
    rulebook.cache_clear()
