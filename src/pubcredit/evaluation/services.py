"""Writes of the evaluation (公共信用综合评价): starting a run and executing it in partitions, and the incremental
refresh of the subjects whose records or entries changed.

A run is executed by the worker (``evaluation.tasks.evaluate_run``) or in process (``pubcredit evaluate``): each
partition of subjects is read, scored by the pure engine (``rules.evaluation.score_partition``) and written in one
transaction; subjects already scored in the run are skipped, so a run killed half-way resumes without double rows.

The incremental refresh (``evaluation_refresh_changed``, run by the worker every minute: ``evaluation.tasks``) reads
which subjects' records, publicity states and list entries were written since it last looked — records and lists
never call evaluation (layers: evaluation sits above them) — and re-scores those subjects with the same engine and
the same reads as a full run, so its results equal a full run's on the same data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import polars as pl
from django.db import connection, connections, transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.evaluation import selectors
from pubcredit.evaluation.choices import RunStatus, RunTrigger
from pubcredit.evaluation.models import EvaluationResult, EvaluationRun, RefreshWatermark
from pubcredit.evaluation.rulebook import scorecards
from pubcredit.prefetch import read_ahead
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.evaluation import Frames as EvaluationFrames
from pubcredit.rules.evaluation import LINE_SCHEMA, Scorecard, ScorecardError, Scored, score_partition

PARTITION_SIZE = 2000  # subjects per partition: memory stays flat in the number of subjects
# A run of at least STREAM_FROM subjects reads its records in one ordered pass (selectors.streamed_partition_frames)
# and scores STREAM_PARTITION_SIZE subjects at a time (bench/README.md, evaluation, 2026-12-03 afternoon)
STREAM_FROM = 50_000
STREAM_PARTITION_SIZE = 10_000
# The refresh looks back this far before its watermark: a transaction that wrote a record before the last refresh
# began but committed after it (a long import) is still seen. A subject re-scored with nothing changed gets no new row.
REFRESH_OVERLAP = dt.timedelta(minutes=15)


def quarter_end_before(day: dt.date) -> dt.date:
    """The last quarter end on or before ``day`` (the quarterly snapshot date, §5.1)."""
    month = (day.month - 1) // 3 * 3 + 3
    end = dt.date(day.year, month, 1) + dt.timedelta(days=31)
    end = end.replace(day=1) - dt.timedelta(days=1)
    if end <= day:
        return end
    start = dt.date(day.year, month - 2, 1)
    return start - dt.timedelta(days=1)


def _actor_label(actor: Any) -> str:
    return (actor.label if isinstance(actor, audit.SystemActor) else f"user:{actor.username}")[:150]


def _period(trigger: str, as_of: dt.date) -> str:
    if trigger == RunTrigger.QUARTERLY:
        return f"{as_of.year}Q{(as_of.month - 1) // 3 + 1}"
    return as_of.isoformat()


def evaluation_run_start(*, actor: Any, trigger: str = RunTrigger.ON_DEMAND, as_of: dt.date | None = None,
                         subject_ids: Sequence[int] | None = None, version: str | None = None,
                         enqueue: bool = True) -> EvaluationRun:
    """Start a run (发起评价): quarterly (default date: the last quarter end) or on demand (default: today).

    ``version`` replays a given scorecard version against any date; otherwise the version in force on ``as_of``.
    The run is executed by the worker after commit (``enqueue``) or by the caller (``evaluation_run_execute``).
    """
    if trigger not in RunTrigger.values:
        raise DomainError("evaluation.trigger", "评价方式无效", "unknown trigger", "trigger")
    today = clock.today()
    if as_of is None:
        as_of = quarter_end_before(today) if trigger == RunTrigger.QUARTERLY else today
    if as_of > today:
        raise DomainError("evaluation.future", "评价基准日不能晚于今天", "the evaluation date is in the future", "as_of")
    try:
        card = scorecards().get(version) if version else scorecards().for_day(as_of)
    except ScorecardError as exc:
        raise DomainError("evaluation.scorecard", "没有适用的评价模型版本", str(exc), "version") from None
    with transaction.atomic(durable=True):
        run = EvaluationRun(trigger=trigger, as_of=as_of, period=_period(trigger, as_of),
                            scorecard_version=card.version, subject_ids=list(subject_ids) if subject_ids else None,
                            requested_by=_actor_label(actor), created_at=clock.now())
        run.full_clean()
        run.save()
        audit.record(Event.EVALUATION_RUN_STARTED, actor=actor, object_type="evaluation_run", object_id=run.pk,
                     reason=f"{run.get_trigger_display()} {run.period}", rule_version=card.version,
                     data={"as_of": as_of.isoformat(), "subjects": len(subject_ids) if subject_ids else None})
        if enqueue:
            transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from pubcredit.evaluation.tasks import evaluate_run

    result = evaluate_run.enqueue(run_id=run_id)
    EvaluationRun.objects.filter(pk=run_id).update(task_result_id=result.id)


def add_item_figures(figures: dict[str, dict], scored: Scored) -> dict[str, dict]:
    """Add one partition's item lines to the run's item figures: per item, the subjects it moved (its lines sum to
    something other than 0 for them) and the points it gave or took (cap adjustments are the caps' own lines)."""
    if scored.lines.is_empty():
        return figures
    per_subject = scored.lines.filter(pl.col("source_kind") != "category").group_by("item_code", "subject_id").agg(
        pl.col("item_name_zh").first(), pl.col("points").sum())
    totals = per_subject.filter(pl.col("points").abs() > 1e-9).group_by("item_code").agg(
        pl.col("item_name_zh").first(), pl.len().alias("subjects"), pl.col("points").sum())
    merged = {code: dict(value) for code, value in figures.items()}
    for row in totals.iter_rows(named=True):
        entry = merged.setdefault(row["item_code"], {"name_zh": row["item_name_zh"], "subjects": 0, "points": 0.0})
        entry["subjects"] += row["subjects"]
        entry["points"] = round(entry["points"] + row["points"], 2)
    return merged


# the stored columns of a result (``EvaluationResult``), in the order the writer copies them
RESULT_COLUMNS = ("run", "subject", "as_of", "scorecard_version", "score", "grade", "class_code", "items", "overrides",
                  "evaluated_at")
_LINE_FIELDS = [name for name in LINE_SCHEMA if name != "subject_id"]  # an item line as stored: all but the subject


def result_frame(scored: Scored) -> pl.DataFrame:
    """One row per scored subject: ``subject_id``, the score as decimal text, grade, class, and the item lines and
    overrides as JSON text, built in Polars (no Python object per line). An item line is a JSON object of the
    engine's line columns but the subject, in the engine's order of lines; a subject without lines gets ``[]``."""
    items = (scored.lines.select("subject_id", pl.struct(_LINE_FIELDS).struct.json_encode().alias("line"))
             .group_by("subject_id", maintain_order=True)
             .agg(pl.concat_str(pl.lit("["), pl.col("line").str.join(","), pl.lit("]")).alias("items")))
    overrides = pl.when(pl.col("overrides").list.len() == 0).then(pl.lit("[]")).otherwise(
        # a list of text as JSON: Polars encodes structs only, so the list is encoded as a struct's one field
        pl.struct("overrides").struct.json_encode().str.strip_prefix('{"overrides":').str.strip_suffix("}"))
    return scored.scores.join(items, on="subject_id", how="left").select(
        "subject_id", pl.col("score").cast(pl.String), "grade", "class_code",
        pl.col("items").fill_null("[]"), overrides.alias("overrides"))


def write_results(run: EvaluationRun, card: Scorecard, results: pl.DataFrame, now: dt.datetime) -> int:
    """Insert ``results`` (``result_frame``) as the run's result rows, inside the caller's transaction: ``COPY`` of
    the frame's CSV on PostgreSQL (the JSON text goes to ``jsonb`` as it is), one ``executemany`` on SQLite."""
    if results.is_empty():
        return 0
    ops = connection.ops
    table = ops.quote_name(EvaluationResult._meta.db_table)
    columns = ", ".join(ops.quote_name(EvaluationResult._meta.get_field(name).column) for name in RESULT_COLUMNS)
    rows = results.select(
        pl.lit(run.pk, pl.Int64).alias("run"), pl.col("subject_id").alias("subject"),
        pl.lit(run.as_of.isoformat()).alias("as_of"), pl.lit(card.version).alias("scorecard_version"),
        "score", "grade", "class_code", "items", "overrides",
        pl.lit(ops.adapt_datetimefield_value(now) if connection.vendor == "sqlite" else now.isoformat())
        .alias("evaluated_at"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(rows.write_csv(include_header=False))
        else:
            marks = ", ".join(["%s"] * len(RESULT_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows.iter_rows())
    return rows.height


def unsaved_results(run: EvaluationRun, card: Scorecard, results: pl.DataFrame,
                    now: dt.datetime) -> list[EvaluationResult]:
    """``results`` as (unsaved) result objects with their values as the database gives them back: for comparing
    with stored results (the refresh, a partition of changed subjects, not the full run's path)."""
    return [EvaluationResult(run=run, subject_id=row["subject_id"], as_of=run.as_of, scorecard_version=card.version,
                             score=Decimal(row["score"]), grade=row["grade"], class_code=row["class_code"],
                             items=json.loads(row["items"]), overrides=json.loads(row["overrides"]), evaluated_at=now)
            for row in results.iter_rows(named=True)]


T = TypeVar("T")


def _read_ahead(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """The items of ``produce()`` in order, produced by a thread one item ahead of the caller (``prefetch``): the
    partitions are read (mostly the database's work) while the caller scores and writes the one before, on two cores.
    The thread reads through connections of its own, closed when it ends. Within an open transaction (a test's, a
    caller's) another connection would not see what the transaction wrote, so there the items are produced in turn
    on the caller's connection."""
    if connection.in_atomic_block:
        yield from produce()
        return

    def produced() -> Iterator[T]:
        yield from produce()  # called at the first item, in the thread: its queries run on the thread's connection

    yield from read_ahead(produced(), name="evaluation-read-ahead", finish=connections.close_all)


def evaluation_run_execute(*, run_id: int, actor: Any,
                           progress: Callable[[int, int], None] | None = None) -> EvaluationRun:
    """Score every subject of the run not yet scored in it, partition by partition (resumable)."""
    run = EvaluationRun.objects.get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    card = scorecards().get(run.scorecard_version)
    # what the platform knew on the evaluation date: everything received before the next day began
    known_before = dt.datetime.combine(run.as_of + dt.timedelta(days=1), dt.time(), tzinfo=clock.now().tzinfo)
    known_before = min(known_before, clock.now() + dt.timedelta(microseconds=1))
    all_ids = selectors.evaluated_subject_ids(card=card, subject_ids=run.subject_ids)
    done_ids = set(run.results.values_list("subject_id", flat=True))
    todo = [pk for pk in all_ids if pk not in done_ids]
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, total=len(all_ids), done=len(done_ids))
    done = len(done_ids)
    figures = run.item_figures if done_ids else {}  # a resumed run goes on from the partitions it wrote
    # a run of many subjects reads the records of all its partitions in one ordered pass, larger partitions at a time
    streamed = len(todo) >= STREAM_FROM and not connection.in_atomic_block
    size = STREAM_PARTITION_SIZE if streamed else PARTITION_SIZE
    parts = [todo[start:start + size] for start in range(0, len(todo), size)]

    def read() -> Iterator[EvaluationFrames]:
        if streamed:
            return selectors.streamed_partition_frames(parts=parts, card=card, as_of=run.as_of,
                                                       known_before=known_before)
        return (selectors.partition_frames(subject_ids=part, card=card, as_of=run.as_of, known_before=known_before)
                for part in parts)

    # closed as soon as the loop ends, also by an error or a kill: the reading thread stops and closes its connection
    with contextlib.closing(_read_ahead(read)) as reads:
        for part, frames in zip(parts, reads, strict=True):
            scored = score_partition(frames, card, run.as_of)
            results = result_frame(scored)
            figures = add_item_figures(figures, scored)
            with transaction.atomic():  # the partition's rows and the run's progress together: a kill resumes here
                write_results(run, card, results, clock.now())
                done += len(part)
                EvaluationRun.objects.filter(pk=run.pk).update(done=done, item_figures=figures)
            if progress:
                progress(done, len(all_ids))
    with transaction.atomic():
        EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=clock.now(), done=done)
        audit.record(Event.EVALUATION_RUN_FINISHED, actor=actor, object_type="evaluation_run", object_id=run.pk,
                     reason=f"{run.period} 评价完成，共 {done} 个主体", rule_version=card.version)
    run.refresh_from_db()
    return run


def _same_result(new: EvaluationResult, old: EvaluationResult | None) -> bool:
    """Equal by value, not by JSON text: the stored items are what the database gives back, and PostgreSQL's jsonb
    keeps no negative zero (a repaired or fully decayed line's −0.0 points come back as 0), so comparing the text
    wrote a new row for every such subject at every refresh of the look-back (found by bench/evaluation/refresh.py)."""
    if old is None:
        return False
    return ((new.as_of, new.scorecard_version, new.score, new.grade, new.class_code, new.items, new.overrides)
            == (old.as_of, old.scorecard_version, old.score, old.grade, old.class_code, old.items, old.overrides))


WATERMARK = "incremental"


def evaluation_refresh_changed(*, actor: Any) -> EvaluationRun | None:
    """Re-score today the subjects whose records, publicity states or list entries changed since the last refresh
    (增量刷新), so a repair, a new penalty or a new listing shows in the class within a minute.

    The first call only sets the watermark (what came before is the full runs' business). The subjects are read and
    scored exactly as a full run would (``selectors.partition_frames``, ``score_partition``), partition by partition;
    a subject whose new result equals its latest one gets no new row. The rows written go into one run (trigger
    ``incremental``, audited ``evaluation.refresh``); None when nothing moved.
    """
    started = clock.now()
    with transaction.atomic():
        mark, created = RefreshWatermark.objects.select_for_update().get_or_create(
            name=WATERMARK, defaults={"checked_until": started, "refreshed_at": started})
        if created:
            return None
        since = mark.checked_until - REFRESH_OVERLAP
    today = clock.today()
    card = scorecards().for_day(today)
    ids = selectors.changed_subject_ids(card=card, since=since)
    run = None
    written = 0
    for start in range(0, len(ids), PARTITION_SIZE):
        part = ids[start:start + PARTITION_SIZE]
        frames = selectors.partition_frames(subject_ids=part, card=card, as_of=today,
                                            known_before=clock.now() + dt.timedelta(microseconds=1))
        scored = score_partition(frames, card, today)
        if run is None:
            run = EvaluationRun(trigger=RunTrigger.INCREMENTAL, as_of=today, period=_period(RunTrigger.INCREMENTAL, today),
                                scorecard_version=card.version, status=RunStatus.RUNNING, subject_ids=[],
                                requested_by=_actor_label(actor), created_at=started)
        latest = selectors.latest_results(subject_ids=part)
        results, now = result_frame(scored), clock.now()
        changed = [r.subject_id for r in unsaved_results(run, card, results, now)
                   if not _same_result(r, latest.get(r.subject_id))]
        if not changed:
            continue
        with transaction.atomic():
            if run.pk is None:
                run.save()
            write_results(run, card, results.filter(pl.col("subject_id").is_in(changed)), now)
            run.subject_ids = [*run.subject_ids, *changed]
            written += len(changed)
            EvaluationRun.objects.filter(pk=run.pk).update(subject_ids=run.subject_ids, total=written, done=written)
    with transaction.atomic():
        RefreshWatermark.objects.filter(name=WATERMARK).update(checked_until=started, refreshed_at=clock.now())
        if run is None or run.pk is None:
            return None
        EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=clock.now())
        audit.record(Event.EVALUATION_REFRESHED, actor=actor, object_type="evaluation_run", object_id=run.pk,
                     reason=f"增量刷新：{len(ids)} 个主体的信用记录或名单有变动，{written} 个主体的评价结果更新",
                     rule_version=card.version, data={"changed": len(ids), "written": written,
                                                      "since": since.isoformat()})
    run.refresh_from_db()
    return run
