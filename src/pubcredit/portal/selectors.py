"""What the public site reads (公示网站查询). Only published records (state ``published``) ever leave here;
natural persons appear only through a class configured public for them; identity numbers only masked.

Name search on a million subjects (docs/portal.md, bench/portal):

- SQLite: an FTS5 trigram index over ``subjects_subject.name`` (``portal_subject_fts``, kept in sync by triggers
  from migration ``portal.0001``). Queries under 3 characters find nothing through trigrams (the FTS trap), so
  they go to ``LIKE`` on the base table;
- PostgreSQL: a ``pg_trgm`` GIN index on the name serves ``ILIKE '%…%'`` for 3 characters or more; 2-character
  queries use a GIN index over the name's bigrams (``portal_name_bigrams``, migration ``portal.0002``).

At most ``MAX_RESULTS`` matches are fetched and ranked (exact name, then prefix, then shorter names); past that the
page asks for a more precise name. Nothing lists a whole table: searches are capped, listings are paged and capped.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from pubcredit.accounts.models import Department, District
from pubcredit.catalog.registry import all_classes, get_class
from pubcredit.publicity.choices import PublicityStateChoice
from pubcredit.publicity.models import PublicityState
from pubcredit.publicity.rulebook import rulebook
from pubcredit.rules import identifiers
from pubcredit.rules.errors import DomainError
from pubcredit.rules.publicity import SEVERITY_LABELS, Severity
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.models import Subject

MIN_QUERY = 2
MAX_QUERY = 60
PAGE_SIZE = 20
MAX_RESULTS = 200  # search matches fetched and ranked; more → "please be more precise"
LISTING_MAX_PAGES = 50  # 双公示 listings: 1 000 newest per filter; older ones through the filters
RECORDS_PAGE_SIZE = 20  # per class on a subject page
FTS_TABLE = "portal_subject_fts"
FTS_MIN = 3  # trigram: shorter queries go to LIKE
ALWAYS_SHOWN = ("admin_license", "admin_penalty")  # 双公示 sections on every subject page


# --------------------------------------------------------------------------------------------------------------
# Search


def normalise_query(raw: str | None) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    return " ".join(text.split())[:MAX_QUERY]


def _like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@cache
def _fts_ready(alias: str) -> bool:
    """Whether the FTS5 index exists (the migration skips it when SQLite lacks FTS5)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def persons_public() -> bool:
    """Some public class is configured public for natural persons (none by default: Order 36 art. 12)."""
    return any(c.public and c.public_for_natural_persons for c in all_classes())


def _kind_filter_sql(alias: str) -> str:
    """SQL condition keeping subjects the public may find."""
    if not persons_public():
        return f"{alias}.kind <> 'natural_person'"
    return (f"({alias}.kind <> 'natural_person' OR EXISTS (SELECT 1 FROM publicity_publicitystate p "
            f"WHERE p.subject_id = {alias}.id AND p.state = 'published'))")


def name_match_ids(query: str, limit: int) -> list[int]:
    """Ids of findable subjects whose name contains ``query`` (at most ``limit``), by the fastest correct path."""
    kinds = _kind_filter_sql("s")
    with connection.cursor() as cursor:
        # Chinese has no case: plain LIKE (much cheaper per row than ILIKE under UTF-8); ILIKE when letters have case
        like = "LIKE" if query.lower() == query.upper() else "ILIKE"
        if connection.vendor == "postgresql" and len(query) >= FTS_MIN:  # pg_trgm GIN index
            cursor.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name {like} %s ESCAPE '\\' AND {kinds} "
                           "LIMIT %s", [_like_pattern(query), limit])
        elif connection.vendor == "postgresql":  # 2 characters: the bigram GIN index (migration portal.0002)
            cursor.execute("SELECT s.id FROM subjects_subject s WHERE portal_name_bigrams(s.name) @> "
                           f"ARRAY[lower(%s)]::text[] AND s.name {like} %s ESCAPE '\\' AND {kinds} LIMIT %s",
                           [query, _like_pattern(query), limit])
        elif len(query) >= FTS_MIN and _fts_ready(connection.alias):
            phrase = '"' + query.replace('"', '""') + '"'
            cursor.execute(f"SELECT s.id FROM {FTS_TABLE} JOIN subjects_subject s ON s.id = {FTS_TABLE}.rowid "
                           f"WHERE {FTS_TABLE} MATCH %s AND {kinds} LIMIT %s", [phrase, limit])
        else:  # under 3 characters: trigrams cannot answer (the FTS trap); LIKE on the base table
            cursor.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name LIKE %s ESCAPE '\\' AND {kinds} "
                           "LIMIT %s", [_like_pattern(query), limit])
        return [row[0] for row in cursor.fetchall()]


def _exact_ids(query: str) -> list[int]:
    kinds = _kind_filter_sql("s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name = %s AND {kinds} LIMIT %s",
                       [query, PAGE_SIZE])
        return [row[0] for row in cursor.fetchall()]


