"""Writes of the evaluation (公共信用综合评价): starting a run and executing it in partitions.

A run is executed by the worker (``evaluation.tasks.evaluate_run``) or in process (``pubcredit evaluate``): each
partition of subjects is read, scored by the pure engine (``rules.evaluation.score_partition``) and written in one
transaction; subjects already scored in the run are skipped, so a run killed half-way resumes without double rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.evaluation import selectors
from pubcredit.evaluation.choices import RunStatus, RunTrigger
from pubcredit.evaluation.models import EvaluationResult, EvaluationRun
from pubcredit.evaluation.rulebook import scorecards
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.evaluation import ScorecardError, score_partition

PARTITION_SIZE = 2000  # subjects per partition: memory stays flat in the number of subjects


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
    for start in range(0, len(todo), PARTITION_SIZE):
        part = todo[start:start + PARTITION_SIZE]
        frames = selectors.partition_frames(subject_ids=part, card=card, as_of=run.as_of, known_before=known_before)
        scored = score_partition(frames, card, run.as_of)
        lines = scored.lines.partition_by("subject_id", as_dict=True)
        now = clock.now()
        rows = [EvaluationResult(run=run, subject_id=row["subject_id"], as_of=run.as_of,
                                 scorecard_version=card.version, score=Decimal(str(row["score"])),
                                 grade=row["grade"], class_code=row["class_code"],
                                 items=selectors.lines_as_items(lines[(row["subject_id"],)])
                                 if (row["subject_id"],) in lines else [],
                                 overrides=list(row["overrides"]), evaluated_at=now)
                for row in scored.scores.iter_rows(named=True)]
        with transaction.atomic():
            EvaluationResult.objects.bulk_create(rows)
            done += len(part)
            EvaluationRun.objects.filter(pk=run.pk).update(done=done)
        if progress:
            progress(done, len(all_ids))
    with transaction.atomic():
        EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=clock.now(), done=done)
        audit.record(Event.EVALUATION_RUN_FINISHED, actor=actor, object_type="evaluation_run", object_id=run.pk,
                     reason=f"{run.period} 评价完成，共 {done} 个主体", rule_version=card.version)
    run.refresh_from_db()
    return run
