"""Issue 12 item 5: one definition of "in force on a day" (rules.lists.IN_FORCE_BOUNDS). The pure rule, the ORM filter
(lists, portal) and the raw SQL (sanctions' check query, portal's person filter) are made from it; on generated
entries and days all of them agree."""

import datetime as dt

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubcredit.lists.models import ListEntry
from pubcredit.lists.selectors import in_force_filter, in_force_sql
from pubcredit.rules import lists as rules
from pubcredit.sanctions.selectors import check_facts
from tests.lists.helpers import court_row, submit_list

pytestmark = pytest.mark.django_db

BASE = dt.date(2026, 1, 1)
offsets = st.integers(-400, 400)


@pytest.fixture
def entry(department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    return ListEntry.objects.select_related("subject").get()


def test_every_bound_names_a_list_entry_field():
    names = {f.name for f in ListEntry._meta.fields}
    assert {bound.field for bound in rules.IN_FORCE_BOUNDS} <= names


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(effective=offsets, term=st.one_of(st.none(), st.integers(0, 800)),
       removed=st.one_of(st.none(), st.integers(-50, 800)), probe=offsets)
def test_pure_rule_orm_filter_and_sql_agree_on_in_force(entry, effective, term, removed, probe):
    """在列: effective ≤ day ≤ last day of the term (none: no end), and day < the removal day."""
    effective_date = BASE + dt.timedelta(days=effective)
    planned_end = None if term is None else effective_date + dt.timedelta(days=term)
    removed_on = None if removed is None else effective_date + dt.timedelta(days=removed)
    day = BASE + dt.timedelta(days=probe)
    # the model's own constraint: a removed entry has a removal day and reason, one in force has neither
    ListEntry.objects.filter(pk=entry.pk).update(
        effective_date=effective_date, planned_end=planned_end, removed_on=removed_on,
        status="in_force" if removed_on is None else "removed", removal_reason="" if removed_on is None else "repaired")

    pure = rules.in_force_on(effective=effective_date, planned=planned_end, removed_on=removed_on, day=day)
    orm = ListEntry.objects.filter(in_force_filter(day), pk=entry.pk).exists()
    sql, days = in_force_sql("e")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM lists_listentry e WHERE e.id = %s AND {sql}", [entry.pk, *[day] * days])
        raw = cursor.fetchone()[0] == 1
    facts = check_facts(uscc=entry.subject.uscc, day=day)  # the check API's one-query read (sanctions)
    checked = any(hit.pk == entry.pk for hit in facts.entries)
    assert pure == orm == raw == checked
