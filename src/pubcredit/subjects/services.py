"""Every write to credit subjects: resolution (find or create), renames, confirmed identifiers."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pubcredit.accounts.models import District
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.industries import IndustryError, industry_section
from pubcredit.subjects import crypto
from pubcredit.subjects.choices import IdentifierKind
from pubcredit.subjects.models import ConfirmedIdentifier, Subject, SubjectName

_CHUNK = 500


@dataclass(frozen=True)
class SubjectRef:
    """What a submission says about its subject. Identifiers are already validated and normalised."""

    kind: str
    name: str
    uscc: str | None = None
    id_number: str | None = None

    @property
    def key(self) -> str:
        """The subject's identity within a batch: its USCC, else its identity number."""
        return f"u:{self.uscc}" if self.uscc else f"p:{self.id_number}"


@functools.cache
def _city_division_prefix() -> str:
    return load_yaml("districts.yaml")["city"]["division_prefix"]


def district_by_division() -> dict[str, int]:
    prefix = _city_division_prefix()
    return {code: pk for code, pk in District.objects.exclude(division_code="").values_list("division_code", "id")
            if code.startswith(prefix)}


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _existing(latest: dict[str, SubjectRef]) -> dict[str, tuple[int, str]]:
    """``ref.key → (subject id, current name)`` for the refs already registered."""
    found: dict[str, tuple[int, str]] = {}
    by_uscc = [r.uscc for r in latest.values() if r.uscc]
    for chunk in _chunks(by_uscc):
        for pk, uscc, name in Subject.objects.filter(uscc__in=chunk).values_list("id", "uscc", "name"):
            found[f"u:{uscc}"] = (pk, name)
    person_keys = {crypto.lookup_hash(r.id_number): r.key for r in latest.values() if not r.uscc}
    for chunk in _chunks(list(person_keys)):
        for pk, id_hash, name in Subject.objects.filter(id_hash__in=chunk).values_list("id", "id_hash", "name"):
            found[person_keys[id_hash]] = (pk, name)
    return found


_SUBJECT_FIELDS = ("kind", "name", "uscc", "id_hash", "id_encrypted", "id_masked", "district_id", "created_at",
                   "updated_at")


def subjects_resolve(refs: Iterable[SubjectRef], *, actor: Any, reason: str = "") -> dict[str, int]:
    """Find or create the subject of every ref (主体识别); returns ``{ref.key: subject id}``.

    A code seen under a new name renames the subject and keeps the old name in its history. Each creation and
    rename is audited. Runs inside the caller's transaction; written in bulk (imports resolve thousands at once).
    """
    from pubcredit.bulk import bulk_insert

    latest: dict[str, SubjectRef] = {}
    for ref in refs:
        if not ref.uscc and not ref.id_number:
            raise DomainError("subject.identifier_required", "信用主体缺少统一社会信用代码或证件号码",
                              "subject has neither USCC nor ID number", "subject_uscc")
        latest[ref.key] = ref  # the last mention in a batch wins
    if not latest:
        return {}
    now = clock.now()
    found = _existing(latest)
    renamed = [(found[k][0], found[k][1], r.name) for k, r in latest.items() if k in found and found[k][1] != r.name]
    districts = district_by_division()
    new_rows = []
    for key, ref in latest.items():
        if key in found:
            continue
        code = ref.uscc or ref.id_number
        division = identifiers.uscc_division(code) if ref.uscc else code[:6]
        person = not ref.uscc
        new_rows.append({
            "kind": ref.kind, "name": ref.name, "uscc": ref.uscc, "district_id": districts.get(division),
            "id_hash": crypto.lookup_hash(ref.id_number) if person else None,
            "id_encrypted": crypto.encrypt(ref.id_number) if person else "",
            "id_masked": identifiers.mask_resident_id(ref.id_number) if person else "",
            "created_at": now, "updated_at": now,
        })
    with transaction.atomic():
        bulk_insert(Subject, new_rows, _SUBJECT_FIELDS)
        created = _existing({k: r for k, r in latest.items() if k not in found})
        found.update(created)
        names = [{"subject_id": pk, "name": name, "first_seen": now} for pk, name in created.values()]
        pending = [audit.PendingEvent(Event.SUBJECT_CREATED, "subject", pk, reason=reason,
                                      after={"kind": latest[k].kind, "name": name,
                                             "code": latest[k].uscc or identifiers.mask_resident_id(latest[k].id_number)})
                   for k, (pk, name) in created.items()]
        for pk, old_name, new_name in renamed:
            pending.append(audit.PendingEvent(Event.SUBJECT_RENAMED, "subject", pk, reason=reason,
                                              before={"name": old_name}, after={"name": new_name}))
            Subject.objects.filter(pk=pk).update(name=new_name, updated_at=now)
            SubjectName.objects.get_or_create(subject_id=pk, name=new_name, defaults={"first_seen": now})
        bulk_insert(SubjectName, names, ("subject_id", "name", "first_seen"))
        audit.record_many(pending, actor=actor)
    return {key: pk for key, (pk, _) in found.items()}


def subject_resolve(ref: SubjectRef, *, actor: Any, reason: str = "") -> Subject:
    return Subject.objects.get(pk=subjects_resolve([ref], actor=actor, reason=reason)[ref.key])


