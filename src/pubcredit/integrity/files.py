"""Integrity files of civil servants and judicial and law-enforcement staff (公务员、司法和执法人员诚信档案): every
write and every read goes through here, each audited. Only the personnel office of the person's own organisation
reads a file; an appointment check (任用审查) answers any personnel office with the records that matter and nothing
else. Identity numbers are kept as the subjects app keeps them (encrypted, keyed hash, masked); never public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.integrity import permissions
from pubcredit.integrity.models import IntegrityFile, IntegrityFileEntry
from pubcredit.integrity.rulebook import files_book
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.identifiers import check_resident_id, mask_resident_id
from pubcredit.rules.integrity import STAFF_KINDS, AppointmentReason, FileEntryFacts, appointment_check
from pubcredit.subjects import crypto

_NOT_YOURS = ("integrity_file.not_allowed", "仅本人所在单位的人事部门可查阅和登记诚信档案",
              "only the personnel office of the person's own organisation reads integrity files")


def _id_number(raw: str) -> str:
    checked = check_resident_id(raw, today=clock.today())
    if not checked.ok:
        raise DomainError.from_problems(checked.problems)
    return checked.value


@transaction.atomic(durable=True)
def integrity_file_create(*, name: str, id_number: str, staff_kind: str, position: str, actor: Any) -> IntegrityFile:
    """建档 for a member of the personnel office's own organisation."""
    if not permissions.may_keep_files(actor):
        raise DomainError(*_NOT_YOURS)
    if staff_kind not in STAFF_KINDS:
        raise DomainError("integrity_file.staff_kind", "请选择人员类别（公务员、司法人员、行政执法人员）",
                          f"unknown staff kind {staff_kind!r}", "staff_kind")
    name, position = (name or "").strip(), (position or "").strip()
    if not name:
        raise DomainError("name.required", "请填写姓名", "name is required", "name")
    if not position:
        raise DomainError("position.required", "请填写职务", "position is required", "position")
    number = _id_number(id_number)
    lookup = crypto.lookup_hash(number)
    if IntegrityFile.objects.filter(id_hash=lookup).exists():
        raise DomainError("integrity_file.duplicate", "此人已有诚信档案（调动时由原单位移交）", "a file exists", "id_number")
    row = IntegrityFile.objects.create(organisation=actor.department, staff_kind=staff_kind, name=name[:50],
                                       position=position[:100], id_hash=lookup, id_encrypted=crypto.encrypt(number),
                                       id_masked=mask_resident_id(number), created_at=clock.now())
    audit.record(Event.INTEGRITY_FILE_WRITTEN, actor=actor, object_type="integrity_file", object_id=row.pk,
                 after={"organisation": row.organisation_id, "staff_kind": staff_kind, "masked_id": row.id_masked},
                 data={"event": "create", "masked_id": row.id_masked})
    return row


@transaction.atomic(durable=True)
def integrity_file_entry_add(*, file: IntegrityFile, kind: str, title: str, decided_on: dt.date, detail: str = "",
                             actor: Any) -> IntegrityFileEntry:
    """登记 one record (a commitment signed on appointment, a sanction, a commendation …) in an own-staff file."""
    if not permissions.may_keep_files(actor, file.organisation_id):
        raise DomainError(*_NOT_YOURS)
    kinds = files_book().kinds
    if kind not in kinds:
        raise DomainError("integrity_file.kind", "请选择记录类别", f"unknown kind {kind!r}", "kind")
    title = (title or "").strip() or kinds[kind].name_zh
    if decided_on is None or decided_on > clock.today():
        raise DomainError("date.future", "日期不能为空，也不能晚于今天", "date missing or in the future", "decided_on")
    entry = IntegrityFileEntry.objects.create(file=file, kind=kind, title=title[:200], decided_on=decided_on,
                                              detail=(detail or "").strip(), recorded_by=actor,
                                              recorded_at=clock.now())
    audit.record(Event.INTEGRITY_FILE_WRITTEN, actor=actor, object_type="integrity_file", object_id=file.pk,
                 after={"kind": kind, "title": title, "decided_on": decided_on.isoformat()},
                 data={"event": "entry", "kind": kind, "masked_id": file.id_masked})
    return entry


