"""Loading ``rulebook/publicity/*.yaml`` into the pure rule's :class:`PublicityRulebook` (cached)."""

from __future__ import annotations

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
    return load_rulebook()


def reload() -> None:
    """Forget the cached rulebook (after an operator changed the files, and in tests)."""
    rulebook.cache_clear()
