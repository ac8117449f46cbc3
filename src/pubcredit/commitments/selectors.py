"""Reads of credit commitments (信用承诺), scoped like every record (``accounts.access.record_scope``), with the
verification state computed by the working-day calendar (``rules.commitments.verification_overdue``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from pubcredit.accounts.access import record_scope
from pubcredit.commitments.models import EligibilityAnswer
from pubcredit.commitments.rulebook import BREACH_CLASS, COMMITMENT_CLASS, commitment_book
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.commitments import STATUS_LABELS, TYPE_LABELS, verification_due, verification_overdue
from pubcredit.workdays.selectors import work_calendar


def may_view(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role))


def may_accept(user) -> bool:
    """A clerk of an accepting department (受理部门) records commitments, verifications and breaches."""
    return bool(getattr(user, "is_authenticated", False) and user.department_id
                and user.role in ("provider", "business_user", "reviewer"))


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class CommitmentRow:
    record: CreditRecord
    type_zh: str
    matter_zh: str
    status: str
    status_zh: str
    verification_date: dt.date | None
    verification_due: dt.date | None
    verified_on: dt.date | None
    overdue: bool

    @property
    def fields(self) -> dict:
        return self.record.fields


def commitment_row(record: CreditRecord, *, today: dt.date | None = None) -> CommitmentRow:
    book, calendar = commitment_book(), work_calendar()
    today = today or clock.today()
    values = record.fields
    planned, verified = _day(values.get("verification_date")), _day(values.get("verified_on"))
    status = values.get("status", "")
    matter = book.matters.get(values.get("matter", ""))
    in_force = status == "in_force"
    return CommitmentRow(
        record, TYPE_LABELS.get(values.get("commitment_type", ""), "—"), matter.name_zh if matter else "—", status,
        STATUS_LABELS.get(status, "—"), planned,
        verification_due(planned, calendar, book.verification_grace_working_days) if planned else None, verified,
        in_force and verification_overdue(planned, verified, today=today, calendar=calendar,
                                          grace_working_days=book.verification_grace_working_days))


def commitments(*, viewer, status: str = "", matter: str = "") -> QuerySet[CreditRecord]:
    qs = (CreditRecord.objects.filter(record_scope(viewer), class_code=COMMITMENT_CLASS)
          .select_related("subject", "department").order_by("-decision_date", "-pk"))
    if status in STATUS_LABELS:
        qs = qs.filter(fields__status=status)
    if matter in commitment_book().matters:
        qs = qs.filter(fields__matter=matter)
    return qs


def commitment_get(*, viewer, pk: int) -> CreditRecord | None:
    return commitments(viewer=viewer).filter(pk=pk).first()


def breach_record_for(record: CreditRecord) -> CreditRecord | None:
    return (CreditRecord.objects.filter(class_code=BREACH_CLASS, subject_id=record.subject_id,
                                        fields__commitment_no=record.decision_no, status=RecordStatus.ACTIVE)
            .first())


@dataclass(frozen=True)
class Figures:
    by_status: dict[str, int]
    by_type: dict[str, int]
    verifications_due: int
    verifications_done: int
    verifications_overdue: int


def figures(*, viewer) -> Figures:
    """Counts for the list page: commitments by status and type, and verifications due, done and overdue."""
    by_status = {label: 0 for label in STATUS_LABELS.values()}
    by_type = {label: 0 for label in TYPE_LABELS.values()}
    due = done = overdue = 0
    today = clock.today()
    for record in commitments(viewer=viewer).select_related(None).only("fields", "decision_date"):
        row = commitment_row(record, today=today)
        by_status[row.status_zh] = by_status.get(row.status_zh, 0) + 1
        by_type[row.type_zh] = by_type.get(row.type_zh, 0) + 1
        if row.verification_date:
            due += 1
            done += row.verified_on is not None
            overdue += row.overdue
    return Figures(by_status, by_type, due, done, overdue)


def eligibility_answers(*, viewer) -> QuerySet[EligibilityAnswer]:
    qs = EligibilityAnswer.objects.select_related("department").order_by("-as_of")
    if viewer.is_superuser or viewer.role == "operator":
        return qs
    return qs.filter(department_id=viewer.department_id) if viewer.department_id else qs.none()
