"""Reads of evaluation results (公共信用综合评价). Internal to government: staff and department tokens only, never
the public site; a result is not in itself a basis for punishment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from pubcredit.evaluation.choices import CreditClassChoice
from pubcredit.evaluation.models import EvaluationResult, EvaluationRun
from pubcredit.lists.models import ListEntry
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.rules.evaluation import ENTRY_SCHEMA, RECORD_SCHEMA, SUBJECT_SCHEMA, RecordItem, Scorecard
from pubcredit.rules.evaluation import Frames as EvaluationFrames
from pubcredit.subjects.models import Subject


@dataclass(frozen=True)
class CurrentClass:
    """A subject's latest evaluation: what graded supervision, joint punishment and incentives read."""

    grade: str
    class_code: str
    class_name_zh: str
    scorecard_version: str
    evaluated_at: dt.datetime
    as_of: dt.date
    score: Decimal


def latest_result(*, subject: Subject) -> EvaluationResult | None:
    return (EvaluationResult.objects.filter(subject=subject).select_related("run")
            .order_by("-evaluated_at", "-id").first())


def current_class(*, subject: Subject) -> CurrentClass | None:
    """The subject's current grade and class (诚信守法/轻微失信/一般失信/严重失信), or None: never evaluated
    (natural persons never are)."""
    result = latest_result(subject=subject)
    if result is None:
        return None
    return CurrentClass(result.grade, result.class_code, result.class_name_zh, result.scorecard_version,
                        result.evaluated_at, result.as_of, result.score)


def current_class_of(*, subject_id: int) -> CurrentClass | None:
    """``current_class`` by the subject's id, in one query of the needed columns (the check API reads it when a
    measure of the scenario is triggered by a grade)."""
    row = (EvaluationResult.objects.filter(subject_id=subject_id).order_by("-evaluated_at", "-id")
           .values_list("grade", "class_code", "scorecard_version", "evaluated_at", "as_of", "score").first())
    if row is None:
        return None
    grade, class_code, version, evaluated_at, as_of, score = row
    return CurrentClass(grade, class_code, CreditClassChoice(class_code).label, version, evaluated_at, as_of, score)


def result_history(*, subject: Subject) -> QuerySet[EvaluationResult]:
    """Every result of the subject, newest evaluation date first (history by quarter)."""
    return EvaluationResult.objects.filter(subject=subject).select_related("run").order_by("-as_of", "-id")


def run_list() -> QuerySet[EvaluationRun]:
    return EvaluationRun.objects.all()


def run_get(*, pk: int) -> EvaluationRun | None:
    return EvaluationRun.objects.filter(pk=pk).first()


def grade_distribution(*, run: EvaluationRun) -> list[dict]:
    counts = {row["grade"]: row for row in run.results.values("grade", "class_code").order_by("grade")
              .annotate(n=Count("id"))}
    return [counts[g] for g in ("A+", "A", "B", "C", "C-", "D", "D-") if g in counts]


def evaluated_subject_ids(*, card: Scorecard, subject_ids: Sequence[int] | None = None) -> list[int]:
    qs = Subject.objects.filter(kind__in=card.evaluated_kinds)
    if subject_ids is not None:
        qs = qs.filter(pk__in=subject_ids)
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _select(alias: str, model, fields: Mapping[str, str]) -> str:
    """``alias.column AS name`` for each model field → name of the frame's column."""
    return ", ".join(f"{alias}.{_column(model, field)} AS {connection.ops.quote_name(name)}"
                     for field, name in fields.items())


