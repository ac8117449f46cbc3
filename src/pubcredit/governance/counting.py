"""Counting one department's scorecard figures for one month from the platform's own rows.

Each figure is (total rows, the failing rows themselves): the failing rows are the drill-down, so the list a
department head opens always has exactly as many rows as the figure counts. Everything is cut at the end of the
period (``as_of``, at most the month's last day, in Asia/Shanghai): rows received later never count, and dates of
later steps (a decision, a verification, a feedback) after ``as_of`` count as "not yet done".

Built on what exists: the records' ``on_time`` and ``delay_working_days`` (decided at receipt on the working-day
calendar, docs/figures.md), the refused rows behind the rejection rate (``figures.selectors``), list
entries' ``pushed_late`` (lists), repair and objection deadlines (repair), ``commitments.selectors.commitment_row``
for the verification due day, and the inspection results' publication day (supervision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from pubcredit.accounts.models import Department
from pubcredit.catalog.registry import get_class
from pubcredit.commitments.rulebook import COMMITMENT_CLASS
from pubcredit.commitments.selectors import commitment_row
from pubcredit.ingest.models import RejectedRow
from pubcredit.lists.models import ListEntry
from pubcredit.records.models import CreditRecord, RecordVersion
from pubcredit.repair.models import Objection, RepairApplication
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.governance import ScorecardRule
from pubcredit.sanctions.models import Check, CheckFeedback
from pubcredit.supervision.models import InspectionResult

__all__ = ["Item", "Period", "FIGURE_COUNTERS", "count_figures"]


@dataclass(frozen=True)
class Item:
    """A row counted against a figure: what it is, its reference (a decision number, a check id) and why."""

    object_type: str
    object_id: int
    reference: str
    detail: str
    day: dt.date | None


@dataclass(frozen=True)
class Period:
    first_day: dt.date  # the month's first day
    as_of: dt.date  # the last day counted (today, or the month's last day)
    rule: ScorecardRule

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(0), clock.PLATFORM_TZ)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period."""
        return dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time(0), clock.PLATFORM_TZ)


Count_ = tuple[int, list[Item]]


def _class_name(code: str) -> str:
    try:
        return get_class(code).name_zh
    except DomainError:
        return code


def _new_records(department: Department, period: Period):
    return CreditRecord.objects.filter(department=department, received_at__gte=period.start,
                                       received_at__lt=period.end)


def _record_item(row: dict, detail: str) -> Item:
    return Item("record", row["id"], row["decision_no"], detail,
                row["received_at"].astimezone(clock.PLATFORM_TZ).date())


def realtime_sharing(department: Department, period: Period) -> Count_:
    """New records (first receipts) in the month; failing: those not within their class deadline (``on_time``)."""
    records = _new_records(department, period)
    late = records.filter(on_time=False).order_by("received_at", "id").values(
        "id", "decision_no", "class_code", "received_at", "delay_working_days")
    return records.count(), [_record_item(r, f"{_class_name(r['class_code'])}，报送用时{r['delay_working_days']}个工作日")
                             for r in late]


def double_publicity_on_time(department: Department, period: Period) -> Count_:
    """New 双公示 records (许可、处罚) in the month; failing: more than 7 working days from decision to receipt."""
    limit = period.rule.double_publicity_working_days
    records = _new_records(department, period).filter(class_code__in=period.rule.double_publicity_classes)
    late = records.filter(delay_working_days__gt=limit).order_by("received_at", "id").values(
        "id", "decision_no", "class_code", "received_at", "delay_working_days")
    return records.count(), [
        _record_item(r, f"{_class_name(r['class_code'])}，决定后第{r['delay_working_days']}个工作日报送（时限{limit}个）")
        for r in late]


def _refused(department: Department, period: Period):
    return RejectedRow.objects.filter(department=department, batch__received_at__gte=period.start,
                                      batch__received_at__lt=period.end)


def _refused_item(row: dict, detail: str) -> Item:
    return Item("rejected_row", row["id"], row["decision_no"] or f"第{row['row_no']}行", detail,
                row["batch__received_at"].astimezone(clock.PLATFORM_TZ).date())


