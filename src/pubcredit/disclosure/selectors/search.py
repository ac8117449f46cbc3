"""Name search on the public site (公示网站检索), its limits, and who may be found (natural persons only through a
class public for them; ``subject_public_get``). Part of ``disclosure.selectors``; the package docstring explains the
indexes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection

from pubcredit.catalog.registry import all_classes
from pubcredit.lists.models import ListEntry
from pubcredit.lists.rulebook import is_list, published_specs
from pubcredit.lists.selectors import in_force_filter, in_force_sql
from pubcredit.publicity.choices import PublicityStateChoice
from pubcredit.publicity.models import PublicityState
from pubcredit.rules import clock, identifiers
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
