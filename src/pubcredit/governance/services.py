"""Writes of the governance app: the daily scorecard computation (frozen at month end) and the task ledger (loaded
from the rulebook, edited by operators, progress reported by the responsible units). Every write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from pubcredit.accounts.models import Department
from pubcredit.accounts.selectors import sharing_rule
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.governance import attachments, rulebook
from pubcredit.governance.counting import Period, count_figures
from pubcredit.governance.models import DepartmentScorecard, PolicyTask, ProgressAttachment, ProgressReport, \
    ScorecardItem
from pubcredit.rules import clock, sharing
from pubcredit.rules import governance as rules
from pubcredit.rules.errors import DomainError, Problem

__all__ = ["ComputeResult", "scorecard_compute", "scorecards_compute", "policy_tasks_load", "policy_task_update",
           "progress_report_submit", "attachment_download_record"]


@dataclass
class ComputeResult:
    day: str
    computed: list[str] = field(default_factory=list)  # months computed ("2026-11")
    frozen: list[str] = field(default_factory=list)  # months frozen this run
    cards: int = 0
    skipped_frozen: int = 0
    digest: list[dict[str, Any]] = field(default_factory=list)  # departments with late or due-soon steps

    def as_dict(self) -> dict[str, Any]:
        return {"day": self.day, "computed": self.computed, "frozen": self.frozen, "cards": self.cards,
                "skipped_frozen": self.skipped_frozen, "digest": self.digest}


def scorecard_compute(*, department: Department, month: dt.date, as_of: dt.date, freeze: bool) -> DepartmentScorecard | None:
    """One department's card for ``month`` counted up to ``as_of``; a frozen card is never recomputed (None)."""
    first_day = rules.month_start(month)
    existing = DepartmentScorecard.objects.filter(department=department, month=first_day).first()
    if existing is not None and existing.frozen:
        return None
    as_of = min(as_of, rules.month_end(first_day))
    rule = rulebook.scorecard_rule(as_of)
    period = Period(first_day, as_of, rule)
    counts = count_figures(department, period)
    default_target = rulebook.default_target(as_of)
    card = rules.score_card({k: (total, len(items)) for k, (total, items) in counts.items()}, rule,
                            default_target=default_target)
    # the month's real-time sharing verdict, by the sharing rule itself (rules.sharing, docs/figures.md)
    new_total, late = counts["realtime_sharing"][0], len(counts["realtime_sharing"][1])
    refused = len(counts["rejection_rate"][1]) if "rejection_rate" in counts else 0
    verdict = sharing.realtime_sharing(new_records=new_total, on_time=new_total - late, rejected_rows=refused,
                                       rule=sharing_rule(as_of))
    figures = {f.key: {"total": f.total, "failing": f.failing, "value": f.value, "target": f.target,
                       "weight": f.weight, "points": f.points, "status": f.status} for f in card.figures}
    values = {"as_of": as_of, "computed_at": clock.now(), "frozen": freeze, "score": card.score, "figures": figures,
              "sharing_status": verdict.status.value, "rule_version": card.rule_version}
    if existing is None:
        scorecard = DepartmentScorecard.objects.create(department=department, month=first_day, **values)
    else:
        for key, value in values.items():
            setattr(existing, key, value)
        existing.save()
        existing.items.all().delete()
        scorecard = existing
    ScorecardItem.objects.bulk_create([
        ScorecardItem(scorecard=scorecard, figure=key, object_type=item.object_type, object_id=item.object_id,
                      reference=item.reference[:200], detail=item.detail[:300], day=item.day)
        for key, (_, items) in counts.items() for item in items])
    return scorecard


def scorecards_compute(*, actor: Any, today: dt.date | None = None) -> ComputeResult:
    """The daily job (部门考核日计算): every department's card for the current month up to today, and, while the
    previous month is not frozen yet, its cards counted to its last day and frozen. Idempotent."""
    today = today or clock.today()
    result = ComputeResult(day=today.isoformat())
    current = rules.month_start(today)
    previous = rules.month_start(current - dt.timedelta(days=1))
    departments = list(Department.objects.order_by("code"))
    for month, as_of, freeze in ((previous, rules.month_end(previous), True), (current, today, False)):
        done = 0
        with transaction.atomic():
            for department in departments:
                if scorecard_compute(department=department, month=month, as_of=as_of, freeze=freeze) is None:
                    result.skipped_frozen += 1
                else:
                    done += 1
            if done:
                audit.record(Event.SCORECARDS_COMPUTED, actor=actor, object_type="scorecard_month",
                             object_id=month.strftime("%Y-%m"), reason="冻结上月考核" if freeze else "更新本月考核",
                             data={"as_of": as_of.isoformat(), "cards": done, "frozen": freeze},
                             rule_version=rulebook.scorecard_rule(as_of).rule_version)
        if done:
            result.computed.append(month.strftime("%Y-%m"))
            result.cards += done
            if freeze:
                result.frozen.append(month.strftime("%Y-%m"))
    return result


