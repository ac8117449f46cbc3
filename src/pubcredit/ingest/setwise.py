"""Set-based collection on PostgreSQL (集合式归集入库, issue 18): a chunk of a file import written by a few SQL
statements instead of row by row.

What stays in Python is what only Python knows: the catalogue's plan (validation, in Polars), the two keyed hashes
of a row, the masking of sensitive values and the publicity rule. Everything else happens inside PostgreSQL: the
chunk's subjects and rows are ``COPY``-ed into two temporary staging tables, and subjects, their name history,
records and versions follow from ``INSERT … SELECT … ON CONFLICT`` / ``UPDATE … FROM``; the new records' publicity
states and change-feed rows are built as Polars frames and written with ``COPY``.

The database-free part of a chunk (:func:`chunk_prepare`: plan, hashes, JSON) is made in the read-ahead thread while
the chunk before is written, and the publicity of new penalty records is decided in a helper thread while their rows
are written; every database read and write stays in the importing thread, in the chunk's transaction
(``docs/collection.md``).

Same outcome as :func:`pubcredit.records.services.records_submit` (the SQLite path and every other caller): the
same rows, counts, rejections, on-time/late figures, publicity states and feed rows, all in the chunk's transaction.
Two things differ, as issue 18 asks:

- rows whose content hash is unchanged write nothing (not even a staging row), only a count;
- the chunk is audited by **one** event (``record.import_chunk`` on the batch) instead of three per row. Its digest
  covers the rows the chunk appended for ever, the record versions and the change-feed rows, each by the MD5 of
  its whole row as PostgreSQL prints it, in id order; :func:`chunks_verify` recomputes it, so altering any of those
  rows is found. Renames of subjects and corrections (a new version of an existing record) keep their own events,
  written by the same services as before, because they change rows that existed before the import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from collections.abc import Callable
from typing import Any

import orjson
import polars as pl
from django.db import connection

from pubcredit import jsoncodec
from pubcredit.accounts.models import Department
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.audit.models import AuditEvent
from pubcredit.bulk import copy_frame
from pubcredit.catalog.plan import KEY_HASH, PlanResult, SeenKeys, validate_frame
from pubcredit.catalog.registry import rulebook_version
from pubcredit.catalog.schema import InfoClass
from pubcredit.jsoncodec import canonical
from pubcredit.lists.rulebook import is_list
from pubcredit.publicity import services as publicity
from pubcredit.publicity.models import ChangeFeedEntry, PublicityState
from pubcredit.publicity.rulebook import rulebook as publicity_rulebook
from pubcredit.publicity.writing import new_states_frame
from pubcredit.records.choices import RecordStatus, SubmissionChannel
from pubcredit.records.services import SubmitResult, keyed_hash, problems_by_row, split_sensitive, subject_ref
from pubcredit.rules import clock, identifiers
from pubcredit.rules import publicity as publicity_rules
from pubcredit.rules import publicity_frame
from pubcredit.rules.errors import Problem
from pubcredit.subjects import crypto
from pubcredit.subjects.models import SubjectName
from pubcredit.subjects.services import SubjectRef, confirmed_identifiers, district_by_division
from pubcredit.workdays.selectors import work_calendar

CHUNK_EVENT = Event.RECORDS_CHUNK_IMPORTED

_STAGE_SUBJECTS = "ingest_stage_subject"
_STAGE_RECORDS = "ingest_stage_record"
# created once per database session, emptied by every commit (a rolled-back chunk takes its rows with it)
_STAGE_DDL = (
    f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_SUBJECTS} (ref_key text, kind text, name text, uscc text, id_hash text, "
    "id_encrypted text, id_masked text, district_id integer) ON COMMIT DELETE ROWS",
    f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_RECORDS} (row_no integer, key_hash text, subject_id bigint, "
    "decision_no text, decision_date date, received_at timestamptz, fields jsonb, original jsonb, "
    "sensitive_encrypted text, content_hash text, delay integer, on_time boolean, existing_id bigint) "
    "ON COMMIT DELETE ROWS",
)


# bulk loads: department files, and the demo data (``seed_demo``, up to millions of rows with their own receipt times)
BULK_CHANNELS = (SubmissionChannel.FILE, SubmissionChannel.DEMO)


def applies(info_class: InfoClass, *, channel: str, vendor: bool = True) -> bool:
    """Whether a chunk goes the set-based way: bulk loads (``BULK_CHANNELS``) of a non-list class on PostgreSQL.
    List classes keep the row path (their entries are derived from each record in the same transaction), and SQLite
    keeps it (the embedded default for small cities). Rows may carry their own receipt times (``_received_at``).
    ``vendor=False`` leaves the database out (a thread that must not open a connection asks the rest)."""
    return ((not vendor or connection.vendor == "postgresql") and channel in BULK_CHANNELS
            and not is_list(info_class.code))


@dataclass
class _Row:
    row_no: int
    ref: SubjectRef
    key: str
    content: str
    shown: dict[str, Any]
    secret: dict[str, Any]
    shown_json: str  # canonical JSON of ``shown``, as stored
    original: dict[str, Any]  # the cells as sent (sensitive values masked): the version's ``original``


_SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_UNSORTED = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME  # jsoncodec.compact's options


def floats_plain(frame: pl.DataFrame) -> list[bool]:
    """Per row of the plan's typed rows: whether orjson prints every float of the row exactly as the standard library
    does (``float.__repr__``, which the stored JSON and the content hashes were made with): zero, or a finite
    magnitude in [1e-4, 1e16). Outside it they differ (orjson ``0.00009`` and ``1e16``; standard ``9e-05`` and
    ``1e+16``), and so does a float nested in a list: such rows keep ``jsoncodec.canonical``."""
    checks = []
    for name, dtype in frame.schema.items():
        if dtype in (pl.Float64, pl.Float32):
            size = pl.col(name).abs()
            checks.append(pl.col(name).is_null() | (pl.col(name) == 0) | ((size >= 1e-4) & (size < 1e16)))
        elif dtype.is_nested() and any(inner in (pl.Float64, pl.Float32) for inner in _inner_types(dtype)):
            checks.append(pl.lit(False))
    if not checks:
        return [True] * frame.height
    return frame.select(pl.all_horizontal(checks).fill_null(False)).to_series().to_list()


def _inner_types(dtype: Any) -> list[Any]:
    inner = getattr(dtype, "inner", None)
    fields = getattr(dtype, "fields", None) or []
    return [*([inner, *_inner_types(inner)] if inner is not None else []),
            *[t for f in fields for t in (f.dtype, *_inner_types(f.dtype))]]


def canonical_row(values: dict[str, Any], *, plain: bool) -> str:
    """``jsoncodec.canonical(values)``, byte for byte; for a row whose floats are all plain (:func:`floats_plain`)
    without looking for floats in the text and walking the row (the standard library's fallback for floats was
    17 % of a bulk import's time: every fine amount is a float)."""
    if plain:
        try:
            return orjson.dumps(values, default=str, option=_SORTED).decode()
        except (orjson.JSONEncodeError, TypeError):
            pass  # e.g. an integer over 64 bits: the codec's own fallback
    return canonical(values)


_TEXT_ONLY = frozenset({str, type(None)})


def compact_cells(cells: dict[str, Any]) -> str:
    """``jsoncodec.compact(cells)``, byte for byte; cells that are all text (every CSV row) skip the codec's search
    for floats in the encoded text (no float can be there), which was the largest part of encoding a row."""
    if _TEXT_ONLY.issuperset(map(type, cells.values())):
        try:
            return orjson.dumps(cells, option=_UNSORTED).decode()
        except (orjson.JSONEncodeError, TypeError):
            pass
    return jsoncodec.compact(cells)


def key_text(parts: tuple) -> str:
    """``jsoncodec.canonical(parts)`` (the text a business key is hashed over), byte for byte; parts that are all
    text skip the codec's search for floats."""
    if _TEXT_ONLY.issuperset(map(type, parts)):
        try:
            return orjson.dumps(parts, option=_SORTED).decode()
        except (orjson.JSONEncodeError, TypeError):
            pass
    return canonical(parts)


def _copy(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _subjects(cursor, rows: list[_Row], *, actor: Any, reason: str,
              now: dt.datetime) -> tuple[dict[str, int], dict[int, tuple[str, str | None, str]], int]:
    """Find or create every row's subject (主体识别), as ``subjects_resolve`` does, in three statements; returns
    ``({ref.key: subject id}, {subject id: (kind, uscc, masked id)}, subjects created)``. A code seen under a new
    name is renamed by the same writes and event as before (renames are rare and change an existing subject)."""
    latest: dict[str, SubjectRef] = {}
    for row in rows:
        latest[row.ref.key] = row.ref  # the last mention in a chunk wins
    districts = district_by_division()
    staged = []
    for key, ref in latest.items():
        person = not ref.uscc
        code = ref.uscc or ref.id_number
        division = identifiers.uscc_division(code) if ref.uscc else code[:6]
        staged.append((key, ref.kind, ref.name, ref.uscc,
                       crypto.lookup_hash(ref.id_number) if person else None,
                       crypto.encrypt(ref.id_number) if person else "",
                       identifiers.mask_resident_id(ref.id_number) if person else "", districts.get(division)))
    _copy(cursor, _STAGE_SUBJECTS, ("ref_key", "kind", "name", "uscc", "id_hash", "id_encrypted", "id_masked",
                                    "district_id"), staged)
    cursor.execute(
        f"""WITH created AS (
              INSERT INTO subjects_subject (kind, name, uscc, id_hash, id_encrypted, id_masked, district_id,
                                            created_at, updated_at)
              SELECT kind, name, uscc, id_hash, id_encrypted, id_masked, district_id, %(now)s, %(now)s
              FROM {_STAGE_SUBJECTS} ORDER BY ref_key
              ON CONFLICT DO NOTHING RETURNING id, name),
            named AS (INSERT INTO subjects_subjectname (subject_id, name, first_seen)
                      SELECT id, name, %(now)s FROM created RETURNING 1)
            SELECT count(*) FROM named""", {"now": now})
    created = cursor.fetchone()[0]
    cursor.execute(
        f"""SELECT s.ref_key, sub.id, sub.name, s.name, sub.kind, sub.uscc, sub.id_masked FROM {_STAGE_SUBJECTS} s
              JOIN subjects_subject sub ON sub.uscc = s.uscc
            UNION ALL
            SELECT s.ref_key, sub.id, sub.name, s.name, sub.kind, sub.uscc, sub.id_masked FROM {_STAGE_SUBJECTS} s
              JOIN subjects_subject sub ON sub.id_hash = s.id_hash WHERE s.uscc IS NULL""")
    found, facts, pending = {}, {}, []
    for key, pk, stored_name, new_name, kind, uscc, id_masked in cursor.fetchall():
        found[key] = pk
        facts[pk] = (kind, uscc, id_masked)
        if stored_name != new_name:  # an existing subject under a new name (created ones carry the staged name)
            pending.append(audit.PendingEvent(Event.SUBJECT_RENAMED, "subject", pk, reason=reason,
                                              before={"name": stored_name}, after={"name": new_name}))
            cursor.execute("UPDATE subjects_subject SET name = %s, updated_at = %s WHERE id = %s", [new_name, now, pk])
            SubjectName.objects.get_or_create(subject_id=pk, name=new_name, defaults={"first_seen": now})
    audit.record_many(pending, actor=actor)
    return found, facts, created


# one helper thread for the whole process: a chunk's publicity decisions, at most one chunk at a time
_helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-publicity")

_DECISION_SCHEMA = {"severity": pl.String, "regime": pl.String, "published": pl.Boolean, "publish_from": pl.Date,
                    "repairable_from": pl.Date, "publish_until": pl.Date, "provisional": pl.Boolean,
                    "reason_zh": pl.String, "reason_en": pl.String, "rule_version": pl.String, "ended_by": pl.String}


@dataclass(frozen=True)
class _PublicityContext:
    """What deciding publicity reads from the database and the rulebooks, read once per chunk by the importing
    thread, so that the decisions themselves can be made in another (:func:`_decide_penalties`)."""

    book: publicity_rules.PublicityRulebook
    today: dt.date
    now: dt.datetime
    due: Callable


def _publicity_context() -> _PublicityContext:
    return _PublicityContext(publicity_rulebook(), clock.today(), clock.now(), publicity._earliest_publication())


def _decides_by_frame(info_class: InfoClass, context: _PublicityContext) -> bool:
    return info_class.nature == "negative" and publicity_frame.covers(info_class.code, context.book.policy)


def _decide_penalties(typed: pl.DataFrame, kinds: list[str], *, info_class: InfoClass, department: Department,
                      received: list[dt.datetime], context: _PublicityContext) -> pl.DataFrame:
    """The decisions of new penalty records over the whole chunk (``rules.publicity_frame``) from ``typed`` (the
    plan's typed rows of the records, in order) and their subjects' kinds. Reads no database: it runs in a helper
    thread while the importing thread writes the chunk's records and versions (Polars releases the GIL)."""
    facts = _penalty_facts(typed, kinds, info_class=info_class, department=department, received=received,
                           book=context.book)
    return publicity_frame.assess_frame(facts, context.book, as_of=context.today, working_days=context.due).select(
        [pl.col(name) for name in _DECISION_SCHEMA if name != "ended_by"])


def _decide_each(records: list[publicity._RecordView], context: _PublicityContext) -> pl.DataFrame:
    """The decisions of new records of any other class, record by record by the rule itself."""
    class_cache: dict = {}
    decided = [publicity_rules.assess(publicity.record_facts(record, class_cache=class_cache, entry=None),
                                      context.book, as_of=context.today, working_days=context.due)
               for record in records]
    return pl.DataFrame(
        [(d.severity.value if d.severity else None, d.regime, d.published, d.publish_from, d.repairable_from,
          d.publish_until, d.provisional, d.reason_zh, d.reason_en, d.rule_version, d.ended_by) for d in decided],
        schema=_DECISION_SCHEMA, orient="row")


def _typed_rows(plan: PlanResult, row_numbers: list[int]) -> pl.DataFrame:
    """The plan's typed rows of these row numbers, in this order."""
    return (pl.DataFrame({"_row": row_numbers}, schema={"_row": pl.Int64})
            .join(plan.ok_frame(), on="_row", how="left", maintain_order="left"))


def _penalty_facts(typed: pl.DataFrame, kinds: list[str], *, info_class: InfoClass, department: Department,
                   received: list[dt.datetime], book: publicity_rules.PublicityRulebook) -> pl.DataFrame:
    """What the publicity rule reads of each record (``publicity.record_facts``), as columns of the chunk: sectors
    by their keywords in the violation type and legal basis, the family by the deciding authority's name, the fine
    in 元 (exact: from the amount's text, as the rule reads it)."""
    policy, columns = book.policy, typed.columns

    def column(name: str, dtype: Any) -> pl.Expr:
        return pl.col(name) if name in columns else pl.lit(None, dtype=dtype)

    texts = [column("violation_type", pl.String).fill_null(""), column("penalty_basis", pl.String).fill_null("")]
    detected = pl.concat_list([
        pl.when(texts[0].str.contains_any(list(sector.keywords)) | texts[1].str.contains_any(list(sector.keywords)))
        .then(pl.lit(code)).otherwise(pl.lit(None, dtype=pl.String)) for code, sector in policy.sectors.items()
    ]).list.drop_nulls()
    sectors = detected
    if publicity.SECTOR_FIELD in columns:
        explicit = pl.col(publicity.SECTOR_FIELD)
        if typed.schema[publicity.SECTOR_FIELD] != pl.List(pl.String):
            explicit = pl.concat_list(explicit.cast(pl.String)).list.drop_nulls().list.eval(
                pl.element().filter(pl.element() != ""))
        given = explicit.list.eval(pl.element().filter(pl.element().is_in(list(policy.sectors))))
        sectors = pl.when(given.list.len() > 0).then(given).otherwise(detected)
    authority = column("authority_name", pl.String).fill_null("")
    family = pl.lit("ndrc")
    for code, match in reversed(list(policy.families.items())):  # the first family that matches wins
        words = list(match.authority_name_contains)
        whole_department = bool(department.code and department.code in match.department_codes) or any(
            word in department.name for word in words if department.name)
        hit = pl.lit(whole_department) | (authority.str.contains_any(words) if words else pl.lit(False))
        family = pl.when(hit).then(pl.lit(code)).otherwise(family)

    def words(name: str, mapping: dict) -> pl.Expr:
        if name not in columns:
            return pl.lit(None, dtype=pl.String)
        return pl.col(name).cast(pl.String).str.strip_chars().replace_strict(
            {word: str(value) for word, value in mapping.items()}, default=None, return_dtype=pl.String)

    types = column("penalty_types", pl.List(pl.String))
    if "penalty_types" in columns and typed.schema["penalty_types"] == pl.String:
        types = pl.concat_list(types).list.drop_nulls()
    valid_until = column("valid_until", pl.Date)
    if "valid_until" in columns and typed.schema["valid_until"] != pl.Date:
        valid_until = valid_until.cast(pl.String).str.slice(0, 10).str.to_date(strict=False)
    fines = typed["fine_amount"].to_list() if "fine_amount" in columns else [None] * typed.height
    cache: dict[Any, Decimal | None] = {}
    for amount in set(fines):
        try:
            cache[amount] = publicity_rules.fine_yuan(amount)
        except (InvalidOperation, ValueError):
            cache[amount] = None
    return typed.select(
        subject_kind=pl.Series(kinds, dtype=pl.String), decision_date=pl.col("decision_date"),
        received_on=pl.Series([r.astimezone(clock.PLATFORM_TZ).date() for r in received], dtype=pl.Date),
        penalty_types=types,
        fine_amount_yuan=pl.Series([cache[a] for a in fines], dtype=pl.Decimal(38, 12)),
        declared_severity=words(publicity.DECLARED_SEVERITY_FIELD, publicity._SEVERITY_WORDS),
        procedure=words(publicity.PROCEDURE_FIELD, publicity._PROCEDURE_WORDS), sectors=sectors,
        restriction_until=valid_until, family=family, class_public=pl.lit(info_class.public),
        public_for_natural_persons=pl.lit(info_class.public_for_natural_persons))


@dataclass
class Prepared:
    """What a chunk needs before it touches the database (预处理): the catalogue's plan and, per accepted row, its
    keyed hashes, subject and payload JSON. Built by :func:`chunk_prepare`, in the read-ahead thread while the chunk
    before is written (``ingest.services``): it reads nothing from the database, so the plan is made without the
    business keys of earlier chunks, and :func:`chunk_submit` checks them (one query, the one the plan would make)
    and prepares the chunk again with them in the rare case one is there."""

    plan: PlanResult
    rows: list[_Row]
    first_row_number: int
    received_at: dt.datetime


def chunk_prepare(*, info_class: InfoClass, frame: pl.DataFrame, received_at: dt.datetime, first_row_number: int,
                  allowlist: Any, originals: list[dict[str, Any]] | None = None,
                  seen_keys: SeenKeys | None = None) -> Prepared:
    """Validate a chunk and build its rows' hashes and JSON; no database read (``allowlist`` is given).
    ``originals``: the cells of every row of ``frame`` as sent, masked (the versions' ``original``)."""
    plan = validate_frame(info_class, frame, today=received_at.date(), allowlist=allowlist,
                          first_row_number=first_row_number, seen_keys=seen_keys)
    accepted = plan.ok_rows()
    sensitive_keys = tuple(f.key for f in info_class.fields if f.sensitive)
    lookup = crypto.lookup_hasher()
    rows = []
    for values, plain in zip(accepted, floats_plain(plan.ok_frame()), strict=True):
        row_no = values.pop("_row")
        key = lookup(key_text((info_class.code, *[values.get(k) for k in info_class.business_key])))
        text = canonical_row(values, plain=plain)
        shown, secret = split_sensitive(sensitive_keys, values)
        # the content hash is ``keyed_hash(values)``: the canonical text of a 1-tuple is the value's in brackets,
        # so the payload is encoded once for its hash and its column (twice when sensitive values are masked)
        original = originals[row_no - first_row_number] if originals else shown
        rows.append(_Row(row_no, subject_ref(values), key, lookup(f"[{text}]"), shown, secret,
                         text if shown is values else canonical_row(shown, plain=plain),
                         split_sensitive(sensitive_keys, original)[0]))
    return Prepared(plan, rows, first_row_number, received_at)


def _seen_before(plan: PlanResult, seen_keys: SeenKeys) -> bool:
    """Whether an earlier chunk used one of the plan's business keys (the plan was made without them)."""
    if not plan.keys.height:
        return False
    hashes = plan.keys.get_column(KEY_HASH)
    earlier = seen_keys(hashes) if callable(seen_keys) else seen_keys.filter(pl.col(KEY_HASH).is_in(hashes.implode()))
    return earlier.height > 0


def chunk_submit(*, info_class: InfoClass, frame: pl.DataFrame, department: Department, actor: Any,
                 channel: str = SubmissionChannel.FILE, received_at: dt.datetime | None = None, batch_ref: str = "",
                 first_row_number: int = 1, originals: list[dict[str, Any]] | None = None,
                 seen_keys: SeenKeys | None = None, prepared: Prepared | None = None) -> SubmitResult:
    """One chunk of a file import, set-based; same arguments and result as ``records_submit``. Runs inside the
    caller's transaction (the chunk's), on PostgreSQL. A ``_received_at`` column (aware datetimes) gives each row its
    own receipt time, as on the row path (backfills of history, the demo data). ``prepared``: the chunk's
    :func:`chunk_prepare`, made ahead for the same frame, rows and receipt time (used unless an earlier chunk holds one
    of its keys)."""
    row_received = frame.get_column("_received_at").to_list() if "_received_at" in frame.columns else None
    received_at = max(row_received) if row_received else (received_at or clock.now())

    def received(row_no: int) -> dt.datetime:
        return row_received[row_no - first_row_number] if row_received else received_at
    if prepared is not None and (prepared.first_row_number != first_row_number or prepared.received_at != received_at
                                 or (seen_keys is not None and _seen_before(prepared.plan, seen_keys))):
        prepared = None  # a key of an earlier chunk: the plan must say which rows repeat it
    if prepared is None:
        prepared = chunk_prepare(info_class=info_class, frame=frame, received_at=received_at,
                                 first_row_number=first_row_number, allowlist=confirmed_identifiers(),
                                 originals=originals, seen_keys=seen_keys)
    plan, rows = prepared.plan, prepared.rows
    result = SubmitResult(class_code=info_class.code, received=plan.received,
                          rejected=problems_by_row(plan.errors), warnings=problems_by_row(plan.warnings),
                          plan_keys=plan.keys)
    if plan.errors:
        key_columns = ["_row", *info_class.business_key]
        for row in plan.rows.filter(~pl.col("_ok")).select(key_columns).iter_rows(named=True):
            if row.get("decision_no"):
                result.rejected_keys[row["_row"]] = keyed_hash(info_class.code, *[row[k] for k in info_class.business_key])
                result.rejected_decision_nos[row["_row"]] = row["decision_no"]
    if not rows:
        return result
    version_tag = f"{info_class.rule_version}#{rulebook_version().rsplit('#', 1)[-1]}"
    sensitive_keys = tuple(f.key for f in info_class.fields if f.sensitive)
    for row in rows:
        result.accepted_keys.append(row.key)
        result.accepted_decision_nos.add(row.shown["decision_no"])  # not a sensitive field: shown as given

    now = clock.now()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor: COPY
        for ddl in _STAGE_DDL:
            cursor.execute(ddl)
        # empty already unless the caller's transaction spans several chunks (tests, a caller's atomic block)
        cursor.execute(f"TRUNCATE {_STAGE_SUBJECTS}, {_STAGE_RECORDS}")
        cursor.execute("SELECT key_hash, id, department_id, content_hash, version FROM records_creditrecord "
                       "WHERE class_code = %s AND key_hash = ANY(%s)", [info_class.code, [r.key for r in rows]])
        existing = {key: (pk, dept, content, version) for key, pk, dept, content, version in cursor.fetchall()}
        # only rows that will write need their subject: an unchanged row writes nothing, not even a rename
        writing = [r for r in rows if (current := existing.get(r.key)) is None
                   or (current[1] == department.pk and current[2] != r.content)]
        subjects, subject_facts, subjects_created = (
            _subjects(cursor, writing, actor=actor, now=now, reason=f"{info_class.code} {batch_ref}".strip())
            if writing else ({}, {}, 0))

        calendar, deadline = work_calendar(), info_class.deadline_working_days
        delays: dict[tuple[dt.date, dt.date], int] = {}
        staged: dict[str, tuple] = {}
        changed: list[tuple[int, int, str, str]] = []  # (record id, old version, old hash, new hash)
        other_department: dict[int, list[Problem]] = {}
        for row in rows:
            current = existing.get(row.key)
            if current is not None and current[1] != department.pk:
                result.accepted_keys.remove(row.key)
                other_department[row.row_no] = [Problem(
                    "record.other_department", "该业务主键的记录由其他部门报送，不能由本部门修改",
                    "a record with this business key belongs to another department", "decision_no")]
                continue
            if current is not None and current[2] == row.content:
                result.unchanged += 1  # nothing written: the same content is already stored
                result.record_ids.append(current[0])
                continue
            delay = on_time = None
            if current is None:
                decided = dt.date.fromisoformat(row.shown["decision_date"])
                span = (decided, received(row.row_no).astimezone(clock.PLATFORM_TZ).date())
                if span not in delays:
                    delays[span] = calendar.working_days_between(*span).value
                delay, on_time = delays[span], delays[span] <= deadline
                result.created += 1
                result.on_time += on_time
                result.late += not on_time
            else:
                changed.append((current[0], current[3], current[2], row.content))
                result.updated += 1
                result.record_ids.append(current[0])
            staged[row.key] = (
                row.row_no, row.key, subjects[row.ref.key], row.shown["decision_no"], row.shown["decision_date"],
                received(row.row_no), row.shown_json, compact_cells(row.original),
                crypto.encrypt(canonical_row(row.secret, plain=False)) if row.secret else "", row.content, delay,
                on_time,
                current[0] if current else None)
        # the new records' publicity decided in a helper thread while their rows are written (penalty classes)
        context = _publicity_context()
        by_frame = _decides_by_frame(info_class, context)
        new_keys = [key for key, values in staged.items() if values[-1] is None]  # in row order, as ids are given
        penalties = None
        if new_keys and by_frame:
            penalties = _helper.submit(
                _decide_penalties, _typed_rows(plan, [staged[key][0] for key in new_keys]),
                [subject_facts[staged[key][2]][0] for key in new_keys], info_class=info_class, department=department,
                received=[staged[key][5] for key in new_keys], context=context)
        if staged:
            _copy(cursor, _STAGE_RECORDS, ("row_no", "key_hash", "subject_id", "decision_no", "decision_date",
                                           "received_at", "fields", "original", "sensitive_encrypted", "content_hash",
                                           "delay", "on_time", "existing_id"), list(staged.values()))
        params = {"class_code": info_class.code, "department": department.pk, "tag": version_tag,
                  "active": RecordStatus.ACTIVE, "channel": channel, "batch": batch_ref,
                  "actor": audit.actor_label(actor)}
        cursor.execute(
            f"""INSERT INTO records_creditrecord (class_code, subject_id, department_id, key_hash, decision_no,
                  decision_date, received_at, updated_at, version, fields, content_hash, status, status_reason,
                  delay_working_days, on_time, rulebook_version)
                SELECT %(class_code)s, subject_id, %(department)s, key_hash, decision_no, decision_date, received_at,
                  received_at, 1, fields, content_hash, %(active)s, '', delay, on_time, %(tag)s
                FROM {_STAGE_RECORDS} WHERE existing_id IS NULL ORDER BY row_no
                RETURNING id, key_hash""", params)
        created = sorted(cursor.fetchall())
        result.record_ids.extend(pk for pk, _ in created)
        if changed:
            cursor.execute(
                f"""UPDATE records_creditrecord r SET version = r.version + 1, fields = s.fields,
                      content_hash = s.content_hash, updated_at = s.received_at, subject_id = s.subject_id
                    FROM {_STAGE_RECORDS} s WHERE s.existing_id = r.id""")
        cursor.execute(
            f"""INSERT INTO records_recordversion AS v (record_id, version, received_at, channel, batch_ref,
                  actor_label, original, fields, sensitive_encrypted, content_hash, rulebook_version)
                SELECT r.id, r.version, s.received_at, %(channel)s, %(batch)s, %(actor)s, s.original, s.fields,
                  s.sensitive_encrypted, s.content_hash, %(tag)s
                FROM {_STAGE_RECORDS} s JOIN records_creditrecord r
                  ON r.class_code = %(class_code)s AND r.key_hash = s.key_hash
                ORDER BY s.row_no
                RETURNING v.id, md5(v::text)""", params)
        # each version's digest as the chunk event covers it (the row as stored, as ``_row_hashes`` reads it back)
        version_hashes = sorted(cursor.fetchall())
        version_ids = [pk for pk, _ in version_hashes]

        # publicity (docs/publicity.md): new records decided here from what was just written (as the database will
        # give it back: fields decoded from their stored JSON); corrections move their existing state through the
        # service, with its own events, as before
        facts = [subject_facts[staged[key][2]] for _, key in created]
        if created and penalties is not None and [key for _, key in created] != new_keys:
            penalties = None  # not the rows decided ahead (never expected: ids follow the row order): decided again
        if not created:
            decisions = None
        elif penalties is not None:
            decisions = penalties.result()
        elif by_frame:
            decisions = _decide_penalties(_typed_rows(plan, [staged[key][0] for _, key in created]),
                                          [kind for kind, _, _ in facts], info_class=info_class,
                                          department=department, received=[staged[key][5] for _, key in created],
                                          context=context)
        else:
            decisions = _decide_each([publicity._RecordView(
                pk, info_class.code, orjson.loads(staged[key][6]), dt.date.fromisoformat(staged[key][4]),
                staged[key][3], staged[key][5], RecordStatus.ACTIVE, "", 1, department.pk, staged[key][2],
                subject=publicity._SubjectView(*fact), department=department)
                for (pk, key), fact in zip(created, facts, strict=True)], context)
        if created:
            new_records = pl.DataFrame({
                "record_id": [pk for pk, _ in created], "class_code": info_class.code,
                "decision_no": [staged[key][3] for _, key in created],
                "decision_date": pl.Series([staged[key][4] for _, key in created], dtype=pl.String).str.to_date(),
                "subject_id": [staged[key][2] for _, key in created], "department_id": department.pk,
                "subject_code": [uscc or id_masked for _, uscc, id_masked in facts],
                "status": RecordStatus.ACTIVE.value, "version": 1},
                schema_overrides={"record_id": pl.Int64, "subject_id": pl.Int64, "department_id": pl.Int64,
                                  "version": pl.Int64, "decision_no": pl.String, "subject_code": pl.String})
            states, feed = new_states_frame(new_records, decisions, today=context.today, now=context.now,
                                            version=context.book.version, policy=context.book.policy)
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [publicity._PG_FEED_LOCK])
        cursor.execute("SELECT coalesce(max(id), 0) FROM publicity_changefeedentry")
        feed_after = cursor.fetchone()[0]  # the feed lock is ours to commit: every feed row above is this chunk's
        if created:
            copy_frame(cursor, PublicityState._meta.db_table, states)
            copy_frame(cursor, ChangeFeedEntry._meta.db_table, feed)  # ids in record order, as _append_feed gives
        audit.record_many([audit.PendingEvent(
            Event.RECORD_VERSIONED, "credit_record", record_id, before={"version": version, "content_hash": before},
            after={"version": version + 1, "content_hash": after}, rule_version=version_tag, data={"batch": batch_ref})
            for record_id, version, before, after in changed], actor=actor)
        if changed:
            publicity.publicity_assess([c[0] for c in changed], actor=actor)
        cursor.execute("SELECT coalesce(max(id), %s) FROM publicity_changefeedentry", [feed_after])
        feed_last = cursor.fetchone()[0]
        written = {"versions": _span(version_ids), "feed": [feed_after + 1, feed_last] if feed_last > feed_after else None}
        if version_ids or subjects_created or written["feed"]:  # a chunk of unchanged rows writes only its counts
            audit.record_chunk(CHUNK_EVENT, actor=actor, object_type="batch", object_id=batch_ref,
                               row_hashes=_row_hashes(cursor, batch_ref, written,
                                                      versions=[h for _, h in version_hashes]),
                               data={"batch": batch_ref, "class_code": info_class.code, "first_row": first_row_number,
                                     "last_row": first_row_number + frame.height - 1, "created": result.created,
                                     "updated": result.updated, "unchanged": result.unchanged,
                                     "subjects_created": subjects_created, "states_created": len(created), **written})
    if other_department:
        result.rejected = sorted(result.rejected + problems_by_row(other_department), key=lambda r: r["row"])
    result.accepted = result.created + result.updated + result.unchanged
    return result


def _span(ids: list[int]) -> list[int] | None:
    return [min(ids), max(ids)] if ids else None


def _row_hashes(cursor, batch_ref: str, written: dict[str, list[int] | None],
                versions: list[str] | None = None) -> list[str]:
    """The hashes a chunk event covers, in order: its record versions, then its change-feed rows, each the MD5 of
    the whole row as PostgreSQL prints it (sessions print timestamps in UTC), by id. ``versions``: the versions'
    hashes when the insert returned them (the chunk being written), instead of reading the rows back."""
    hashes = list(versions or [])
    if written.get("versions") and versions is None:
        cursor.execute("SELECT md5(v::text) FROM records_recordversion v WHERE v.batch_ref = %s "
                       "AND v.id BETWEEN %s AND %s ORDER BY v.id", [batch_ref, *written["versions"]])
        hashes += [h for (h,) in cursor.fetchall()]
    if written.get("feed"):
        cursor.execute("SELECT md5(f::text) FROM publicity_changefeedentry f WHERE f.id BETWEEN %s AND %s "
                       "ORDER BY f.id", written["feed"])
        hashes += [h for (h,) in cursor.fetchall()]
    return hashes


@dataclass(frozen=True)
class ChunkProblem:
    event_id: int
    batch: str
    first_row: int
    last_row: int
    problem: str


def chunks_verify(*, batch_ref: str | None = None) -> tuple[int, list[ChunkProblem]]:
    """Recompute the digest of every bulk-import chunk event (or one batch's) from the rows it covers; returns
    ``(chunks checked, chunks whose rows no longer match)``. PostgreSQL only (the set-based path's database)."""
    events = AuditEvent.objects.filter(action="record.import_chunk").order_by("id")
    if batch_ref is not None:
        events = events.filter(object_type="batch", object_id=batch_ref)
    checked, problems = 0, []
    with connection.cursor() as cursor:
        for event_id, data in events.values_list("id", "data").iterator(chunk_size=500):
            checked += 1
            hashes = _row_hashes(cursor, data["batch"], data)
            digest = hashlib.sha256("\n".join(hashes).encode()).hexdigest()  # as audit.record_chunk computes it
            if len(hashes) != data["rows"] or digest != data["rows_digest"]:
                problems.append(ChunkProblem(
                    event_id, data["batch"], data["first_row"], data["last_row"],
                    f"rows written by this chunk were altered, added or removed ({len(hashes)} found, "
                    f"{data['rows']} recorded)"))
    return checked, problems
