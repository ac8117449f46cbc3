"""Loading ``rulebook/repair/procedure.yaml`` into the pure rule's :class:`RepairRulebook` (cached)."""

from __future__ import annotations

from functools import cache

from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules.repair import RepairRulebook, parse_rulebook


@cache
def rulebook() -> RepairRulebook:
    return parse_rulebook(load_yaml("repair/procedure.yaml"))
