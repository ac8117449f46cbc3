"""Public API (公开接口): no token, the same rules and limits as the public pages.

- ``GET /api/v1/public/search?q=``: subjects by name (2 characters or more) or USCC;
- ``GET /api/v1/public/subjects/{uscc}``: the subject, its published records and (``lists``) the red and black
  list entries shown today. An unpublished record or entry is absent;
- ``GET /api/v1/public/lists/{list_code}``: one list's entries shown today (红黑名单公示), paged and filtered.
"""

import datetime as dt
from typing import Any

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema

from pubcredit.disclosure import selectors
from pubcredit.ratelimit import client_ip, rate_limited
from pubcredit.portal.services import public_person_reads_log
from pubcredit.rules.errors import DomainError, Problem

router = Router(tags=["public"])


class SearchQuery(Schema):
    q: str = ""
    page: int = 1


class SubjectBriefOut(Schema):
    name: str
    uscc: str | None
    code: str  # the USCC, or the masked identity number
    kind: str
    district: str | None
    url: str


class SearchOut(Schema):
    query: str
    page: int
    has_more: bool
    too_many: bool
    message: str
    results: list[SubjectBriefOut]


class PublicRecordOut(Schema):
    id: int
    class_code: str
    class_name: str
    decision_no: str
    decision_date: dt.date
    department: str
    severity: str | None  # minor / general / serious: negative classes only
    publish_from: dt.date | None
    publish_until: dt.date | None  # last day shown; null: no end (licences)
    repairable_from: dt.date | None  # first day credit repair may be applied for; null: not before the end
    fields: dict[str, Any]
    under_objection: bool = False  # an objection is being verified; the record stays published meanwhile
    objection_label: str = ""  # "异议处理中" while under_objection, else empty


class PublicListEntryOut(Schema):
    """A red or black list entry shown today (名单条目)."""

    id: int
    list_code: str
    list_name: str  # 失信被执行人, 纳税信用A级纳税人 …
    kind: str  # black (黑名单) / red (红名单)
    decision_no: str  # 认定（列入）决定文书号
    decision_date: dt.date
    identifying_unit: str  # 认定单位
    publish_from: dt.date  # shown since: the later of the effective date and the platform's receipt
    publish_until: dt.date | None  # last day shown (planned end); null: until removed
    legal_basis: str  # 列入依据
    fields: dict[str, Any]  # the list's public fields (rulebook/lists/<code>.yaml publicity.fields)
    under_objection: bool = False  # an objection to the entry's record is being verified; still shown
    objection_label: str = ""  # "异议处理中" while under_objection, else empty


class PublicSubjectOut(Schema):
    name: str
    uscc: str | None
    code: str
    kind: str
    district: str | None
    legal_rep: str
    former_names: list[str]
    url: str
    records: list[PublicRecordOut]
    lists: list[PublicListEntryOut] = []  # added for issue 5: red and black list entries shown today


class PublicListQuery(Schema):
    page: int = 1
    district: str = ""  # district code (of the subject)
    department: str = ""  # code of the pushing department
    date_from: dt.date | None = None  # decision date from
    date_to: dt.date | None = None  # decision date to


class ListedEntryOut(PublicListEntryOut):
    subject: SubjectBriefOut


class ListListingOut(Schema):
    list_code: str
    list_name: str
    kind: str
    page: int
    has_more: bool
    capped: bool  # the last page for these filters (50 pages of 20): narrow the filters for older entries
    results: list[ListedEntryOut]


def _entry(entry: selectors.PublicListEntry) -> dict:
    return {"id": entry.id, "list_code": entry.list_code, "list_name": entry.list_name, "kind": entry.kind,
            "decision_no": entry.decision_no, "decision_date": entry.decision_date,
            "identifying_unit": entry.identifying_unit, "publish_from": entry.publish_from,
            "publish_until": entry.publish_until, "legal_basis": entry.legal_basis, "fields": entry.field_values(),
            "under_objection": entry.under_objection, "objection_label": entry.objection_label}


