"""Figures for the workbench home page, per role and scope."""

from __future__ import annotations

from django.db.models import Count, Q

from pubcredit.accounts.access import is_city_operator, record_scope
from pubcredit.catalog.registry import get_class
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.subjects.models import Subject


def home_figures(*, viewer) -> dict:
    scope = record_scope(viewer)
    records = CreditRecord.objects.filter(scope)
    since = clock.today().replace(day=1)
    totals = records.aggregate(
        total=Count("id"),
        penalties=Count("id", filter=Q(class_code="admin_penalty")),
        licences=Count("id", filter=Q(class_code="admin_license")),
        this_month=Count("id", filter=Q(received_at__date__gte=since)),
        late=Count("id", filter=Q(on_time=False)),
    )
    figures = {"records": totals, "since": since}
    if is_city_operator(viewer):
        figures["subjects"] = Subject.objects.count()
    figures["recent"] = list(records.select_related("subject", "department").order_by("-received_at", "-id")[:10])
    return figures


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
