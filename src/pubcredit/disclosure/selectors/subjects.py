"""A subject's public page (主体公示页): its published records by class (双公示 sections) and the facts shown beside
them. Part of ``disclosure.selectors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from pubcredit.catalog.registry import all_classes, get_class
from pubcredit.lists.rulebook import is_list
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.disclosure.selectors.search import ALWAYS_SHOWN, RECORDS_PAGE_SIZE
from pubcredit.publicity.choices import PublicityStateChoice
from pubcredit.publicity.models import PublicityState
from pubcredit.publicity.rulebook import rulebook
from pubcredit.repair.selectors import OBJECTION_MARK, records_under_objection
from pubcredit.rules.errors import DomainError
from pubcredit.rules.publicity import SEVERITY_LABELS, Severity
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.models import Subject


@dataclass(frozen=True)
class PublicField:
    key: str
    label: str
    value: Any  # JSON-able (lists for multi-choice, numbers, ISO dates)
    text: str  # as shown on the page


@dataclass(frozen=True)
class PublicRecord:
    id: int
    class_code: str
    class_name: str
    negative: bool
    decision_no: str
    decision_date: dt.date
    department: str
    severity: str | None
    publish_from: dt.date | None
    publish_until: dt.date | None
    repairable_from: dt.date | None
    fields: tuple[PublicField, ...]
    under_objection: bool = False  # 异议处理中: an objection is being verified; still published (Order 36 art. 18, 19)

    @property
    def objection_label(self) -> str:
        return OBJECTION_MARK if self.under_objection else ""

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[Severity(self.severity)] if self.severity else ""

    @property
    def title(self) -> str:
        wanted = {"violation_type", "license_doc_name", "license_content"}
        for f in self.fields:
            if f.key in wanted and f.text:
                return f.text
        return self.class_name

    def field_values(self) -> dict[str, Any]:
        return {f.key: f.value for f in self.fields}


def _text(spec, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if spec is None:
        return str(value)
    if spec.type == "multi_enum" and isinstance(value, list):
        return "、".join(spec.enum_labels.get(v, v) for v in value)
    if spec.type == "enum":
        return spec.enum_labels.get(value, str(value))
    if spec.type == "decimal":
        number = Decimal(str(value)).normalize()
        return f"{number:f}{spec.unit or ''}"
    if spec.type == "date" and str(value).startswith("2099-12-31"):
        return "长期"
    return str(value)


def public_records(states) -> list[PublicRecord]:
    """:func:`public_record` of each state, with the objection mark (异议处理中) read in one query for all."""
    states = list(states)
    marked = records_under_objection(s.record_id for s in states)
    return [public_record(s, under_objection=s.record_id in marked) for s in states]


def public_record(state: PublicityState, *, under_objection: bool = False) -> PublicRecord:
    """A published record as the public sees it: the policy's public fields only, labelled."""
    record = state.record
    try:
        info = get_class(record.class_code)
        name, negative, specs = info.name_zh, info.nature == "negative", info.fields_by_key
    except DomainError:
        name, negative, specs = record.class_code, True, {}
    keys = rulebook().policy.public_fields.get(record.class_code, ())
    values = record.fields or {}
    fields = []
    for key in keys:
        spec = specs.get(key)
        if spec is not None and getattr(spec, "sensitive", False):
            continue  # never an identity number, whatever the policy says
        if key == "legal_rep" and record.subject.kind == SubjectKind.NATURAL_PERSON:
            continue
        text = _text(spec, values.get(key))
        if text:
            fields.append(PublicField(key, spec.label_zh if spec else key, values.get(key), text))
    return PublicRecord(
        id=record.pk, class_code=record.class_code, class_name=name, negative=negative,
        decision_no=record.decision_no, decision_date=record.decision_date, department=record.department.name,
        severity=(state.severity or None) if negative else None, publish_from=state.publish_from,
        publish_until=state.publish_until if negative else None,
        repairable_from=state.repairable_from if negative else None, fields=tuple(fields),
        under_objection=under_objection)


_SHOWN_COLUMNS = ("severity", "publish_from", "publish_until", "repairable_from", "class_code", "decision_date",
                  "subject", "department", "record__class_code", "record__decision_no", "record__decision_date",
                  "record__fields", "record__department__name", "record__subject__kind")


def _published() -> QuerySet[PublicityState]:
    """Published states with the columns a public record shows (and nothing else: the ORM cost counts)."""
    return (PublicityState.objects.filter(state=PublicityStateChoice.PUBLISHED)
            .select_related("record", "record__department", "record__subject").only(*_SHOWN_COLUMNS))


@dataclass
class RecordSection:
    class_code: str
    class_name: str
    negative: bool
    records: list[PublicRecord]
    page: int
    has_more: bool
    param: str  # the query parameter paging this section
    total: int = 0


def subject_sections(*, subject: Subject, pages: dict[str, int] | None = None) -> list[RecordSection]:
    """One section per public class (行政许可, 行政处罚 …) with its published records, newest first, paged. One count
    query says which classes have something; only those are read. Lists have their own sections
    (:func:`subject_list_sections`), read from their entries."""
    pages = pages or {}
    counts = dict(PublicityState.objects.filter(subject=subject, state=PublicityStateChoice.PUBLISHED)
                  .values_list("class_code").annotate(n=Count("pk")).order_by())
    sections = []
    for info in all_classes():
        total = counts.get(info.code, 0)
        if not info.public or is_list(info.code) or (not total and info.code not in ALWAYS_SHOWN):
            continue  # other classes appear when the subject has something published there
        page = max(1, pages.get(info.code, 1))
        start = (page - 1) * RECORDS_PAGE_SIZE
        rows = (list(_published().filter(subject=subject, class_code=info.code)
                     .order_by("-decision_date", "-record_id")[start:start + RECORDS_PAGE_SIZE]) if total > start
                else [])
        sections.append(RecordSection(info.code, info.name_zh, info.nature == "negative",
                                      public_records(rows), page, total > start + RECORDS_PAGE_SIZE,
                                      f"p_{info.code}", total))
    sections.sort(key=lambda s: (ALWAYS_SHOWN.index(s.class_code) if s.class_code in ALWAYS_SHOWN else 9,
                                 s.class_code))
    return sections


def subject_published_records(*, subject: Subject, limit: int = 500) -> list[PublicRecord]:
    """Every published record of a subject (API ``records``), newest first, at most ``limit``. List records are not
    here: the API gives them as ``lists`` (:func:`subject_list_entries`)."""
    lists = list_rulebook().codes()
    return public_records(_published().filter(subject=subject).exclude(class_code__in=lists)
                          .order_by("-decision_date", "-record_id")[:limit])


def subject_facts(*, subject: Subject) -> dict[str, Any]:
    """Registration facts shown on the subject page: kind, code (masked for people), district, former names and
    the legal representative named on its latest published record."""
    latest = (_published().filter(subject=subject).order_by("-decision_date", "-record_id").first()
              if subject.kind != SubjectKind.NATURAL_PERSON else None)  # uses publicity_subject_idx
    former = [n for n in subject.names.order_by("first_seen", "id").values_list("name", flat=True)
              if n != subject.name]
    return {
        "name": subject.name, "code": subject.display_code, "uscc": subject.uscc,
        "kind": subject.get_kind_display(), "district": subject.district.name if subject.district else "",
        "legal_rep": ((latest.record.fields or {}).get("legal_rep") or "") if latest else "",
        "former_names": former[-5:],
    }