# -- the task ledger -------------------------------------------------------------------------------------------

def _snapshot(task: PolicyTask) -> dict[str, Any]:
    return {"code": task.code, "title": task.title, "lead_units": task.lead_units, "co_units": task.co_units,
            "deadline": task.deadline.isoformat() if task.deadline else None, "recurrence": task.recurrence,
            "indicators": task.indicators, "status": task.status}


@transaction.atomic(durable=True)
def policy_tasks_load(*, actor: Any) -> int:
    """Create the rulebook's tasks that are not in the ledger yet; tasks already there (perhaps edited) are kept."""
    book = rulebook.task_book()
    have = set(PolicyTask.objects.values_list("code", flat=True))
    created = 0
    for spec in book.tasks:
        if spec.code in have:
            continue
        task = PolicyTask.objects.create(
            code=spec.code, kind=spec.kind, section=spec.section_zh, title=spec.title_zh, summary=spec.summary_zh,
            lead_units=list(spec.lead_units), co_units=list(spec.co_units), deadline=spec.deadline,
            recurrence=spec.recurrence, indicators=list(spec.indicators), status=rules.TaskStatus.NOT_STARTED,
            source_version=book.version, updated_at=clock.now())
        audit.record(Event.POLICY_TASK_SAVED, actor=actor, object_type="policy_task", object_id=task.code,
                     after=_snapshot(task), reason="从规则库导入", rule_version=f"governance_tasks@{book.version}")
        created += 1
    return created


def _units(raw: Any, field_name: str, *, required: bool) -> list[str]:
    if isinstance(raw, str):
        raw = [part for part in raw.replace("，", ",").replace("、", ",").split(",")]
    units = [str(u).strip() for u in (raw or []) if str(u).strip()]
    if required and not units:
        raise DomainError("governance.unit_required", "任务必须有牵头（责任）单位", "a task needs a responsible unit",
                          field_name)
    return list(dict.fromkeys(units))


def _indicators(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.replace("，", ",").split(",")]
    keys = [k for k in (raw or []) if k]
    known = rulebook.figure_keys()
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise DomainError("governance.unknown_figure", f"关联的平台指标不存在：{'、'.join(unknown)}（可用：{'、'.join(known)}）",
                          f"unknown platform figure(s): {', '.join(unknown)}", "indicators")
    return list(dict.fromkeys(keys))


@transaction.atomic(durable=True)
def policy_task_update(*, task: PolicyTask, values: dict[str, Any], reason: str = "", actor: Any) -> PolicyTask:
    """An operator edits a task: units, deadline, recurrence, linked figures, status (moves from ``TASK_MOVES``).
    All problems are reported together, field by field."""
    task = PolicyTask.objects.select_for_update().get(pk=task.pk)
    before = _snapshot(task)
    problems: list[Problem] = []

    def attempt(fn):
        try:
            return fn()
        except DomainError as exc:
            problems.extend(exc.problems)
            return None

    if "lead_units" in values:
        task.lead_units = attempt(lambda: _units(values["lead_units"], "lead_units", required=True)) or task.lead_units
    if "co_units" in values:
        task.co_units = attempt(lambda: _units(values["co_units"], "co_units", required=False)) or []
    if "indicators" in values:
        found = attempt(lambda: _indicators(values["indicators"]))
        task.indicators = found if found is not None else task.indicators
    if "deadline" in values:
        task.deadline = values["deadline"] or None
    if "recurrence" in values:
        if values["recurrence"] not in rules.RECURRENCE_LABELS:
            problems.append(Problem("governance.recurrence", "调度周期无效", "unknown recurrence", "recurrence"))
        else:
            task.recurrence = values["recurrence"]
    if values.get("status") and values["status"] != task.status:
        moved = attempt(lambda: rules.task_move(task.status, values["status"]))
        task.status = moved or task.status
    if problems:
        raise DomainError.from_problems(problems)
    task.updated_at = clock.now()
    task.save()
    audit.record(Event.POLICY_TASK_SAVED, actor=actor, object_type="policy_task", object_id=task.code, before=before,
                 after=_snapshot(task), reason=reason or "编辑任务")
    return task