@dataclass
class SearchPage:
    query: str
    page: int = 1
    results: list[Subject] = field(default_factory=list)
    has_more: bool = False
    too_many: bool = False  # more than MAX_RESULTS matches: ask for a more precise name
    by_code: bool = False
    error: str = ""

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def subject_search_public(*, query: str, page: int = 1) -> SearchPage:
    """Public search by name (substring, 2 characters or more) or USCC (统一社会信用代码)."""
    q = normalise_query(query)
    result = SearchPage(query=q, page=max(1, page))
    if not q:
        return result
    code = identifiers.normalise_code(q)
    if identifiers.USCC_PATTERN.match(code):
        result.by_code = True
        subject = subject_public_by_uscc(uscc=code)
        result.results = [subject] if subject else []
        return result
    if len(q) < MIN_QUERY:
        result.error = f"请输入至少{MIN_QUERY}个字的名称，或18位统一社会信用代码"
        return result
    ids = list(dict.fromkeys(_exact_ids(q) + name_match_ids(q, MAX_RESULTS + 1)))
    result.too_many = len(ids) > MAX_RESULTS
    ids = ids[:MAX_RESULTS]
    names = dict(Subject.objects.filter(pk__in=ids).values_list("pk", "name"))
    ranked = sorted(names, key=lambda pk: (names[pk] != q, not names[pk].startswith(q), len(names[pk]), pk))
    start = (result.page - 1) * PAGE_SIZE
    page_ids = ranked[start:start + PAGE_SIZE]
    result.has_more = len(ranked) > start + PAGE_SIZE
    found = Subject.objects.select_related("district").in_bulk(page_ids)
    result.results = [found[pk] for pk in page_ids if pk in found]
    return result


# --------------------------------------------------------------------------------------------------------------
# Subjects and their published records


def _findable(subject: Subject | None) -> Subject | None:
    if subject is None:
        return None
    if subject.kind == SubjectKind.NATURAL_PERSON:
        if not persons_public() or not PublicityState.objects.filter(
                subject=subject, state=PublicityStateChoice.PUBLISHED).exists():
            return None
    return subject


def subject_public_get(*, pk: int) -> Subject | None:
    """A subject the public may open (natural persons only with a published item of a class public for them)."""
    return _findable(Subject.objects.select_related("district").filter(pk=pk).first())


def subject_public_by_uscc(*, uscc: str) -> Subject | None:
    code = identifiers.normalise_code(uscc or "")
    if not code:
        return None
    return _findable(Subject.objects.select_related("district").filter(uscc=code).first())


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


def public_record(state: PublicityState) -> PublicRecord:
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
        repairable_from=state.repairable_from if negative else None, fields=tuple(fields))


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
    """One section per public class (行政许可, 行政处罚, lists …) with its published records, newest first, paged.
    One count query says which classes have something; only those are read."""
    pages = pages or {}
    counts = dict(PublicityState.objects.filter(subject=subject, state=PublicityStateChoice.PUBLISHED)
                  .values_list("class_code").annotate(n=Count("pk")).order_by())
    sections = []
    for info in all_classes():
        total = counts.get(info.code, 0)
        if not info.public or (not total and info.code not in ALWAYS_SHOWN):
            continue  # lists and other classes appear when the subject has something published there
        page = max(1, pages.get(info.code, 1))
        start = (page - 1) * RECORDS_PAGE_SIZE
        rows = (list(_published().filter(subject=subject, class_code=info.code)
                     .order_by("-decision_date", "-record_id")[start:start + RECORDS_PAGE_SIZE]) if total > start
                else [])
        sections.append(RecordSection(info.code, info.name_zh, info.nature == "negative",
                                      [public_record(s) for s in rows], page, total > start + RECORDS_PAGE_SIZE,
                                      f"p_{info.code}", total))
    sections.sort(key=lambda s: (ALWAYS_SHOWN.index(s.class_code) if s.class_code in ALWAYS_SHOWN else 9,
                                 s.class_code))
    return sections


def subject_published_records(*, subject: Subject, limit: int = 500) -> list[PublicRecord]:
    """Every published record of a subject (API), newest first, at most ``limit``."""
    return [public_record(s) for s in _published().filter(subject=subject).order_by("-decision_date", "-record_id")
            [:limit]]


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
        "legal_rep": (latest.record.fields or {}).get("legal_rep", "") if latest else "",
        "former_names": former[-5:],
    }


# --------------------------------------------------------------------------------------------------------------
# 双公示 listings


@dataclass
class ListingFilters:
    department: str = ""  # department code
    district: str = ""  # district code
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_query(self) -> dict[str, str]:
        out = {"department": self.department, "district": self.district,
               "date_from": self.date_from.isoformat() if self.date_from else "",
               "date_to": self.date_to.isoformat() if self.date_to else ""}
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


def listing(*, class_code: str, filters: ListingFilters, page: int = 1) -> ListingPage:
    """The newest published records of a class (最新行政许可 / 行政处罚), filtered and paged (never whole)."""
    info = get_class(class_code)
    page = max(1, min(page, LISTING_MAX_PAGES))
    qs = _published().select_related("subject", "subject__district").filter(class_code=class_code)
    if filters.department:
        qs = qs.filter(department__code=filters.department)
    if filters.district:
        qs = qs.filter(subject__district__code=filters.district)
    if filters.date_from:
        qs = qs.filter(decision_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decision_date__lte=filters.date_to)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("-decision_date", "-record_id")[start:start + PAGE_SIZE + 1])
    return ListingPage(class_code, info.name_zh, filters, page,
                       [(public_record(s), s.subject) for s in rows[:PAGE_SIZE]],
                       len(rows) > PAGE_SIZE and page < LISTING_MAX_PAGES, page >= LISTING_MAX_PAGES)


def filter_choices() -> dict[str, Any]:
    return {"departments": list(Department.objects.order_by("code").values_list("code", "name")),
            "districts": list(District.objects.order_by("code").values_list("code", "name"))}


def regimes_for_display() -> list[Any]:
    """The publicity regimes of the rulebook, newest first (the 公示规则 page)."""
    return sorted(rulebook().regimes, key=lambda r: (r.effective_from, r.code), reverse=True)