def _refused_rows(department: Department, period: Period):
    return _refused(department, period).order_by("batch__received_at", "id").values(
        "id", "decision_no", "row_no", "class_code", "errors", "batch__received_at")


def _error_codes(errors) -> list[str]:
    return [str(e.get("code")) for e in errors if isinstance(e, dict) and e.get("code")] if isinstance(errors, list) \
        else []


def rejection_rate(department: Department, period: Period) -> Count_:
    """New records + refused rows in the month (as docs/figures.md's 退回率); failing: the refused rows."""
    rows = list(_refused_rows(department, period))
    items = [_refused_item(r, f"{_class_name(r['class_code'])}：{'、'.join(_error_codes(r['errors'])) or '整行退回'}")
             for r in rows]
    return _new_records(department, period).count() + len(rows), items


def wrong_code_rate(department: Department, period: Period) -> Count_:
    """Same base as the rejection rate; failing: refused rows with a wrong identifier (校验位、长度、格式错误)."""
    wrong = set(period.rule.wrong_code_errors)
    rows = list(_refused_rows(department, period))
    items = []
    for r in rows:
        codes = [c for c in _error_codes(r["errors"]) if c in wrong]
        if codes:
            items.append(_refused_item(r, f"{_class_name(r['class_code'])}：{'、'.join(codes)}"))
    return _new_records(department, period).count() + len(rows), items


def correction_rate(department: Department, period: Period) -> Count_:
    """Records first received or corrected in the month; failing: those corrected (a version ≥ 2 received in the
    month). A record corrected twice counts once."""
    corrected = (RecordVersion.objects.filter(record__department=department, version__gte=2,
                                              received_at__gte=period.start, received_at__lt=period.end)
                 .values("record_id").annotate(last=Max("received_at"), n=Count("id")).order_by("record_id"))
    corrected = list(corrected)
    ids = {r["record_id"] for r in corrected}
    numbers = dict(CreditRecord.objects.filter(pk__in=ids).values_list("id", "decision_no"))
    new_ids = set(_new_records(department, period).values_list("id", flat=True))
    items = [Item("record", r["record_id"], numbers.get(r["record_id"], ""), f"本月更正{r['n']}次",
                  r["last"].astimezone(clock.PLATFORM_TZ).date()) for r in corrected]
    return len(new_ids | ids), items


def check_feedback(department: Department, period: Period) -> Count_:
    """Checks by the department in the month that required feedback (a measure applied: 应惩必惩); failing: no
    complete feedback by the end of the period."""
    checks = Check.objects.filter(department=department, feedback_required=True, as_of__gte=period.start,
                                  as_of__lt=period.end)
    late_feedback = set(CheckFeedback.objects.filter(check_row__in=checks, created_at__gte=period.end)
                        .values_list("check_row_id", flat=True))
    failing = []
    for row in checks.order_by("as_of", "id").values("id", "check_id", "scenario", "feedback_complete", "as_of_date"):
        if not row["feedback_complete"] or row["id"] in late_feedback:
            failing.append(Item("check", row["id"], str(row["check_id"]), f"场景 {row['scenario']}：命中措施未反馈实施情况",
                                row["as_of_date"]))
    return checks.count(), failing


def list_push_on_time(department: Department, period: Period) -> Count_:
    """List entries the department pushed in the month; failing: pushed after the deadline (``pushed_late``)."""
    entries = ListEntry.objects.filter(department=department, created_at__gte=period.start, created_at__lt=period.end)
    late = entries.filter(pushed_late=True).order_by("created_at", "id").values(
        "id", "decision_no", "push_delay_working_days", "push_deadline_working_days", "decision_date")
    return entries.count(), [
        Item("list_entry", r["id"], r["decision_no"],
             f"认定后第{r['push_delay_working_days']}个工作日推送（时限{r['push_deadline_working_days']}个）",
             r["decision_date"]) for r in late]


