"""States and change-feed rows of new records built as frames (publicity/writing.new_states_frame, for the set-based
import's ``COPY``) against the row path (``_apply`` and ``_feed_entry``, what ``publicity_assess`` writes for a record
with no state yet), on generated decisions: published or withheld, windows that start before, on or after today and
end before, on or after it or never, any severity (none for non-penalty classes), a provisional date, records
revoked before their first assessment and decisions ended by a revocation (Order 36 art. 19, SAMR Order 45 art. 11).
Every column the tables store is compared."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import polars as pl
import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.bulk import copy_frame
from pubcredit.catalog.registry import get_class
from pubcredit.ingest import setwise
from pubcredit.publicity.rulebook import rulebook
from pubcredit.publicity.writing import (_FEED_FIELDS, _STATE_FIELDS, _apply, _effective_on, _feed_entry,
                                         new_states_frame)
from pubcredit.records.choices import RecordStatus
from pubcredit.rules.clock import PLATFORM_TZ
from pubcredit.rules.publicity import PublicityDecision, Severity

TODAY = dt.date(2026, 12, 3)
NOW = dt.datetime(2026, 12, 3, 19, 40, 5, 123456, tzinfo=PLATFORM_TZ)
near = st.one_of(st.none(), st.integers(-800, 800).map(lambda days: TODAY + dt.timedelta(days=days)),
                 st.sampled_from([TODAY, TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)]))


@st.composite
def decided_records(draw, pk: int):
    start, end = draw(near), draw(near)
    if start and end and start > end:
        start, end = end, start  # the table's check: a window never ends before it starts
    decision = PublicityDecision(
        severity=draw(st.one_of(st.none(), st.sampled_from(list(Severity)))), regime=draw(st.sampled_from(["a", "b"])),
        published=draw(st.booleans()), publish_from=start, repairable_from=draw(near), publish_until=end,
        reason_zh=draw(st.text(max_size=8)), reason_en=draw(st.text(max_size=8)), rule_version="r@1",
        ended_by=draw(st.sampled_from([None, None, "revoked", "expired"])), provisional=draw(st.booleans()))
    uscc = draw(st.one_of(st.none(), st.just(f"91370300MA{pk:07d}X")))
    record = SimpleNamespace(
        pk=pk, class_code="admin_penalty", decision_no=f"淄罚〔2026〕{pk}号", decision_date=TODAY - dt.timedelta(days=pk),
        status=draw(st.sampled_from([RecordStatus.ACTIVE, RecordStatus.ACTIVE, RecordStatus.REVOKED])), version=1,
        subject_id=1000 + pk, department_id=7,
        subject=SimpleNamespace(uscc=uscc, id_masked="" if uscc else f"370303********{pk:04d}"))
    return record, decision


@st.composite
def chunks(draw):
    size = draw(st.integers(1, 12))
    return [draw(decided_records(pk)) for pk in range(1, size + 1)]


def _row_path(record, decision) -> tuple[dict, dict]:
    book = rulebook()
    state, event, _, _ = _apply(None, record, decision, today=TODAY, now=NOW, version=book.version, policy=book.policy)
    feed = _feed_entry(state, record, event or "assess", "", _effective_on(event, state, TODAY), NOW)
    return {name: getattr(state, name) for name in _STATE_FIELDS}, feed


def _as_stored(value):
    return value.astimezone(dt.timezone.utc) if isinstance(value, dt.datetime) else value


@settings(max_examples=150, deadline=None)
@given(chunks())
def test_new_states_and_feed_rows_as_frames_are_the_row_paths(pairs):
    book = rulebook()
    records = pl.DataFrame({
        "record_id": [r.pk for r, _ in pairs], "class_code": [r.class_code for r, _ in pairs],
        "decision_no": [r.decision_no for r, _ in pairs], "decision_date": [r.decision_date for r, _ in pairs],
        "subject_id": [r.subject_id for r, _ in pairs], "department_id": [r.department_id for r, _ in pairs],
        "subject_code": [r.subject.uscc or r.subject.id_masked for r, _ in pairs],
        "status": [str(r.status) for r, _ in pairs], "version": [r.version for r, _ in pairs]})
    decisions = pl.DataFrame(
        [(d.severity.value if d.severity else None, d.regime, d.published, d.publish_from, d.repairable_from,
          d.publish_until, d.provisional, d.reason_zh, d.reason_en, d.rule_version, d.ended_by) for _, d in pairs],
        schema={"severity": pl.String, "regime": pl.String, "published": pl.Boolean, "publish_from": pl.Date,
                "repairable_from": pl.Date, "publish_until": pl.Date, "provisional": pl.Boolean, "reason_zh": pl.String,
                "reason_en": pl.String, "rule_version": pl.String, "ended_by": pl.String}, orient="row")
    states, feed = new_states_frame(records, decisions, today=TODAY, now=NOW, version=book.version, policy=book.policy)
    expected = [_row_path(record, decision) for record, decision in pairs]
    assert [{k: _as_stored(v) for k, v in s.items()} for s, _ in expected] == [
        {k: _as_stored(v) for k, v in row.items()} for row in states.iter_rows(named=True)]
    assert [{k: _as_stored(v) for k, v in f.items()} for _, f in expected] == [
        {k: _as_stored(v) for k, v in row.items()} for row in feed.iter_rows(named=True)]
    assert tuple(states.columns) == _STATE_FIELDS and tuple(feed.columns) == _FEED_FIELDS


@pytest.mark.django_db
def test_copy_of_a_frame_keeps_empty_texts_nulls_and_awkward_characters():
    """On PostgreSQL the frame's rows come back as they were; SQLite never takes the set-based path that uses it."""
    if connection.vendor != "postgresql":
        assert not setwise.applies(get_class("admin_penalty"), channel="file")
        return
    texts = ["", None, "\\N", 'a "quoted", text', "两行\n文字", "N", "\\", "true"]
    frame = pl.DataFrame({"t": texts, "b": [True, None, False, True, False, None, True, False],
                          "d": [TODAY, None] * 4, "i": [1, None, 3, 4, 5, 6, 7, 8],
                          "at": [NOW.astimezone(dt.timezone.utc)] * 8})
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copied (t text, b boolean, d date, i bigint, at timestamptz)")
        assert copy_frame(cursor.cursor, "copied", frame) == 8
        cursor.execute("SELECT t, b, d, i, at FROM copied")
        assert cursor.fetchall() == [tuple(row) for row in frame.rows()]