def _in_ids(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """``column`` among ``ids``: one array parameter on PostgreSQL (one plan, whatever the partition's size), an
    ``IN`` list on SQLite (a partition's ids are far below its limit on parameters)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def query_frame(sql: str, params: Sequence, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """The rows of one query as a Polars frame of ``schema``, with no Python object per row.

    PostgreSQL: ``COPY (query) TO STDOUT`` as CSV, parsed by Polars (bench/evaluation/reads.py measured it against
    fetching tuples into a frame). SQLite: the fetched tuples.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            query = raw.mogrify(sql, params) if params else sql
            buffer = bytearray()
            with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    buffer += block
            if not buffer:
                return pl.DataFrame(schema=schema)
            return pl.read_csv(bytes(buffer), has_header=False, new_columns=list(schema), schema=schema)
        cursor.execute(sql, params)  # Django's SQLite connection gives dates back as dates (declared types)
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")


# the raw columns of one partition's reads; what the engine needs is derived from them in Polars
_RECORD_READ = {"record_id": pl.Int64, "subject_id": pl.Int64, "class_code": pl.String, "decision_date": pl.Date,
                "status": pl.String, "severity": pl.String, "state": pl.String, "ended_on": pl.Date}
_ENTRY_READ = {"entry_id": pl.Int64, "subject_id": pl.Int64, "list_code": pl.String, "effective_date": pl.Date,
               "removed_on": pl.Date, "removal_reason": pl.String}


def _subjects_frame(subject_ids: Sequence[int]) -> pl.DataFrame:
    where, params = _in_ids(f"s.{_column(Subject, 'id')}", subject_ids)
    return query_frame(f"SELECT {_select('s', Subject, {'id': 'subject_id', 'kind': 'kind'})} "
                       f"FROM {_table(Subject)} s WHERE {where}", params, SUBJECT_SCHEMA)


def _records_query(card: Scorecard, as_of: dt.date, known_before: dt.datetime, where: str,
                   params: Sequence) -> tuple[str, list]:
    """The records of the scorecard's classes received before ``known_before`` and decided by ``as_of``, each with
    its publicity state's severity, state and end (none for a record without a state), among ``where``."""
    record, state, ops = CreditRecord, PublicityState, connection.ops
    classes = sorted({c for item in card.items if isinstance(item, RecordItem) for c in item.class_codes})
    class_in = ", ".join(["%s"] * len(classes)) or "NULL"
    sql = (f"SELECT {_select('r', record, {'id': 'record_id', 'subject': 'subject_id', 'class_code': 'class_code'})}, "
           f"{_select('r', record, {'decision_date': 'decision_date', 'status': 'status'})}, "
           f"{_select('p', state, {'severity': 'severity', 'state': 'state', 'ended_on': 'ended_on'})} "
           f"FROM {_table(record)} r LEFT JOIN {_table(state)} p "
           f"ON p.{_column(state, 'record')} = r.{_column(record, 'id')} "
           f"WHERE {where} AND r.{_column(record, 'class_code')} IN ({class_in}) "
           f"AND r.{_column(record, 'received_at')} < %s AND r.{_column(record, 'decision_date')} <= %s")
    return sql, [*params, *classes, ops.adapt_datetimefield_value(known_before), ops.adapt_datefield_value(as_of)]


def _engine_records(records: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """The read records (``_RECORD_READ``) as the engine's: a record counts as repaired when its publicity state is
    已修复 and its publicity ended on or before ``as_of`` (or has no end date), as revoked when the record or its state
    is revoked; a record without a state has no severity and is neither."""
    repaired = (pl.col("state") == "repaired") & (pl.col("ended_on").is_null() | (pl.col("ended_on") <= as_of))
    return records.select(
        "record_id", "subject_id", "class_code", "decision_date",
        pl.when(pl.col("severity") == "").then(None).otherwise(pl.col("severity")).alias("severity"),
        repaired.fill_null(False).alias("repaired"),
        ((pl.col("status") == "revoked") | (pl.col("state") == "revoked").fill_null(False)).alias("revoked"),
    ).cast(RECORD_SCHEMA)  # type: ignore[arg-type]


def _entries_frame(subject_ids: Sequence[int], known_before: dt.datetime) -> pl.DataFrame:
    entry = ListEntry
    where, params = _in_ids(f"e.{_column(entry, 'subject')}", subject_ids)
    entries = query_frame(
        f"SELECT {_select('e', entry, {'id': 'entry_id', 'subject': 'subject_id', 'list_code': 'list_code'})}, "
        f"{_select('e', entry, {n: n for n in ('effective_date', 'removed_on', 'removal_reason')})} "
        f"FROM {_table(entry)} e WHERE {where} AND e.{_column(entry, 'created_at')} < %s",
        [*params, connection.ops.adapt_datetimefield_value(known_before)], _ENTRY_READ)
    names = {code: spec.name_zh for code in list_rulebook().codes()
             for spec in list_rulebook().versions[code][-1:]}
    return entries.with_columns(
        pl.when(pl.col("removal_reason") == "").then(None).otherwise(pl.col("removal_reason")).alias("removal_reason"),
        pl.col("list_code").replace_strict(names, default=None, return_dtype=pl.String).alias("list_name_zh"),
    ).cast(ENTRY_SCHEMA)  # type: ignore[arg-type]


def partition_frames(*, subject_ids: Sequence[int], card: Scorecard, as_of: dt.date,
                     known_before: dt.datetime) -> EvaluationFrames:
    """One partition of subjects with the records and list entries the platform had received before
    ``known_before`` (what it knew on the evaluation date), as the engine's frames.

    Set-based: three queries (subjects; records with their publicity states; list entries) straight into Polars,
    what the engine needs derived there (``_engine_records``)."""
    where, params = _in_ids(f"r.{_column(CreditRecord, 'subject')}", subject_ids)
    records = query_frame(*_records_query(card, as_of, known_before, where, params), _RECORD_READ)
    return EvaluationFrames(_subjects_frame(subject_ids), _engine_records(records, as_of),
                            _entries_frame(subject_ids, known_before))


STREAM_BATCH = 5000  # subjects per batch of the streamed records (PostgreSQL; SQLite: ten times as many rows)


def _record_batches(sql: str, params: Sequence) -> Iterator[pl.DataFrame]:
    """The records of ``sql`` (``_RECORD_READ``) in ascending subject order, in batches, read in one pass on a
    connection of their own (the caller's stays free for the other reads).

    PostgreSQL: the server groups the records by subject (one ``array_agg`` per column, ``ORDER BY subject``) and
    ``COPY`` sends one CSV line per subject, which Polars splits back into rows (``explode``): one sequential scan of
    the records and their states for the whole run instead of an index probe per record, and 17 times fewer lines
    through Python than records. SQLite: the rows ordered by subject, fetched in batches."""
    stream = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with stream.cursor() as cursor:
            if stream.vendor != "postgresql":
                cursor.execute(f"SELECT * FROM ({sql}) t ORDER BY subject_id", params)
                while rows := cursor.fetchmany(STREAM_BATCH * 10):
                    yield pl.DataFrame(rows, schema=_RECORD_READ, orient="row")
                return
            columns = [name for name in _RECORD_READ if name != "subject_id"]
            grouped = (f"SELECT subject_id, {', '.join(f'array_agg({name})' for name in columns)} FROM ({sql}) t "
                       "GROUP BY subject_id ORDER BY subject_id")
            text = {"subject_id": pl.Int64, **dict.fromkeys(columns, pl.String)}
            raw = cursor.cursor
            with raw.copy(f"COPY ({raw.mogrify(grouped, params)}) TO STDOUT WITH (FORMAT csv)") as copy:
                lines, buffer = 0, bytearray()
                for line in copy:
                    buffer += line
                    lines += 1
                    if lines == STREAM_BATCH:
                        yield _exploded(bytes(buffer), text, columns)
                        lines, buffer = 0, bytearray()
                if buffer:
                    yield _exploded(bytes(buffer), text, columns)
    finally:
        stream.close()


def _exploded(csv: bytes, text: Mapping[str, pl.DataType], columns: list[str]) -> pl.DataFrame:
    """One CSV line per subject, each column a PostgreSQL array literal (``{1,2}``, ``NULL`` for a null element,
    ``""`` for an empty text: the codes, dates and numbers read here need no other quoting) → one row per record."""
    frame = pl.read_csv(csv, has_header=False, new_columns=list(text), schema=text)
    frame = frame.with_columns(pl.col(name).str.strip_chars("{}").str.split(",") for name in columns).explode(columns)
    element = {name: pl.when(pl.col(name) == "NULL").then(None).when(pl.col(name) == '""').then(pl.lit(""))
               .otherwise(pl.col(name)) for name in columns}
    return frame.select(
        pl.col(name) if name == "subject_id" else
        (element[name].str.to_date() if dtype == pl.Date else element[name].cast(dtype)).alias(name)
        for name, dtype in _RECORD_READ.items())


def streamed_partition_frames(*, parts: Sequence[Sequence[int]], card: Scorecard, as_of: dt.date,
                              known_before: dt.datetime) -> Iterator[EvaluationFrames]:
    """The frames of consecutive partitions of ascending subject ids, as ``partition_frames`` gives each, but with
    the records of all of them read in one ordered pass (``_record_batches``): for a run of the whole city, where an
    index probe per record of each partition costs far more than one sequential scan of the records. The subjects
    and list entries are read per partition (small)."""
    record = CreditRecord
    column = f"r.{_column(record, 'subject')}"
    batches = _record_batches(*_records_query(card, as_of, known_before, f"{column} BETWEEN %s AND %s",
                                              [parts[0][0], parts[-1][-1]]))
    pending = pl.DataFrame(schema=_RECORD_READ)
    exhausted = False
    try:
        for part in parts:
            last = part[-1]
            # the stream is ordered: once a later subject is pending, every record up to ``last`` has arrived
            while not exhausted and (pending.is_empty() or pending["subject_id"].max() <= last):
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                else:
                    pending = pl.concat([pending, batch])
            mine = pending.filter(pl.col("subject_id") <= last)
            pending = pending.filter(pl.col("subject_id") > last)
            # a subject in the range but not in the run (scored already, not evaluated) is read and left out here
            mine = mine.join(pl.DataFrame({"subject_id": list(part)}, schema={"subject_id": pl.Int64}),
                             on="subject_id", how="semi")
            yield EvaluationFrames(_subjects_frame(part), _engine_records(mine, as_of),
                                   _entries_frame(part, known_before))
    finally:
        batches.close()


def changed_subject_ids(*, card: Scorecard, since: dt.datetime) -> list[int]:
    """The evaluated subjects whose credit records (of a class the scorecard reads), publicity states (a repair, a
    revocation, a severity assessed) or list entries (listed, removed) were written after ``since``."""
    classes = sorted({c for item in card.items if isinstance(item, RecordItem) for c in item.class_codes})
    lists = sorted({c for item in card.items if not isinstance(item, RecordItem) for c in item.list_codes}
                   | set(card.serious_lists))
    ids = set(CreditRecord.objects.filter(updated_at__gt=since, class_code__in=classes)
              .values_list("subject_id", flat=True))
    ids |= set(PublicityState.objects.filter(updated_at__gt=since, record__class_code__in=classes)
               .values_list("record__subject_id", flat=True))
    ids |= set(ListEntry.objects.filter(updated_at__gt=since, list_code__in=lists).values_list("subject_id", flat=True))
    return evaluated_subject_ids(card=card, subject_ids=sorted(ids)) if ids else []


def latest_results(*, subject_ids: Sequence[int]) -> dict[int, EvaluationResult]:
    """Each subject's latest result (the one ``current_class`` reads), for a partition of subjects."""
    latest: dict[int, EvaluationResult] = {}
    for result in EvaluationResult.objects.filter(subject_id__in=subject_ids).order_by("subject_id", "-evaluated_at",
                                                                                       "-id"):
        latest.setdefault(result.subject_id, result)
    return latest


def subject_by_uscc(*, uscc: str) -> Subject | None:
    return Subject.objects.filter(uscc=uscc.strip().upper()).first()


def may_run(user) -> bool:
    """Starting a run is for credit-centre operators (信用中心操作员)."""
    from pubcredit.accounts.access import is_city_operator

    return bool(getattr(user, "is_authenticated", False) and is_city_operator(user))


def subject_get(*, pk: int) -> Subject | None:
    return Subject.objects.filter(pk=pk).first()


CLASS_ORDER = ("honest", "minor", "general", "serious")


def class_by_district(*, run: EvaluationRun) -> list[dict]:
    """Per district (区县): the number of subjects in each class; subjects with no district under 未登记区县."""
    counts: dict[str, dict[str, int]] = {}
    for row in run.results.values("subject__district__name", "class_code").annotate(n=Count("id")):
        district = row["subject__district__name"] or "未登记区县"
        counts.setdefault(district, dict.fromkeys(CLASS_ORDER, 0))[row["class_code"]] = row["n"]
    return [{"district": name, "counts": [by[c] for c in CLASS_ORDER], "total": sum(by.values())}
            for name, by in sorted(counts.items())]


def class_by_industry(*, run: EvaluationRun) -> list[dict]:
    """Per industry (国民经济行业门类, GB/T 4754-2017, from the registration data): the number of subjects in each
    class, in the standard's order; organisations with no registered industry last, under 未登记行业."""
    from pubcredit.rules.industries import SECTIONS, section_name

    counts: dict[str | None, dict[str, int]] = {}
    for row in run.results.values("subject__industry", "class_code").annotate(n=Count("id")).order_by():
        by = counts.setdefault(row["subject__industry"] or None, dict.fromkeys(CLASS_ORDER, 0))
        by[row["class_code"]] += row["n"]
    order = [s for s in SECTIONS if s in counts] + ([None] if None in counts else [])
    return [{"industry": section_name(s), "counts": [counts[s][c] for c in CLASS_ORDER],
             "total": sum(counts[s].values())} for s in order]


def previous_run(*, run: EvaluationRun) -> EvaluationRun | None:
    """The last finished whole-city run before this one's evaluation date (the previous quarter for a quarter)."""
    return (EvaluationRun.objects.filter(status="done", subject_ids__isnull=True, as_of__lt=run.as_of)
            .exclude(pk=run.pk).order_by("-as_of", "-id").first())


def class_transitions(*, run: EvaluationRun, previous: EvaluationRun) -> list[dict]:
    """Movement between two runs (类别迁移矩阵): rows = class before, columns = class now, subjects in both."""
    before = dict(previous.results.values_list("subject_id", "class_code"))
    matrix = {c: dict.fromkeys(CLASS_ORDER, 0) for c in CLASS_ORDER}
    for subject_id, class_code in run.results.values_list("subject_id", "class_code"):
        if subject_id in before:
            matrix[before[subject_id]][class_code] += 1
    return [{"from": c, "counts": [matrix[c][to] for to in CLASS_ORDER]} for c in CLASS_ORDER]


# The kind of organisation from its USCC (GB 32100: the registration authority's code and the organisation category,
# its first two characters); the provincial scope is enterprises, social organisations and 机关事业单位 (§5.1).
ORGANISATION_KINDS = {"11": "机关", "12": "事业单位", "13": "中央编办直管机构", "19": "其他机构编制",
                      "51": "社会团体", "52": "民办非企业单位", "53": "基金会", "59": "其他民政登记",
                      "91": "企业", "92": "个体工商户", "93": "农民专业合作社"}


def class_by_organisation_kind(*, run: EvaluationRun) -> list[dict]:
    """Per kind of organisation (机构类别, from the USCC): the number of subjects in each class."""
    counts: dict[str, dict[str, int]] = {}
    rows = run.results.annotate(prefix=Substr("subject__uscc", 1, 2)).values("prefix", "class_code") \
        .annotate(n=Count("id")).order_by()
    for row in rows:
        kind = ORGANISATION_KINDS.get(row["prefix"] or "", "其他")
        by = counts.setdefault(kind, dict.fromkeys(CLASS_ORDER, 0))
        by[row["class_code"]] += row["n"]
    order = list(dict.fromkeys([*ORGANISATION_KINDS.values(), "其他"]))
    return [{"kind": name, "counts": [counts[name][c] for c in CLASS_ORDER], "total": sum(counts[name].values())}
            for name in order if name in counts]


def item_figures(*, run: EvaluationRun, limit: int = 10) -> list[dict]:
    """The items that moved most subjects in the run (影响主体最多的加减分项), most subjects first. A run written
    before the run kept its figures is counted from its results' item lines."""
    figures = run.item_figures
    if not figures and run.status == "done" and run.results.exists():
        figures = {}
        for items in run.results.values_list("items", flat=True).iterator(chunk_size=2000):
            moved: dict[str, tuple[str, float]] = {}
            for line in items:
                if line.get("source_kind") == "category":
                    continue
                name, points = moved.get(line["item_code"], (line["item_name_zh"], 0.0))
                moved[line["item_code"]] = (name, points + line["points"])
            for code, (name, points) in moved.items():
                if abs(points) > 1e-9:
                    entry = figures.setdefault(code, {"name_zh": name, "subjects": 0, "points": 0.0})
                    entry["subjects"] += 1
                    entry["points"] = round(entry["points"] + points, 2)
    rows = [{"item_code": code, **value} for code, value in figures.items()]
    return sorted(rows, key=lambda r: (-r["subjects"], r["item_code"]))[:limit]


def run_chart(*, run: EvaluationRun, distribution: list[dict], by_district: list[dict], by_kind: list[dict],
              items: list[dict], by_industry: list[dict] = ()) -> dict:
    """The run page's chart data (ECharts, drawn by static/console/evaluation-figures.js)."""
    from pubcredit.rules.evaluation import CLASS_LABELS, CreditClass

    classes = [CLASS_LABELS[CreditClass(c)] for c in CLASS_ORDER]
    return {"grades": [row["grade"] for row in distribution], "grade_counts": [row["n"] for row in distribution],
            "classes": classes,
            "districts": [row["district"] for row in by_district],
            "by_district": {name: [row["counts"][i] for row in by_district] for i, name in enumerate(classes)},
            "kinds": [row["kind"] for row in by_kind],
            "by_kind": {name: [row["counts"][i] for row in by_kind] for i, name in enumerate(classes)},
            "industries": [row["industry"] for row in by_industry],
            "by_industry": {name: [row["counts"][i] for row in by_industry] for i, name in enumerate(classes)},
            "items": [row["name_zh"] for row in items], "item_subjects": [row["subjects"] for row in items]}