def _handled_on_time(rows, period: Period, object_type: str, kind_zh: str, done_zh: str = "办结",
                     open_zh: str = "期末未办结") -> Count_:
    """Cases whose limit fell in the period or that were decided in it; failing: decided after the limit, or not
    decided by the end of the period with the limit passed."""
    total, failing = 0, []
    for row in rows:
        due, done = row["due"], row["decided_on"]
        if done is not None and done > period.as_of:
            done = None  # decided after the period: not decided at its end
        decided_in_period = done is not None and period.first_day <= done <= period.as_of
        open_past_limit = done is None and due is not None and due < period.as_of and due >= period.first_day
        if not (decided_in_period or open_past_limit):
            continue
        total += 1
        if due is not None and (done is None or done > due):
            detail = f"{kind_zh}期限{due.isoformat()}，" + (f"{done.isoformat()}{done_zh}" if done else open_zh)
            failing.append(Item(object_type, row["id"], row["reference"], detail, due))
    return total, failing


def repair_on_time(department: Department, period: Period) -> Count_:
    """Repair applications (信用修复) of the unit: the limit is the decision limit once accepted, else the
    acceptance limit (docs/repair.md)."""
    rows = []
    for app in RepairApplication.objects.filter(department=department, received_on__lte=period.as_of).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gte=period.first_day)).select_related("record").order_by("id"):
        rows.append({"id": app.pk, "reference": app.record.decision_no, "decided_on": app.decided_on,
                     "due": app.decide_due or app.accept_due})
    return _handled_on_time(rows, period, "repair_application", "办理")


def objection_on_time(department: Department, period: Period) -> Count_:
    """Objections (异议) to the unit's records: the verification limit once accepted, else the forwarding limit."""
    rows = []
    for obj in Objection.objects.filter(department=department, received_on__lte=period.as_of).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gte=period.first_day)).select_related("record").order_by("id"):
        rows.append({"id": obj.pk, "reference": obj.record.decision_no, "decided_on": obj.decided_on,
                     "due": obj.verify_due or obj.forward_due})
    return _handled_on_time(rows, period, "objection", "核查")


def commitment_verified_on_time(department: Department, period: Period) -> Count_:
    """Commitments accepted by the department whose verification was due in the period (the due day from
    ``commitments.selectors.commitment_row``: the verification date on a working day, plus the grace); failing:
    not verified by the due day (or verified after the period)."""
    total, failing = 0, []
    records = CreditRecord.objects.filter(department=department, class_code=COMMITMENT_CLASS,
                                          received_at__lt=period.end).order_by("id")
    for record in records:
        row = commitment_row(record, today=period.as_of)
        if row.verification_due is None or not (period.first_day <= row.verification_due <= period.as_of):
            continue
        total += 1
        verified = row.verified_on if row.verified_on and row.verified_on <= period.as_of else None
        if verified is None or verified > row.verification_due:
            failing.append(Item("commitment", record.pk, record.decision_no,
                                f"核查期限{row.verification_due.isoformat()}，"
                                + (f"{verified.isoformat()}核查" if verified else "期末未核查"), row.verification_due))
    return total, failing


# -- 清欠按计划清偿 (issue 23): arrears past their agreed plan, read from the integrity app ------------------------

def arrears_cleared_on_plan(department: Department, period: Period) -> Count_:
    """Repayment plans the department answers for (as the debtor, or handling a debtor that is no platform
    department: ``integrity.selectors.arrears_plans_of_department``) cleared in the period, or still owed at its end
    with the plan's day passed; failing: cleared after the plan's day, or still owed (逾期未清偿) — an unpaid debt
    counts against the department every month until it is paid."""
    from pubcredit.integrity.selectors import arrears_plans_of_department

    total, failing = 0, []
    for plan in arrears_plans_of_department(department=department, as_of=period.as_of):
        cleared_in_period = plan.cleared_on is not None and plan.cleared_on >= period.first_day
        still_owed_past_plan = plan.cleared_on is None and plan.due < period.as_of
        if not (cleared_in_period or still_owed_past_plan):
            continue
        total += 1
        if still_owed_past_plan or plan.cleared_on > plan.due:
            owner = "本单位欠款" if plan.as_debtor else f"{plan.debtor_name}欠款（本部门处理）"
            done = f"{plan.cleared_on.isoformat()}清偿" if plan.cleared_on else "期末仍未清偿"
            failing.append(Item("arrears_complaint", plan.complaint_id, plan.number,
                                f"{owner}，还款计划期限{plan.due.isoformat()}，{done}", plan.due))
    return total, failing