def _brief(subject) -> dict:
    return {"name": subject.name, "uscc": subject.uscc, "code": subject.display_code,
            "kind": subject.get_kind_display(), "district": subject.district.name if subject.district else None,
            "url": reverse("portal:subject", args=[subject.pk])}


@router.get("/search", response=SearchOut, url_name="public_search")
@rate_limited("search", as_json=True)
def search(request, query: Query[SearchQuery]):
    """Search subjects by name (substring, at least 2 characters) or 18-character USCC; 20 per page, at most 200
    matches (``too_many``: give a more precise name)."""
    result = selectors.subject_search_public(query=query.q, page=query.page)
    if any(s.is_natural_person for s in result.results):  # published by law (失信被执行人): logged
        public_person_reads_log(subjects=result.results, client=client_ip(request),
                                purpose="公开接口查询结果 (public API search)")
    return {"query": result.query, "page": result.page, "has_more": result.has_more, "too_many": result.too_many,
            "message": result.error, "results": [_brief(s) for s in result.results]}


@router.get("/subjects/{uscc}", response=PublicSubjectOut, url_name="public_subject")
@rate_limited("page", as_json=True)
def subject(request, uscc: str):
    """A subject by USCC with its published records (行政许可, 行政处罚 …), newest first. Negative records carry
    their severity and publicity period; records not published (minor, withheld, expired, repaired) are absent."""
    found = selectors.subject_public_by_uscc(uscc=uscc)
    if found is None:
        raise Http404("subject not found")
    if found.is_natural_person:  # only when a class is public for persons: the read is logged (portal.services)
        public_person_reads_log(subjects=[found], client=client_ip(request),
                        purpose="公开接口查看 (public API)")
    facts = selectors.subject_facts(subject=found)
    records = selectors.subject_published_records(subject=found)
    entries = selectors.subject_list_entries(subject=found)
    return {**_brief(found), "legal_rep": facts["legal_rep"], "former_names": facts["former_names"],
            "records": [{"id": r.id, "class_code": r.class_code, "class_name": r.class_name,
                         "decision_no": r.decision_no, "decision_date": r.decision_date, "department": r.department,
                         "severity": r.severity, "publish_from": r.publish_from, "publish_until": r.publish_until,
                         "repairable_from": r.repairable_from, "fields": r.field_values(),
                         "under_objection": r.under_objection, "objection_label": r.objection_label} for r in records],
            "lists": [_entry(e) for e in entries]}


@router.get("/lists/{list_code}", response=ListListingOut, url_name="public_list")
@rate_limited("page", as_json=True)
def list_entries(request, list_code: str, query: Query[PublicListQuery]):
    """One red or black list (红黑名单公示): the entries shown today, newest decision first, 20 per page, at most 50
    pages per filter. Natural persons appear only on lists that publish them by law (失信被执行人), with the identity
    number masked; the persons shown are logged, not audited (public by law). Unknown list → 404
    ``public_list.not_found`` (field ``list_code``); unknown district or department code → 400 naming the field."""
    spec = selectors.public_list_get(list_code)
    filters = selectors.ListingFilters(department=query.department.strip(), district=query.district.strip(),
                                       date_from=query.date_from, date_to=query.date_to)
    unknown = selectors.unknown_filter_problems(filters)
    if unknown:
        labels = {"district": ("区县", "district"), "department": ("部门", "department")}
        raise DomainError.from_problems([
            Problem(f"public_list.unknown_{name}", f"未知的{labels[name][0]}代码：{value}",
                    f"unknown {labels[name][1]} code {value!r}", name) for name, value in unknown])
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise DomainError("public_list.date_order", "起始日期不能晚于截止日期", "date_from is after date_to",
                          "date_from")
    result = selectors.list_listing(list_code=spec.code, filters=filters, page=query.page)
    if result.persons:
        public_person_reads_log(subjects=result.persons, client=client_ip(request),
                                purpose=f"公开接口名单公示（{spec.name_zh}）")
    return {"list_code": spec.code, "list_name": spec.name_zh, "kind": spec.kind.value, "page": result.page,
            "has_more": result.has_more, "capped": result.capped,
            "results": [{**_entry(e), "subject": _brief(e.subject)} for e in result.entries]}
