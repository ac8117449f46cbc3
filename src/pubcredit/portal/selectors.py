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

Red and black lists (红黑名单公示) are read from their entries (``lists.ListEntry``), not from the records' publicity
state: an entry is shown while ``rules.lists.entry_publicity`` says so, which the query below expresses (list
published, person allowed, in force today), so a removal or the end of a term takes it off the site at once.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from pubcredit.accounts.models import Department, District
from pubcredit.catalog.registry import all_classes, get_class
from pubcredit.lists.models import ListEntry
from pubcredit.lists.rulebook import is_list, published_specs
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.lists.selectors import in_force_filter, in_force_sql
from pubcredit.publicity.choices import PublicityStateChoice
from pubcredit.publicity.models import PublicityState
from pubcredit.publicity.rulebook import rulebook
from pubcredit.repair.selectors import OBJECTION_MARK, records_under_objection
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError
from pubcredit.rules.lists import ListSpec, entry_publicity
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
    """Some public class is configured public for natural persons (失信被执行人: 法释〔2017〕7号 第六条、第七条; other
    classes not: Order 36 art. 12)."""
    return any(c.public and c.public_for_natural_persons for c in all_classes())


def _person_record_classes() -> list[str]:
    """Classes other than lists whose published records make a natural person findable."""
    return [c.code for c in all_classes() if c.public and c.public_for_natural_persons and not is_list(c.code)]


def _person_list_versions() -> list[str]:
    """List rule versions (``list:<code>@<version>``) whose entries are published for natural persons too."""
    return [s.rule_version for s in published_specs() if s.publicity.persons_published]


def _kind_filter_sql(alias: str) -> tuple[str, list[Any]]:
    """SQL condition (and its parameters) keeping subjects the public may find: organisations, and natural persons
    with a published record of a class public for persons or an entry shown today on a list that publishes persons."""
    if not persons_public():
        return f"{alias}.kind <> 'natural_person'", []
    parts, params = [f"{alias}.kind <> 'natural_person'"], []
    classes = _person_record_classes()
    if classes:
        marks = ", ".join(["%s"] * len(classes))
        parts.append(f"EXISTS (SELECT 1 FROM publicity_publicitystate p WHERE p.subject_id = {alias}.id "
                     f"AND p.state = 'published' AND p.class_code IN ({marks}))")
        params += classes
    versions = _person_list_versions()
    if versions:
        marks = ", ".join(["%s"] * len(versions))
        today = clock.today()
        in_force, days = in_force_sql("e")
        parts.append(f"EXISTS (SELECT 1 FROM lists_listentry e WHERE e.subject_id = {alias}.id "
                     f"AND e.rule_version IN ({marks}) AND {in_force})")
        params += [*versions, *[today] * days]
    return "(" + " OR ".join(parts) + ")", params


def name_match_ids(query: str, limit: int) -> list[int]:
    """Ids of findable subjects whose name contains ``query`` (at most ``limit``), by the fastest correct path."""
    kinds, kind_params = _kind_filter_sql("s")
    with connection.cursor() as cursor:
        # Chinese has no case: plain LIKE (much cheaper per row than ILIKE under UTF-8); ILIKE when letters have case
        like = "LIKE" if query.lower() == query.upper() else "ILIKE"
        if connection.vendor == "postgresql" and len(query) >= FTS_MIN:  # pg_trgm GIN index
            cursor.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name {like} %s ESCAPE '\\' AND {kinds} "
                           "LIMIT %s", [_like_pattern(query), *kind_params, limit])
        elif connection.vendor == "postgresql":  # 2 characters: the bigram GIN index (migration portal.0002)
            cursor.execute("SELECT s.id FROM subjects_subject s WHERE portal_name_bigrams(s.name) @> "
                           f"ARRAY[lower(%s)]::text[] AND s.name {like} %s ESCAPE '\\' AND {kinds} LIMIT %s",
                           [query, _like_pattern(query), *kind_params, limit])
        elif len(query) >= FTS_MIN and _fts_ready(connection.alias):
            phrase = '"' + query.replace('"', '""') + '"'
            cursor.execute(f"SELECT s.id FROM {FTS_TABLE} JOIN subjects_subject s ON s.id = {FTS_TABLE}.rowid "
                           f"WHERE {FTS_TABLE} MATCH %s AND {kinds} LIMIT %s", [phrase, *kind_params, limit])
        else:  # under 3 characters: trigrams cannot answer (the FTS trap); LIKE on the base table
            cursor.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name LIKE %s ESCAPE '\\' AND {kinds} "
                           "LIMIT %s", [_like_pattern(query), *kind_params, limit])
        return [row[0] for row in cursor.fetchall()]


