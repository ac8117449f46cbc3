"""The arrears ledger's rulebook (``rulebook/integrity/arrears.yaml``), loaded once per process."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from pydantic import ValidationError

from pubcredit.rulebook.loader import RulebookError, load_yaml
from pubcredit.rules.integrity import ArrearsRulebook, FilesRulebook, parse_files_rulebook, parse_rulebook

RULES_FILE = "integrity/arrears.yaml"


@cache
def arrears_book() -> ArrearsRulebook:
    try:
        return parse_rulebook(load_yaml(RULES_FILE))
    except ValidationError as exc:
        raise RulebookError(f"{RULES_FILE}: {exc}") from exc


@cache
def book_version() -> str:
    """``arrears@2026.1#<digest of the file>``: kept with every complaint."""
    data = load_yaml(RULES_FILE)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return f"arrears@{arrears_book().version}#{digest[:12]}"


FILES_FILE = "integrity/files.yaml"


@cache
def files_book() -> FilesRulebook:
    """Which integrity-file records matter for appointment and for how long (诚信档案)."""
    try:
        return parse_files_rulebook(load_yaml(FILES_FILE))
    except (ValidationError, ValueError) as exc:
        raise RulebookError(f"{FILES_FILE}: {exc}") from exc


CASES_FILE = "integrity/cases.yaml"


@cache
def cases_book():
    """Grounds, limits and accountability of government dishonesty cases (政府失信认定)."""
    from pubcredit.rules.integrity import parse_cases_rulebook

    try:
        return parse_cases_rulebook(load_yaml(CASES_FILE))
    except (ValidationError, ValueError) as exc:
        raise RulebookError(f"{CASES_FILE}: {exc}") from exc


@cache
def cases_version() -> str:
    data = load_yaml(CASES_FILE)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return f"gov_cases@{cases_book().version}#{digest[:12]}"


CAMPAIGNS_FILE = "integrity/campaigns.yaml"


@cache
def campaigns_book():
    """The campaign calendar (诚信宣传节点): 诚信兴商宣传月, 信用记录关爱日 and their dates."""
    from pubcredit.rules.integrity import parse_campaigns_rulebook

    try:
        return parse_campaigns_rulebook(load_yaml(CAMPAIGNS_FILE))
    except (ValidationError, ValueError) as exc:
        raise RulebookError(f"{CAMPAIGNS_FILE}: {exc}") from exc