@transaction.atomic(durable=True)
def progress_report_submit(*, task: PolicyTask, unit: str, period: dt.date | None, text: str,
                           files: Sequence[tuple[str, Iterable[bytes]]] = (), actor: Any) -> ProgressReport:
    """A responsible unit reports progress (调度进展) for a period, with its files (``(name, chunks)`` pairs; checked
    and kept by governance/attachments.py, scanned on the worker); a closed task takes no more reports. Any refusal
    keeps nothing: no report, no file."""
    task = PolicyTask.objects.select_for_update().get(pk=task.pk)  # the state as stored now, not as last read
    problems: list[Problem] = []
    if task.status == rules.TaskStatus.DONE:
        problems.append(Problem("governance.task_closed", f"任务 {task.code} 已完成，不再接收进展报送",
                                f"task {task.code} is closed", "task"))
    unit = (unit or "").strip()
    if unit not in [*task.lead_units, *task.co_units]:
        problems.append(Problem("governance.unit_not_responsible", f"“{unit or '（空）'}”不是该任务的责任单位",
                                "not a responsible unit of the task", "unit"))
    if not (text or "").strip():
        problems.append(Problem("governance.text_required", "请填写进展情况", "progress text is required", "text"))
    if len(files) > attachments.MAX_FILES_PER_REPORT:
        problems.append(Problem("governance.attachment_too_many",
                                f"每次报送最多{attachments.MAX_FILES_PER_REPORT}个附件",
                                f"at most {attachments.MAX_FILES_PER_REPORT} files a report", "files"))
    today = clock.today()
    period = rules.month_start(period or today)
    if period > today:
        problems.append(Problem("date.future", "调度期不能晚于本月", "the period is in the future", "period"))
    if problems:
        raise DomainError.from_problems(problems)
    stored: list[attachments.StoredFile] = []
    try:
        for name, chunks in files:
            stored.append(attachments.attachment_store(filename=name, chunks=chunks))
        report = ProgressReport.objects.create(task=task, unit=unit, period=period, text=text.strip(),
                                               actor_label=audit.actor_label(actor), created_at=clock.now())
        status, detail = ("pending", "") if attachments.scan_command() else ("not_scanned", "未配置病毒扫描命令")
        kept = []
        for file in stored:
            row = ProgressAttachment(report=report, kind=file.kind, original_name=file.original_name, size=file.size,
                                     sha256=file.sha256, stored_path=file.stored_path, scan_status=status,
                                     scan_detail=detail, created_at=clock.now())
            row.full_clean()
            row.save()
            kept.append(row)
        if task.status == rules.TaskStatus.NOT_STARTED:
            task.status = rules.TaskStatus.IN_PROGRESS
            task.updated_at = clock.now()
            task.save(update_fields=["status", "updated_at"])
        audit.record(Event.POLICY_TASK_PROGRESS, actor=actor, object_type="policy_task", object_id=task.code,
                     after={"unit": unit, "period": period.isoformat(), "text": report.text,
                            "attachments": [a.sha256 for a in kept]},
                     reason="报送任务进展",
                     data={"attachments": [{"id": a.pk, "name": a.original_name, "sha256": a.sha256, "size": a.size}
                                           for a in kept]})
    except BaseException:
        attachments.attachment_discard(stored)
        raise
    if status == "pending" and kept:
        from pubcredit.governance.tasks import scan_progress_attachments

        ids = [a.pk for a in kept]
        transaction.on_commit(lambda: scan_progress_attachments.enqueue(attachment_ids=ids))
    return report


@transaction.atomic(durable=True)
def attachment_download_record(*, attachment: ProgressAttachment, actor: Any) -> None:
    """Who downloaded which progress report file, in the audit log (governance.attachment)."""
    audit.record(Event.POLICY_TASK_ATTACHMENT, actor=actor, object_type="policy_task",
                 object_id=attachment.report.task.code, reason=f"下载进展附件：{attachment.original_name}",
                 data={"attachment_id": attachment.pk, "sha256": attachment.sha256})