def _exact_ids(query: str) -> list[int]:
    kinds, kind_params = _kind_filter_sql("s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.id FROM subjects_subject s WHERE s.name = %s AND {kinds} LIMIT %s",
                       [query, *kind_params, PAGE_SIZE])
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
        if not persons_public():
            return None
        classes, versions = _person_record_classes(), _person_list_versions()
        shown = bool(classes) and PublicityState.objects.filter(
            subject=subject, state=PublicityStateChoice.PUBLISHED, class_code__in=classes).exists()
        if not shown and versions:
            shown = ListEntry.objects.filter(in_force_filter(clock.today()), subject=subject,
                                             rule_version__in=versions).exists()
        if not shown:
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


# --------------------------------------------------------------------------------------------------------------
# Red and black lists (红黑名单公示)

LIST_KIND_LABELS = {"black": "黑名单", "red": "红名单"}
LIST_KINDS = ("black", "red")


@dataclass(frozen=True)
class PublicListEntry:
    """A list entry as the public sees it: the list, the decision, the identifying unit, since/until, the legal basis
    and the list's public fields (never an identity number)."""

    id: int
    list_code: str
    list_name: str
    kind: str  # black / red
    decision_no: str
    decision_date: dt.date
    identifying_unit: str
    publish_from: dt.date  # since: the later of the effective date and the platform's receipt
    publish_until: dt.date | None  # last day shown (the planned end); None: until removed
    legal_basis: str
    fields: tuple[PublicField, ...]
    subject: Subject
    under_objection: bool = False  # 异议处理中 (an objection to the entry's record is being verified)

    @property
    def objection_label(self) -> str:
        return OBJECTION_MARK if self.under_objection else ""

    @property
    def kind_label(self) -> str:
        return LIST_KIND_LABELS.get(self.kind, self.kind)

    def field_values(self) -> dict[str, Any]:
        return {f.key: f.value for f in self.fields}


def published_lists() -> list[ListSpec]:
    """The lists the public site shows, as in force today (black lists first, then by code)."""
    today = clock.today()
    codes = sorted({s.code for s in published_specs()})
    specs = [list_rulebook().get(code, today) for code in codes]
    return sorted([s for s in specs if s and s.publicity and s.publicity.published],
                  key=lambda s: (LIST_KINDS.index(s.kind.value), s.code))


def public_list_get(list_code: str) -> ListSpec:
    """A published list by code; an unknown or unpublished list is ``public_list.not_found`` (404) on ``list_code``."""
    for spec in published_lists():
        if spec.code == list_code:
            return spec
    known = "、".join(s.code for s in published_lists())
    raise DomainError("public_list.not_found", f"没有公示的名单：{list_code}（可查询：{known}）",
                      f"no published list {list_code!r} (published: {known.replace('、', ', ')})", "list_code")


def shown_entries_filter(day: dt.date) -> Q:
    """Entries the public site shows on ``day``: ``rules.lists.entry_publicity`` as a query. The list version is
    published, a natural person only on a list that publishes persons, the entry in force (effective, within its
    term, not removed). Receipt by the platform is before ``day`` for every stored entry read today."""
    versions = [s.rule_version for s in published_specs()]
    persons = _person_list_versions()
    return (in_force_filter(day) & Q(rule_version__in=versions)
            & (~Q(subject__kind=SubjectKind.NATURAL_PERSON) | Q(rule_version__in=persons)))


def _shown_entries() -> QuerySet[ListEntry]:
    return (ListEntry.objects.filter(shown_entries_filter(clock.today()))
            .select_related("subject", "subject__district", "record")
            .only("id", "list_code", "kind", "decision_no", "decision_date", "identifying_unit", "effective_date",
                  "planned_end", "removed_on", "removal_reason", "legal_basis", "subject__id", "subject__name",
                  "subject__uscc", "subject__id_masked", "subject__kind", "subject__district__name",
                  "subject__district__code", "record__received_at", "record__fields", "record__decision_date"))