def integrity_commitment_sign(*, file: IntegrityFile, signed_on: dt.date, content: str, actor: Any) -> IntegrityFileEntry:
    """任职诚信承诺: the commitment signed on appointment, kept in the file (kind ``commitment``)."""
    if not (content or "").strip():
        raise DomainError("commitment.content_required", "请填写承诺内容", "content is required", "detail")
    return integrity_file_entry_add(file=file, kind="commitment", title="任职诚信承诺", decided_on=signed_on,
                                    detail=content, actor=actor)


def integrity_file_read(*, file_id: int, viewer: Any, purpose: str = "查阅诚信档案") -> IntegrityFile:
    """Open a file: its own organisation's personnel office only; the read is audited (who, whose, why). Anyone else
    is refused and the refusal is audited too."""
    found = IntegrityFile.objects.select_related("organisation").filter(pk=file_id).first()
    if found is None or not permissions.may_keep_files(viewer, found.organisation_id):
        with transaction.atomic(durable=True):  # the refused attempt stays in the trail
            audit.record(Event.INTEGRITY_FILE_READ, actor=viewer, object_type="integrity_file", object_id=file_id,
                         reason=purpose, data={"allowed": False})
        raise DomainError(*_NOT_YOURS)
    with transaction.atomic(durable=True):
        audit.record(Event.INTEGRITY_FILE_READ, actor=viewer, object_type="integrity_file", object_id=found.pk,
                     reason=purpose, data={"allowed": True, "masked_id": found.id_masked})
    return found


@dataclass(frozen=True)
class AppointmentAnswer:
    found: bool  # the person has an integrity file on the platform
    clear: bool  # nothing bars the appointment
    reasons: list[AppointmentReason]
    masked_id: str
    rulebook_version: str

    @property
    def verdict_zh(self) -> str:
        if not self.found:
            return "平台未建立此人的诚信档案"
        return "未发现影响任用的诚信记录" if self.clear else "存在影响任用的诚信记录"


@transaction.atomic(durable=True)
def appointment_check_run(*, id_number: str, purpose: str, actor: Any) -> AppointmentAnswer:
    """任用诚信审查 by any personnel office (the appointing body's, too): whether the file holds a record that matters
    for appointment, with reasons; nothing else of the file (no commendations, no expired records, no detail)."""
    if not permissions.may_keep_files(actor):
        raise DomainError("integrity_file.check_not_allowed", "仅人事部门可进行任用诚信审查",
                          "only personnel offices run appointment checks")
    if not (purpose or "").strip():
        raise DomainError("purpose.required", "请说明审查事由（拟任职务）", "purpose is required", "purpose")
    number = _id_number(id_number)
    book = files_book()
    found = IntegrityFile.objects.filter(id_hash=crypto.lookup_hash(number)).first()
    reasons: list[AppointmentReason] = []
    if found is not None:
        facts = [FileEntryFacts(e.kind, e.decided_on, e.removed_on) for e in found.entries.all()]
        reasons = appointment_check(facts, today=clock.today(), book=book)
    answer = AppointmentAnswer(found is not None, not any(r.effect == "bar" for r in reasons), reasons,
                               mask_resident_id(number), f"integrity-files@{book.version}")
    audit.record(Event.APPOINTMENT_CHECK, actor=actor, object_type="integrity_file",
                 object_id=found.pk if found else "", reason=purpose.strip(),
                 data={"masked_id": answer.masked_id, "clear": answer.clear, "reasons": [r.code for r in reasons]},
                 rule_version=answer.rulebook_version)
    return answer
