"""The facts the publicity rule reads from a stored record (:func:`record_facts`): class, subject, dates, fines,
declared severity, sectors, family, and for a list record its entry's window (名单公示). Part of the publicity
services (``publicity.services`` re-exports every name).
"""

from __future__ import annotations

import datetime as dt
from decimal import InvalidOperation
from typing import Any

from pubcredit.catalog.registry import get_class
from pubcredit.lists.models import ListEntry
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.publicity.rulebook import rulebook
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules import lists as list_rules
from pubcredit.rules import publicity as rules
from pubcredit.rules.errors import DomainError
from pubcredit.rules.publicity import RecordFacts, Severity


_SEVERITY_WORDS = {"minor": Severity.MINOR, "轻微": Severity.MINOR, "轻微失信": Severity.MINOR,
                   "general": Severity.GENERAL, "一般": Severity.GENERAL, "一般失信": Severity.GENERAL,
                   "serious": Severity.SERIOUS, "严重": Severity.SERIOUS, "严重失信": Severity.SERIOUS}
_PROCEDURE_WORDS = {"summary": "summary", "简易程序": "summary", "简易": "summary",
                    "ordinary": "ordinary", "普通程序": "ordinary", "普通": "ordinary"}
# the record fields the rule reads (proposed catalogue keys for the optional ones: docs/publicity.md)
DECLARED_SEVERITY_FIELD = "severity_declared"  # 失信程度（认定单位认定）
PROCEDURE_FIELD = "procedure"  # 处罚程序（简易程序/普通程序）
SECTOR_FIELD = "sector"  # 所属领域 (codes of policy.yaml sectors)
UNTRUE_COMMITMENT_FIELD = "serious_untrue"  # 承诺严重不实 (违背信用承诺信息)


# ------------------------------------------------------------------------------------------------------------
# Facts from a record


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _class_info(code: str, cache: dict[str, tuple[str, bool, bool]]) -> tuple[str, bool, bool]:
    """(nature, public, public_for_natural_persons) of a class; an unknown class is negative and not public."""
    if code not in cache:
        try:
            info = get_class(code)
            cache[code] = (info.nature, info.public, info.public_for_natural_persons)
        except DomainError:
            cache[code] = ("negative", False, False)
    return cache[code]


_NO_ENTRY = object()


def _list_publicity(record: CreditRecord, entry: ListEntry | None) -> list_rules.EntryPublicity | None:
    """名单公示 of a list-class record: from its entry (removals by the list workflow count at once), or, before the
    entry is derived (the collection pipeline assesses first), from the record as the entry will be derived."""
    spec = list_rulebook().get(record.class_code, record.decision_date)
    if spec is None:
        return None
    received = record.received_at.astimezone(clock.PLATFORM_TZ).date()
    if entry is not None:
        effective, planned = entry.effective_date, entry.planned_end
        removed_on, reason = entry.removed_on, entry.removal_reason or None
    else:
        derived = list_rules.derive_entry(spec, record.fields or {}, decision_date=record.decision_date,
                                          revoked=record.status == RecordStatus.REVOKED,
                                          revoked_reason=record.status_reason, today=clock.today())
        effective, planned = derived.effective, derived.term.planned_end
        reason, removed_on = derived.removal[:2] if derived.removal else (None, None)
    return list_rules.entry_publicity(spec, subject_kind=record.subject.kind, effective=effective,
                                      received_on=received, planned_end=planned, removed_on=removed_on,
                                      removal_reason=reason)


def record_facts(record: CreditRecord, *, class_cache: dict | None = None, entry: Any = _NO_ENTRY) -> RecordFacts:
    """The plain facts the publicity rule reads from a record (its subject and department loaded). For a record of
    a list class, ``entry`` is its list entry (None: not derived yet); omitted, it is read."""
    policy = rulebook().policy
    list_publicity = None
    if list_rulebook().is_list(record.class_code):
        if entry is _NO_ENTRY:
            entry = ListEntry.objects.filter(record_id=record.pk).first()
        list_publicity = _list_publicity(record, entry)
    nature, public, public_persons = _class_info(record.class_code, {} if class_cache is None else class_cache)
    values = record.fields or {}
    try:
        fine = rules.fine_yuan(values.get("fine_amount"))
    except (InvalidOperation, ValueError):
        fine = None
    declared = _SEVERITY_WORDS.get(str(values.get(DECLARED_SEVERITY_FIELD) or "").strip())
    procedure = _PROCEDURE_WORDS.get(str(values.get(PROCEDURE_FIELD) or "").strip())
    explicit_sector = values.get(SECTOR_FIELD) or ()
    if isinstance(explicit_sector, str):
        explicit_sector = (explicit_sector,)
    types = values.get("penalty_types") or ()
    if isinstance(types, str):
        types = (types,)
    return RecordFacts(
        class_code=record.class_code, nature=nature, class_public=public, public_for_natural_persons=public_persons,
        subject_kind=record.subject.kind, decision_date=record.decision_date,
        received_on=record.received_at.astimezone(clock.PLATFORM_TZ).date(),
        penalty_types=tuple(types), fine_amount_yuan=fine, declared_severity=declared, procedure=procedure,
        sectors=rules.detect_sectors(policy, (values.get("violation_type"), values.get("penalty_basis")),
                                     explicit_sector),
        restriction_until=_date(values.get("valid_until")),
        family=rules.family_of(policy, authority_name=values.get("authority_name") or "",
                               department_name=record.department.name, department_code=record.department.code),
        licence_status=values.get("status") if nature != "negative" else None,
        list_publicity=list_publicity,
        untrue_commitment=str(values.get(UNTRUE_COMMITMENT_FIELD) or "").strip() in ("yes", "是"),
    )