def public_entry(entry: ListEntry, today: dt.date | None = None, *,
                 under_objection: bool = False) -> PublicListEntry | None:
    """The public view of one entry, or None when the rule does not show it today (checked in Python too, so the
    query and the pure rule cannot drift apart unnoticed)."""
    today = today or clock.today()
    spec = list_rulebook().get(entry.list_code, entry.record.decision_date)
    if spec is None or spec.publicity is None:
        return None
    received = entry.record.received_at.astimezone(clock.PLATFORM_TZ).date()
    decision = entry_publicity(spec, subject_kind=entry.subject.kind, effective=entry.effective_date,
                               received_on=received, planned_end=entry.planned_end, removed_on=entry.removed_on,
                               removal_reason=entry.removal_reason or None)
    if not decision.shown_on(today):
        return None
    try:
        specs = get_class(entry.list_code).fields_by_key
    except DomainError:
        specs = {}
    values = entry.record.fields or {}
    fields = []
    for key in spec.publicity.fields:
        field_spec = specs.get(key)
        if field_spec is None or field_spec.sensitive:
            continue  # never an identity number
        if key == "legal_rep" and entry.subject.kind == SubjectKind.NATURAL_PERSON:
            continue
        text = _text(field_spec, values.get(key))
        if text:
            fields.append(PublicField(key, field_spec.label_zh, values.get(key), text))
    return PublicListEntry(entry.pk, entry.list_code, spec.name_zh, entry.kind, entry.decision_no, entry.decision_date,
                           entry.identifying_unit, decision.publish_from, decision.publish_until, entry.legal_basis,
                           tuple(fields), entry.subject, under_objection)


def _public_entries(rows) -> list[PublicListEntry]:
    today = clock.today()
    rows = list(rows)
    marked = records_under_objection(e.record_id for e in rows)
    return [p for p in (public_entry(e, today, under_objection=e.record_id in marked) for e in rows) if p is not None]


@dataclass
class ListSection:
    kind: str  # black / red
    label: str  # 黑名单 / 红名单
    entries: list[PublicListEntry]
    page: int
    has_more: bool
    total: int
    param: str  # the query parameter paging this section


def subject_list_sections(*, subject: Subject, pages: dict[str, int] | None = None) -> list[ListSection]:
    """The subject's entries shown today, 黑名单 and 红名单 in sections of their own (both always present), newest
    decision first, paged."""
    pages = pages or {}
    base = _shown_entries().filter(subject=subject)
    counts = dict(base.values_list("kind").annotate(n=Count("id")).order_by())
    sections = []
    for kind in LIST_KINDS:
        total = counts.get(kind, 0)
        page = max(1, pages.get(kind, 1))
        start = (page - 1) * RECORDS_PAGE_SIZE
        rows = (list(base.filter(kind=kind).order_by("-decision_date", "-id")[start:start + RECORDS_PAGE_SIZE])
                if total > start else [])
        sections.append(ListSection(kind, LIST_KIND_LABELS[kind], _public_entries(rows), page,
                                    total > start + RECORDS_PAGE_SIZE, total, f"p_{kind}"))
    return sections


def subject_list_entries(*, subject: Subject, limit: int = 500) -> list[PublicListEntry]:
    """Every entry of a subject shown today (API ``lists``), black lists first, newest decision first."""
    rows = list(_shown_entries().filter(subject=subject).order_by("kind", "-decision_date", "-id")[:limit])
    return _public_entries(rows)  # "black" sorts before "red"


@dataclass
class ListListingPage:
    spec: ListSpec
    filters: ListingFilters
    page: int
    entries: list[PublicListEntry]
    has_more: bool
    capped: bool  # the last page allowed for these filters

    @property
    def persons(self) -> list[Subject]:
        return list({e.subject.pk: e.subject for e in self.entries
                     if e.subject.kind == SubjectKind.NATURAL_PERSON}.values())


def list_listing(*, list_code: str, filters: ListingFilters, page: int = 1) -> ListListingPage:
    """The entries of one list shown today (红黑名单公示), newest decision first, filtered by district (of the
    subject), pushing department and decision dates; paged and capped like the 双公示 listings."""
    spec = public_list_get(list_code)
    page = max(1, min(page, LISTING_MAX_PAGES))
    qs = _filtered(_shown_entries().filter(list_code=spec.code), filters)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("-decision_date", "-id")[start:start + PAGE_SIZE + 1])
    return ListListingPage(spec, filters, page, _public_entries(rows[:PAGE_SIZE]),
                           len(rows) > PAGE_SIZE and page < LISTING_MAX_PAGES, page >= LISTING_MAX_PAGES)


def list_overview() -> list[dict[str, Any]]:
    """Each published list with the number of entries shown today (the 红黑名单 index page)."""
    counts = dict(ListEntry.objects.filter(shown_entries_filter(clock.today())).values_list("list_code")
                  .annotate(n=Count("id")).order_by().values_list("list_code", "n"))
    return [{"spec": spec, "kind_label": LIST_KIND_LABELS[spec.kind.value], "shown": counts.get(spec.code, 0)}
            for spec in published_lists()]


def unknown_filter_problems(filters: ListingFilters) -> list[tuple[str, str]]:
    """(field, value) of filter codes that name no department or district (the API refuses them by field)."""
    problems = []
    if filters.department and not Department.objects.filter(code=filters.department).exists():
        problems.append(("department", filters.department))
    if filters.district and not District.objects.filter(code=filters.district).exists():
        problems.append(("district", filters.district))
    return problems