@dataclass(frozen=True)
class IndustryResult:
    """What ``subjects_industry_set`` did: subjects whose industry changed, unchanged ones, and the codes the
    platform holds no subject for (registered enterprises with no credit information yet: nothing to set)."""

    updated: int
    unchanged: int
    not_found: list[str]


@transaction.atomic
def subjects_industry_set(*, rows: Sequence[dict[str, Any]], actor: Any, reason: str) -> IndustryResult:
    """Set organisations' industry (国民经济行业门类, GB/T 4754-2017) from the registration data: each row
    ``{"uscc", "industry"}``, the industry as a section letter, a section name or a class code (``C3011``).

    All or nothing: a malformed code or an unknown industry refuses the whole set, every bad row named
    (``rows.<n>.uscc`` / ``rows.<n>.industry``, n from 1), and nothing is written. Each change is audited with the
    old and new section (``subject.industry``)."""
    if not (reason or "").strip():
        raise DomainError("industry.reason_required", "须说明行业数据来源（如市场监管部门登记注册信息）",
                          "a reason (the data's source) is required", "reason")
    wanted: dict[str, str] = {}
    problems: list[Problem] = []
    for n, row in enumerate(rows, start=1):
        check = identifiers.check_uscc(row.get("uscc"), field_name=f"rows.{n}.uscc")
        if not check.ok:
            problems.extend(check.problems)
            continue
        try:
            wanted[check.value] = industry_section(str(row.get("industry") or ""))
        except IndustryError as exc:
            problems.append(Problem("industry.unknown", f"第{n}行：{exc}", f"row {n}: not a GB/T 4754-2017 section "
                                    f"or class code: {row.get('industry')!r}", f"rows.{n}.industry"))
    if problems:
        raise DomainError.from_problems(problems)
    now = clock.now()
    current = {}
    for chunk in _chunks(list(wanted)):
        current.update({u: (pk, ind) for pk, u, ind in
                        Subject.objects.filter(uscc__in=chunk).values_list("id", "uscc", "industry")})
    changed = {u: s for u, s in wanted.items() if u in current and current[u][1] != s}
    by_section: dict[str, list[int]] = {}
    for u, section in changed.items():
        by_section.setdefault(section, []).append(current[u][0])
    for section, ids in by_section.items():
        for chunk in _chunks(ids):
            Subject.objects.filter(pk__in=chunk).update(industry=section, updated_at=now)
    audit.record_many([audit.PendingEvent(Event.SUBJECT_INDUSTRY_SET, "subject", current[u][0], reason=reason.strip(),
                                          before={"industry": current[u][1]}, after={"industry": s})
                       for u, s in changed.items()], actor=actor)
    return IndustryResult(len(changed), sum(1 for u in wanted if u in current) - len(changed),
                          sorted(u for u in wanted if u not in current))


@transaction.atomic
def identifier_confirm(*, kind: str, value: str, reason: str, actor: Any) -> ConfirmedIdentifier:
    """Confirm a really-issued code that fails its checksum, so submissions carrying it are accepted with a warning."""
    if not reason.strip():
        raise DomainError("identifier.reason_required", "请说明确认依据（如发证机关核实记录）",
                          "a reason is required", "reason")
    normalised = identifiers.normalise_code(value)
    if kind == IdentifierKind.USCC:
        check = identifiers.check_uscc(normalised)
        if check.ok:
            raise DomainError("identifier.already_valid", "该代码校验通过，无需确认", "code is already valid", "value")
        if check.problems[0].code != "uscc.checksum":
            raise DomainError.from_problems(check.problems)
        stored = normalised
    elif kind == IdentifierKind.RESIDENT_ID:
        check = identifiers.check_resident_id(normalised, today=clock.today())
        if check.ok or check.problems[0].code != "id.checksum":
            raise DomainError.from_problems(check.problems) if check.problems else DomainError(
                "identifier.already_valid", "该号码校验通过，无需确认", "number is already valid", "value")
        stored = crypto.lookup_hash(normalised)
    else:
        raise DomainError("identifier.kind", f"未知代码类型：{kind}", f"unknown identifier kind {kind!r}", "kind")
    confirmed, _ = ConfirmedIdentifier.objects.get_or_create(
        kind=kind, value=stored,
        defaults={"reason": reason, "confirmed_by": actor if getattr(actor, "pk", None) else None,
                  "confirmed_at": clock.now()},
    )
    audit.record(Event.IDENTIFIER_CONFIRMED, actor=actor, object_type="identifier", object_id=confirmed.pk,
                 reason=reason, after={"kind": kind, "value": stored})
    return confirmed


def confirmed_identifiers() -> crypto.Allowlist:
    """The allowlist of operator-confirmed identifiers, for the identifier rules."""
    uscc, ids = set(), set()
    for kind, value in ConfirmedIdentifier.objects.values_list("kind", "value"):
        (uscc if kind == IdentifierKind.USCC else ids).add(value)
    return crypto.Allowlist(frozenset(uscc), frozenset(ids))


def person_read_log(*, subject: Subject, viewer: Any, purpose: str) -> None:
    """Audit a read of a natural person's data (自然人信息查询留痕): who, whom, why."""
    audit.record(Event.NATURAL_PERSON_READ, actor=viewer, object_type="subject", object_id=subject.pk, reason=purpose,
                 data={"masked_id": subject.id_masked})
