"""The other systems' monthly figures the city monitoring view (城市信用状况监测) lists beside the scorecard figures:
信易贷 and 信易+ (finance), credit commitments (commitments), credit report use (reports), graded supervision
(supervision). Each is read through its app, city-wide, for one month, and shown as measured (counts and shares),
never turned into points: the published indicator digest gives no scoring rule for them. Counts only, no personal
data. The keys are ``rules.governance.MONITORING_SOURCES`` (a test holds them equal to ``SOURCES``);
``monitoring.yaml`` names them as ``source``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q

from pubcredit.accounts.models import Department
from pubcredit.commitments.selectors import commitment_figures
from pubcredit.finance.selectors import LendingFigures, lending_figures
from pubcredit.reports.models import Report, ReportKind
from pubcredit.rules import clock
from pubcredit.supervision.models import DrawnObject

__all__ = ["SourceCell", "SOURCES", "source_cell"]


@dataclass(frozen=True)
class SourceCell:
    """One month of one source: the headline share or count (``value``, None without data) and the whole sentence."""

    value: float | None
    text_zh: str
    has_data: bool


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _window(first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(first_day, dt.time.min, clock.PLATFORM_TZ),
            dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, clock.PLATFORM_TZ))


Memo = dict[tuple[dt.date, dt.date], LendingFigures]


def _finance(first_day: dt.date, last_day: dt.date, memo: Memo) -> LendingFigures:
    """The finance figures of one month, read once per page: the 信易贷 and 信易+ rows both read them."""
    if (first_day, last_day) not in memo:
        memo[first_day, last_day] = lending_figures(first_day=first_day, last_day=last_day)
    return memo[first_day, last_day]


def lending(first_day: dt.date, last_day: dt.date, memo: Memo) -> SourceCell:
    """信易贷: applications, approvals, disbursed loans and amount, 首贷 share (value: loans disbursed)."""
    t = _finance(first_day, last_day, memo).total
    if not t.applications:
        return SourceCell(None, "无申请", False)
    first = f"，首贷占比{t.first_loan_share}%" if t.first_loan_share is not None else ""
    return SourceCell(float(t.disbursed), f"申请{t.applications}笔，批准{t.approved}笔，放款{t.disbursed}笔"
                                          f"{t.disbursed_amount.normalize():f}万元{first}", True)


def incentives(first_day: dt.date, last_day: dt.date, memo: Memo) -> SourceCell:
    """信易+: scenario checks asked, eligible answers, benefits the providers reported given (value: given)."""
    tallies = _finance(first_day, last_day, memo).incentives
    checks, eligible, used = (sum(t.checks for t in tallies), sum(t.eligible for t in tallies),
                              sum(t.used for t in tallies))
    if not checks:
        return SourceCell(None, "无核验", False)
    scenarios = sum(1 for t in tallies if t.checks)
    return SourceCell(float(used), f"{scenarios}个场景核验{checks}次，符合条件{eligible}次，已兑现{used}次", True)


def commitments(first_day: dt.date, last_day: dt.date, memo: Memo) -> SourceCell:
    """信用承诺 city-wide: made, of them 审批替代型, licences made by commitment (their share), verifications due and
    done on time, breaches (value: the share of licences made by commitment, %)."""
    f = commitment_figures(departments=Department.objects.order_by("code"), scope_name="全市", first_day=first_day,
                           last_day=last_day)
    t = f.total
    if not (t.made or t.verifications_due or t.breaches or t.licences):
        return SourceCell(None, "无承诺", False)
    share = t.approval_share
    approval = f"，行政许可{t.licences}件中告知承诺{t.licences_by_commitment}件（{round(100 * share, 1)}%）" \
        if share is not None else ""
    return SourceCell(round(100 * share, 1) if share is not None else None,
                      f"作出承诺{t.made}件（审批替代型{t.approval_commitments}件）{approval}；应核查"
                      f"{t.verifications_due}件，按期核查{f.verifications_on_time}件；违诺{t.breaches}件", True)


def report_use(first_day: dt.date, last_day: dt.date, memo: Memo) -> SourceCell:
    """信用报告应用: reports issued in the month by kind, and how many departments obtained one (value: departments)."""
    start, end = _window(first_day, last_day)
    issued = Report.objects.filter(issued_at__gte=start, issued_at__lt=end)
    counts = issued.aggregate(
        total=Count("id"), public=Count("id", filter=Q(kind=ReportKind.PUBLIC)),
        query=Count("id", filter=Q(kind=ReportKind.QUERY)), special=Count("id", filter=Q(kind=ReportKind.SPECIAL)),
        departments=Count("department", distinct=True),
        own=Count("id", filter=Q(enterprise_account__isnull=False)))
    if not counts["total"]:
        return SourceCell(None, "无出具", False)
    return SourceCell(float(counts["departments"]),
                      f"出具{counts['total']}份（公开版{counts['public']}、查询版{counts['query']}、专项{counts['special']}），"
                      f"{counts['departments']}个部门使用，企业自查{counts['own']}份", True)


def graded_supervision(first_day: dt.date, last_day: dt.date, memo: Memo) -> SourceCell:
    """分级分类监管: objects drawn by random inspections in the month, of them drawn under the credit-class rules
    (a graded trigger: the class's ratio and the yearly cap applied, ``counts_against_cap``), and the tasks (value:
    the graded share, %)."""
    start, end = _window(first_day, last_day)
    drawn = DrawnObject.objects.filter(task__drawn_at__gte=start, task__drawn_at__lt=end)
    counts = drawn.aggregate(total=Count("id"), graded=Count("id", filter=Q(counts_against_cap=True)),
                             tasks=Count("task", distinct=True))
    if not counts["total"]:
        return SourceCell(None, "无抽取", False)
    share = _percent(counts["graded"], counts["total"])
    return SourceCell(share, f"{counts['tasks']}个任务抽取对象{counts['total']}户，按信用分级分类抽取"
                             f"{counts['graded']}户（{share}%）", True)


SOURCES: dict[str, Callable[[dt.date, dt.date, Memo], SourceCell]] = {
    "lending": lending, "incentives": incentives, "commitments": commitments, "report_use": report_use,
    "graded_supervision": graded_supervision,
}


def source_cell(key: str, first_day: dt.date, last_day: dt.date, memo: Memo | None = None) -> SourceCell:
    """One source's cell for one month; pass the same ``memo`` for every cell of a page."""
    return SOURCES[key](first_day, last_day, {} if memo is None else memo)
