"""Public name search: trigram index for 3+ characters (SQLite FTS5 / PostgreSQL pg_trgm), LIKE for two, USCC."""

import pytest
from django.db import connection

from pubcredit.disclosure import selectors
from pubcredit.disclosure.selectors import subject_search_public
from pubcredit.rules import clock
from pubcredit.subjects.services import SubjectRef, subjects_resolve
from tests.factories import at, uscc

pytestmark = pytest.mark.django_db


def names(query, **kw):
    return [s.name for s in subject_search_public(query=query, **kw).results]


def test_three_or_more_characters_through_the_trigram_index(site):
    assert names("鑫源化工") == ["淄博鑫源化工有限公司"]
    assert sorted(names("有限公司")) == sorted(["淄博华瑞医药有限公司", "淄博宏达陶瓷有限公司", "淄博鑫源化工有限公司"])


def test_two_character_queries_are_answered(site):
    """The FTS trap: trigrams give nothing under 3 characters; LIKE on the base table (SQLite) or the bigram
    index (PostgreSQL) answers instead — at the start, the middle and the end of a name."""
    assert names("华瑞") == ["淄博华瑞医药有限公司"]
    assert names("面馆") == ["张店区王记面馆"]
    assert names("张店") == ["张店区王记面馆"]


def test_latin_letters_match_whatever_their_case(site, system_actor):
    with clock.pinned(at("2026-11-20").date()):
        subjects_resolve([SubjectRef("legal_person", "淄博ABC科技有限公司", uscc(40))], actor=system_actor)
    assert names("ab") == ["淄博ABC科技有限公司"] and names("Abc科技") == ["淄博ABC科技有限公司"]


def test_exact_name_first_then_prefix_then_shorter(site, system_actor):
    with clock.pinned(at("2026-11-20").date()):
        subjects_resolve([SubjectRef("legal_person", "鑫源化工", uscc(30)),
                          SubjectRef("legal_person", "鑫源化工贸易有限公司", uscc(31))], actor=system_actor)
    assert names("鑫源化工") == ["鑫源化工", "鑫源化工贸易有限公司", "淄博鑫源化工有限公司"]


def test_uscc_lookup_normalises_the_code(site):
    code = uscc(1)
    assert names(code) == ["淄博鑫源化工有限公司"]
    assert names(" " + code.lower()[:9] + " " + code.lower()[9:]) == ["淄博鑫源化工有限公司"]
    assert subject_search_public(query=code).by_code


def test_natural_persons_are_not_findable(site):
    assert names("张三") == [] and names(uscc(99)) == []


def test_one_character_asks_for_more(site):
    result = subject_search_public(query="淄")
    assert result.results == [] and "至少2个字" in result.error


def test_wildcards_and_quotes_are_literal(site):
    assert names("化%工") == [] and names("鑫_") == [] and names('鑫源"化工') == []


def test_renamed_subject_is_found_under_its_new_name_only(site, system_actor):
    """The triggers keep the index in step with subjects written by anyone (here: a rename by resolution)."""
    with clock.pinned(at("2026-11-20").date()):
        subjects_resolve([SubjectRef("legal_person", "淄博鑫源新材料股份有限公司", uscc(1))], actor=system_actor)
    assert names("新材料股份") == ["淄博鑫源新材料股份有限公司"]
    assert names("鑫源化工") == []


def test_results_are_capped_and_paged(site, system_actor, monkeypatch):
    monkeypatch.setattr(selectors.search, "MAX_RESULTS", 5)
    monkeypatch.setattr(selectors.search, "PAGE_SIZE", 2)
    with clock.pinned(at("2026-11-20").date()):
        subjects_resolve([SubjectRef("legal_person", f"周村测试商贸有限公司{i}", uscc(100 + i)) for i in range(8)],
                         actor=system_actor)
    first = subject_search_public(query="测试商贸")
    assert len(first.results) == 2 and first.has_more and first.too_many
    last = subject_search_public(query="测试商贸", page=3)
    assert len(last.results) == 1 and not last.has_more


def test_the_search_index_of_the_database_in_use_serves_substrings(site):
    """SQLite: the FTS5 trigram table; PostgreSQL: the pg_trgm and bigram indexes (each run checks its own)."""
    if connection.vendor == "postgresql":
        _check_postgresql_indexes()
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN SELECT s.id FROM portal_subject_fts JOIN subjects_subject s "
                       "ON s.id = portal_subject_fts.rowid WHERE portal_subject_fts MATCH '\"鑫源化工\"' LIMIT 5")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan


def _check_postgresql_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        assert cursor.fetchone()[0].upper() not in ("C", "POSIX")
        cursor.execute("SELECT show_trgm('鑫源化工')")
        assert cursor.fetchone()[0]  # trigrams are extracted from Chinese (UTF-8 LC_CTYPE)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM subjects_subject WHERE name ILIKE '%鑫源化工%'")
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN SELECT id FROM subjects_subject WHERE portal_name_bigrams(name) @> ARRAY['华瑞']")
        bigram_plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT portal_name_bigrams('ABc华瑞')")
        bigrams = cursor.fetchone()[0]
    assert "portal_subject_name_trgm" in plan
    assert "portal_subject_name_bigram" in bigram_plan and sorted(bigrams) == ["ab", "bc", "c华", "华瑞"]
