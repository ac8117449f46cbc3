"""The commitments rulebook (``rulebook/commitments/rules.yaml``), loaded once per process and checked against the
catalogue class ``credit_commitment`` (its matters and types). Which measures take 告知承诺 away is the measure
list's to say (scenario ``commitment_approval``), not this file's."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from pubcredit.catalog.registry import get_class
from pubcredit.rulebook.loader import RulebookError, load_yaml
from pubcredit.rules.commitments import CommitmentRulebook, parse_rulebook

RULES_FILE = "commitments/rules.yaml"
COMMITMENT_CLASS = "credit_commitment"
BREACH_CLASS = "commitment_breach"


@cache
def commitment_book() -> CommitmentRulebook:
    data = load_yaml(RULES_FILE)
    info_class = get_class(COMMITMENT_CLASS)
    fields = {f.key: f for f in info_class.fields}
    try:
        book = parse_rulebook(data, catalogue_matters=[v.code for v in fields["matter"].values],
                              catalogue_types=[v.code for v in fields["commitment_type"].values])
    except ValueError as exc:
        raise RulebookError(f"{RULES_FILE}: {exc}") from exc
    return book


@cache
def book_version() -> str:
    """``commitments@2026.1#<digest of the file>``: kept with every eligibility answer."""
    data = load_yaml(RULES_FILE)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return f"commitments@{commitment_book().version}#{digest[:12]}"


def breach_severities() -> dict[str, str]:
    """失信程度 the identifying unit may declare on a breach (code → 中文), as the breach class lists them."""
    field = next(f for f in get_class(BREACH_CLASS).fields if f.key == "severity_declared")
    return {v.code: v.label_zh for v in field.values}
