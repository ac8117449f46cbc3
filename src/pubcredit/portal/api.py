"""Public API (公开接口): no token, the same rules and limits as the public pages.

- ``GET /api/v1/public/search?q=``: subjects by name (2 characters or more) or USCC;
- ``GET /api/v1/public/subjects/{uscc}``: the subject and its published records. An unpublished record is absent.
"""

import datetime as dt
from typing import Any

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema

from pubcredit.audit.services import SystemActor
from pubcredit.portal import selectors
from pubcredit.portal.ratelimit import client_ip, rate_limited
from pubcredit.subjects.services import person_read_log

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


class SubjectOut(Schema):
    name: str
    uscc: str | None
    code: str
    kind: str
    district: str | None
    legal_rep: str
    former_names: list[str]
    url: str
    records: list[PublicRecordOut]


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
    return {"query": result.query, "page": result.page, "has_more": result.has_more, "too_many": result.too_many,
            "message": result.error, "results": [_brief(s) for s in result.results]}


@router.get("/subjects/{uscc}", response=SubjectOut, url_name="public_subject")
@rate_limited("page", as_json=True)
def subject(request, uscc: str):
    """A subject by USCC with its published records (行政许可, 行政处罚 …), newest first. Negative records carry
    their severity and publicity period; records not published (minor, withheld, expired, repaired) are absent."""
    found = selectors.subject_public_by_uscc(uscc=uscc)
    if found is None:
        raise Http404("subject not found")
    if found.is_natural_person:  # only when a class is public for persons; every read of a person is audited
        person_read_log(subject=found, viewer=SystemActor(f"public:{client_ip(request)}"),
                        purpose="公开接口查看 (public API)")
    facts = selectors.subject_facts(subject=found)
    records = selectors.subject_published_records(subject=found)
    return {**_brief(found), "legal_rep": facts["legal_rep"], "former_names": facts["former_names"],
            "records": [{"id": r.id, "class_code": r.class_code, "class_name": r.class_name,
                         "decision_no": r.decision_no, "decision_date": r.decision_date, "department": r.department,
                         "severity": r.severity, "publish_from": r.publish_from, "publish_until": r.publish_until,
                         "repairable_from": r.repairable_from, "fields": r.field_values()} for r in records]}
