"""双公示 listings (行政许可、行政处罚公示): published records of one class, filtered, paged and capped. Part of
``disclosure.selectors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from pubcredit.accounts.models import Department, District
from pubcredit.catalog.registry import get_class
from pubcredit.disclosure.selectors.search import LISTING_MAX_PAGES, PAGE_SIZE
from pubcredit.disclosure.selectors.subjects import public_records, PublicRecord, _published
from pubcredit.publicity.rulebook import rulebook
from pubcredit.subjects.models import Subject


# --------------------------------------------------------------------------------------------------------------
# 双公示 listings


@dataclass
class ListingFilters:
    department: str = ""  # department code
    district: str = ""  # district code
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    matter: str = ""  # 承诺事项 code (信用承诺公示 only)

    def as_query(self) -> dict[str, str]:
        out = {"department": self.department, "district": self.district,
               "date_from": self.date_from.isoformat() if self.date_from else "",
               "date_to": self.date_to.isoformat() if self.date_to else "", "matter": self.matter}
        return {k: v for k, v in out.items() if v}


@dataclass
class ListingPage:
    class_code: str
    class_name: str
    filters: ListingFilters
    page: int
    records: list[tuple[PublicRecord, Subject]]
    has_more: bool
    capped: bool  # the last page allowed for these filters


def _filtered(qs: QuerySet, filters: ListingFilters) -> QuerySet:
    """The listing filters, on published records or on list entries (both carry department, subject and decision
    date)."""
    if filters.department:
        qs = qs.filter(department__code=filters.department)
    if filters.district:
        qs = qs.filter(subject__district__code=filters.district)
    if filters.date_from:
        qs = qs.filter(decision_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decision_date__lte=filters.date_to)
    if filters.matter:
        qs = qs.filter(record__fields__matter=filters.matter)
    return qs


def listing(*, class_code: str, filters: ListingFilters, page: int = 1) -> ListingPage:
    """The newest published records of a class (最新行政许可 / 行政处罚), filtered and paged (never whole)."""
    info = get_class(class_code)
    page = max(1, min(page, LISTING_MAX_PAGES))
    qs = _filtered(_published().select_related("subject", "subject__district").filter(class_code=class_code), filters)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("-decision_date", "-record_id")[start:start + PAGE_SIZE + 1])
    return ListingPage(class_code, info.name_zh, filters, page,
                       list(zip(public_records(rows[:PAGE_SIZE]), [s.subject for s in rows[:PAGE_SIZE]])),
                       len(rows) > PAGE_SIZE and page < LISTING_MAX_PAGES, page >= LISTING_MAX_PAGES)


def filter_choices(class_code: str | None = None) -> dict[str, Any]:
    """The listing filters' choices; a class with an enumerated 承诺事项 (``matter``) is also searchable by it."""
    matter = next((f for f in get_class(class_code).fields if f.key == "matter" and f.type == "enum"),
                  None) if class_code else None
    return {"departments": list(Department.objects.order_by("code").values_list("code", "name")),
            "districts": list(District.objects.order_by("code").values_list("code", "name")),
            "matters": list(matter.enum_labels.items()) if matter else []}


def regimes_for_display() -> list[Any]:
    """The publicity regimes of the rulebook, newest first (the 公示规则 page)."""
    return sorted(rulebook().regimes, key=lambda r: (r.effective_from, r.code), reverse=True)
