"""Reading credit records, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet

from pubcredit.accounts.access import record_scope
from pubcredit.records.models import CreditRecord, RecordVersion


def records_exist() -> bool:
    return CreditRecord.objects.exists()


def record_list_for_subject(*, viewer, subject) -> QuerySet[CreditRecord]:
    return (CreditRecord.objects.filter(subject=subject).filter(record_scope(viewer))
            .select_related("department").order_by("-decision_date", "-id"))


def record_get(*, viewer, pk: int) -> CreditRecord | None:
    return CreditRecord.objects.filter(record_scope(viewer)).select_related("subject", "department").filter(pk=pk).first()


def record_versions(*, record: CreditRecord) -> QuerySet[RecordVersion]:
    return record.versions.order_by("-version")