# -- 双公示 field completeness and validity; inspections' results published on time (version 2026.3) ---------------

def _is_missing_field(code: str) -> bool:
    return code == "required" or code.endswith(".required")


def double_publicity_fields(department: Department, period: Period) -> Count_:
    """双公示 rows (许可、处罚) the department sent in the month: records first received plus rows refused; failing:
    the refused rows, each a row whose fields were incomplete (a required field missing, 缺项) or invalid (a wrong
    format, code, date or value, 无效). An accepted record passed every field check of its catalogue class at
    receipt, so it counts as complete and valid."""
    classes = period.rule.double_publicity_classes
    rows = list(_refused(department, period).filter(class_code__in=classes).order_by("batch__received_at", "id")
                .values("id", "decision_no", "row_no", "class_code", "errors", "batch__received_at"))
    items = []
    for r in rows:
        codes = _error_codes(r["errors"])
        errors = r["errors"] if isinstance(r["errors"], list) else []
        missing = sorted({str(e.get("field") or "") for e in errors
                          if isinstance(e, dict) and _is_missing_field(str(e.get("code", "")))} - {""})
        invalid = [c for c in codes if not _is_missing_field(c)]
        parts = ([f"缺项 {'、'.join(missing)}"] if missing else []) + ([f"无效 {'、'.join(invalid)}"] if invalid else [])
        items.append(_refused_item(r, f"{_class_name(r['class_code'])}：{'；'.join(parts) or '整行退回'}"))
    new = _new_records(department, period).filter(class_code__in=classes).count()
    return new + len(rows), items


def inspection_results_published_on_time(department: Department, period: Period) -> Count_:
    """Results (检查结果) of the random inspections the department leads (双随机、一公开), published in the month or
    still unpublished at its end with their publication day (``publish_due``: 20 working days after the inspection,
    supervision rulebook, on the working-day calendar) passed in it; failing: published after that day, or not
    published by the period end (逾期未公示)."""
    rows = []
    results = (InspectionResult.objects.filter(drawn_object__task__department=department,
                                               inspected_on__lte=period.as_of)
               .filter(Q(published_at__isnull=True) | Q(published_at__gte=period.start))
               .select_related("drawn_object__task", "item").order_by("id"))
    for result in results:
        published = result.published_at.astimezone(clock.PLATFORM_TZ).date() if result.published_at else None
        rows.append({"id": result.pk, "decided_on": published, "due": result.publish_due,
                     "reference": f"{result.drawn_object.task.code} · {result.item.name}"})
    return _handled_on_time(rows, period, "inspection_result", "公示", "公示", "期末未公示")


FIGURE_COUNTERS: dict[str, Callable[[Department, Period], Count_]] = {
    "realtime_sharing": realtime_sharing,
    "double_publicity_on_time": double_publicity_on_time,
    "wrong_code_rate": wrong_code_rate,
    "rejection_rate": rejection_rate,
    "correction_rate": correction_rate,
    "check_feedback": check_feedback,
    "list_push_on_time": list_push_on_time,
    "repair_on_time": repair_on_time,
    "objection_on_time": objection_on_time,
    "commitment_verified_on_time": commitment_verified_on_time,
    "arrears_cleared_on_plan": arrears_cleared_on_plan,
    "double_publicity_fields": double_publicity_fields,
    "inspection_results_published_on_time": inspection_results_published_on_time,
}


def count_figures(department: Department, period: Period) -> dict[str, Count_]:
    """Every figure of the period's rule; a figure the rulebook names but no counter knows is an error."""
    out = {}
    for key in period.rule.figures:
        counter = FIGURE_COUNTERS.get(key)
        if counter is None:
            raise DomainError("governance.unknown_figure", f"考核指标不存在：{key}", f"no counter for figure {key}",
                              "figure")
        out[key] = counter(department, period)
    return out
