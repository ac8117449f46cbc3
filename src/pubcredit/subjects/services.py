"""Every write to credit subjects: resolution (find or create), renames, confirmed identifiers."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pubcredit.accounts.models import District
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError
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


def _district_by_division() -> dict[str, int]:
    prefix = _city_division_prefix()
    return {code: pk for code, pk in District.objects.exclude(division_code="").values_list("division_code", "id")
            if code.startswith(prefix)}


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def subjects_resolve(refs: Iterable[SubjectRef], *, actor: Any, reason: str = "") -> dict[str, Subject]:
    """Find or create the subject of every ref (主体识别); returns ``{ref.key: Subject}``.

    A code seen under a new name renames the subject and keeps the old name in its history. Each creation and
    rename is audited. Runs inside the caller's transaction.
    """
    latest: dict[str, SubjectRef] = {}
    for ref in refs:
        if not ref.uscc and not ref.id_number:
            raise DomainError("subject.identifier_required", "信用主体缺少统一社会信用代码或证件号码",
                              "subject has neither USCC nor ID number", "subject_uscc")
        latest[ref.key] = ref  # the last mention in a batch wins
    if not latest:
        return {}
    now = clock.now()
    found: dict[str, Subject] = {}
    by_uscc = [r.uscc for r in latest.values() if r.uscc]
    for chunk in _chunks(by_uscc):
        for subject in Subject.objects.filter(uscc__in=chunk):
            found[f"u:{subject.uscc}"] = subject
    person_refs = {crypto.lookup_hash(r.id_number): r for r in latest.values() if not r.uscc}
    for chunk in _chunks(list(person_refs)):
        for subject in Subject.objects.filter(id_hash__in=chunk):
            found[person_refs[subject.id_hash].key] = subject

    renamed = [(found[k], r.name) for k, r in latest.items() if k in found and found[k].name != r.name]
    districts = _district_by_division()
    new_subjects: list[Subject] = []
    for key, ref in latest.items():
        if key in found:
            continue
        code = ref.uscc or ref.id_number
        division = identifiers.uscc_division(code) if ref.uscc else code[:6]
        subject = Subject(kind=ref.kind, name=ref.name, uscc=ref.uscc, district_id=districts.get(division),
                          created_at=now, updated_at=now)
        if not ref.uscc:
            subject.id_hash = crypto.lookup_hash(ref.id_number)
            subject.id_encrypted = crypto.encrypt(ref.id_number)
            subject.id_masked = identifiers.mask_resident_id(ref.id_number)
        new_subjects.append(subject)
    with transaction.atomic():
        Subject.objects.bulk_create(new_subjects, batch_size=_CHUNK)
        for subject in new_subjects:
            found[f"u:{subject.uscc}" if subject.uscc else person_refs[subject.id_hash].key] = subject
        names = [SubjectName(subject=s, name=s.name, first_seen=now) for s in new_subjects]
        pending = [audit.PendingEvent(Event.SUBJECT_CREATED, "subject", s.pk, reason=reason,
                                      after={"kind": s.kind, "name": s.name, "code": s.display_code})
                   for s in new_subjects]
        for subject, new_name in renamed:
            pending.append(audit.PendingEvent(Event.SUBJECT_RENAMED, "subject", subject.pk, reason=reason,
                                              before={"name": subject.name}, after={"name": new_name}))
            subject.name, subject.updated_at = new_name, now
            names.append(SubjectName(subject=subject, name=new_name, first_seen=now))
        if renamed:
            Subject.objects.bulk_update([s for s, _ in renamed], ["name", "updated_at"], batch_size=_CHUNK)
        SubjectName.objects.bulk_create(names, batch_size=_CHUNK, ignore_conflicts=True)
        audit.record_many(pending, actor=actor)
    return found


def subject_resolve(ref: SubjectRef, *, actor: Any, reason: str = "") -> Subject:
    return subjects_resolve([ref], actor=actor, reason=reason)[ref.key]


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
