"""Reading credit records, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet

from pubcredit.accounts.access import record_scope
from pubcredit.catalog.registry import get_class
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


def version_rows(*, record: CreditRecord, versions) -> list:
    """Each version with its fields as (Chinese label, readable value) pairs, in catalogue order."""
    info_class = get_class(record.class_code)
    out = []
    for version in versions:
        labelled = []
        for spec in info_class.fields:
            value = version.fields.get(spec.key)
            if spec.type == "enum" and value:
                value = spec.enum_labels.get(value, value)
            elif spec.type == "multi_enum" and value:
                value = "、".join(spec.enum_labels.get(v, v) for v in value)
            labelled.append((spec.label_zh, value))
        version.labelled = labelled
        out.append(version)
    return out
