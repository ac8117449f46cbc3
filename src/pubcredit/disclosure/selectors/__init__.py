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

A package by concept; every name is importable from ``pubcredit.disclosure.selectors`` as before: ``search`` (the
search, its limits and who is findable), ``subjects`` (a subject's page), ``listings`` (双公示 listings) and
``lists`` (红黑名单公示). Tests that change a limit patch the module that reads it (e.g. ``selectors.search.PAGE_SIZE``).
"""

from __future__ import annotations

from pubcredit.publicity.rulebook import rulebook  # noqa: F401 -- read as disclosure.selectors.rulebook (reports)
from pubcredit.disclosure.selectors.search import (ALWAYS_SHOWN, FTS_MIN, FTS_TABLE, _kind_filter_sql, LISTING_MAX_PAGES,
                                               MAX_QUERY, MAX_RESULTS, MIN_QUERY, name_match_ids, normalise_query,
                                               PAGE_SIZE, persons_public, RECORDS_PAGE_SIZE, SearchPage,
                                               subject_public_by_uscc, subject_public_get, subject_search_public)
from pubcredit.disclosure.selectors.subjects import (public_record, public_records, PublicField, PublicRecord,
                                                 RecordSection, subject_facts, subject_published_records,
                                                 subject_sections, _text)
from pubcredit.disclosure.selectors.listings import (filter_choices, listing, ListingFilters, ListingPage,
                                                 regimes_for_display)
from pubcredit.disclosure.selectors.lists import (LIST_KIND_LABELS, LIST_KINDS, list_listing, list_overview,
                                              ListListingPage, ListSection, public_entry, public_list_get,
                                              PublicListEntry, published_lists, shown_entries_filter,
                                              subject_list_entries, subject_list_sections, unknown_filter_problems)

__all__ = ["ALWAYS_SHOWN", "FTS_MIN", "FTS_TABLE", "LISTING_MAX_PAGES", "MAX_QUERY", "MAX_RESULTS", "MIN_QUERY",
           "name_match_ids", "normalise_query", "PAGE_SIZE", "persons_public", "RECORDS_PAGE_SIZE", "SearchPage",
           "subject_public_by_uscc", "subject_public_get", "subject_search_public", "public_record", "public_records",
           "PublicField", "PublicRecord", "RecordSection", "subject_facts", "subject_published_records",
           "subject_sections", "filter_choices", "listing", "ListingFilters", "ListingPage", "regimes_for_display",
           "LIST_KIND_LABELS", "LIST_KINDS", "list_listing", "list_overview", "ListListingPage", "ListSection",
           "public_entry", "public_list_get", "PublicListEntry", "published_lists", "shown_entries_filter",
           "subject_list_entries", "subject_list_sections", "unknown_filter_problems"]
