"""Red and black lists on the public site (红黑名单公示), read from their entries: an entry is shown while
``rules.lists.entry_publicity`` says so (list published, person allowed, in force today). Part of
``disclosure.selectors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from pubcredit.accounts.models import Department, District
from pubcredit.catalog.registry import get_class
from pubcredit.lists.models import ListEntry
from pubcredit.lists.rulebook import published_specs
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.lists.selectors import in_force_filter
from pubcredit.disclosure.selectors.listings import _filtered, ListingFilters
from pubcredit.disclosure.selectors.search import LISTING_MAX_PAGES, PAGE_SIZE, _person_list_versions, RECORDS_PAGE_SIZE
from pubcredit.disclosure.selectors.subjects import PublicField, _text
from pubcredit.repair.selectors import OBJECTION_MARK, records_under_objection
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.lists import ListSpec, entry_publicity
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.models import Subject


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
