"""Reads of the governance app: scorecards by month for departments, districts and the city, the rows behind a
figure, the city monitoring indicators month by month, the task ledger with overdue flags, and the big screen's
figures (no personal data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department
from pubcredit.governance import rulebook
from pubcredit.governance.models import DepartmentScorecard, PolicyTask, ProgressAttachment, ProgressReport, \
    ScorecardItem
from pubcredit.governance.sources import SourceCell, source_cell
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules import governance as rules
from pubcredit.rules.errors import DomainError
from pubcredit.workdays.selectors import work_calendar

STATUS_LABELS = {"green": "达标", "red": "未达标", "none": "无数据"}
OBJECT_LABELS = {"record": "信用记录", "rejected_row": "退回行", "check": "联合奖惩核查", "list_entry": "名单条目",
                 "repair_application": "信用修复申请", "objection": "异议申诉", "commitment": "信用承诺",
                 "arrears_complaint": "拖欠账款投诉", "inspection_result": "抽查检查结果"}


# -- access -------------------------------------------------------------------------------------------------------

def may_view(user) -> bool:
    """City operators see everything; district operators their district's departments."""
    return bool(getattr(user, "is_authenticated", False)
                and (is_city_operator(user) or (getattr(user, "role", "") == Role.DISTRICT_OPERATOR
                                                and user.district_id)))


def may_edit_tasks(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and is_city_operator(user))


def department_scope(user) -> Q:
    """Filter on Department for what ``user`` may read; anyone else → PermissionDenied."""
    if not may_view(user):
        raise PermissionDenied("governance figures are for operators")
    if is_city_operator(user):
        return Q()
    return Q(district_id=user.district_id)


def parse_month(raw: str | None) -> dt.date:
    """``YYYY-MM`` → its first day; empty → this month; anything else → ``governance.month`` field error."""
    if not raw:
        return rules.month_start(clock.today())
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except ValueError as exc:
        raise DomainError("governance.month", f"月份格式应为 YYYY-MM：{raw}", f"bad month {raw!r}", "month") from exc


# -- scorecards ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureCell:
    key: str
    name_zh: str
    failing_zh: str
    shown_as: str
    total: int
    failing: int
    value: float | None
    target: float
    points: float | None
    status: str

    @property
    def status_zh(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class CardRow:
    """A department's (or a district's, or the city's) card for a month."""

    name: str
    code: str  # department code; district code prefixed "district:"; "city"
    score: float | None
    cells: list[FigureCell]
    frozen: bool
    as_of: dt.date | None
    card_ids: list[int] = field(default_factory=list)

    @property
    def red(self) -> int:
        return sum(c.status == "red" for c in self.cells)


def _specs(month: dt.date):
    day = min(rules.month_end(month), max(clock.today(), month))
    return rulebook.scorecard_rule(day), rulebook.default_target(day)


def _cells(rule, default_target, counts: dict[str, tuple[int, int]]) -> tuple[float | None, list[FigureCell]]:
    card = rules.score_card({k: counts.get(k, (0, 0)) for k in rule.figures}, rule, default_target=default_target)
    cells = [FigureCell(f.key, rule.figures[f.key].name_zh, rule.figures[f.key].failing_zh,
                        rule.figures[f.key].shown_as, f.total, f.failing, f.value, f.target, f.points, f.status)
             for f in card.figures]
    return card.score, cells


def _stored_cells(rule, card: DepartmentScorecard) -> list[FigureCell]:
    cells = []
    for key, spec in rule.figures.items():
        data = card.figures.get(key)
        if data is None:
            continue
        cells.append(FigureCell(key, spec.name_zh, spec.failing_zh, spec.shown_as, data["total"], data["failing"],
                                data["value"], data["target"], data["points"], data["status"]))
    return cells


@dataclass
class MonthBoard:
    month: dt.date
    figure_names: list[tuple[str, str]]
    departments: list[CardRow]
    districts: list[CardRow]
    city: CardRow | None
    frozen: bool


def month_board(*, viewer, month: dt.date) -> MonthBoard:
    """Every department card of the month in the viewer's scope (lowest score first), district and city rows
    summed from the department cards (counts added, then scored: a district is not an average of averages)."""
    scope = department_scope(viewer)
    rule, default_target = _specs(month)
    cards = list(DepartmentScorecard.objects.filter(month=rules.month_start(month))
                 .filter(department__in=Department.objects.filter(scope))
                 .select_related("department", "department__district"))
    rows = []
    by_district: dict[Any, list[DepartmentScorecard]] = defaultdict(list)
    for card in cards:
        rows.append(CardRow(card.department.name, card.department.code, card.score, _stored_cells(rule, card),
                            card.frozen, card.as_of, [card.pk]))
        if card.department.district_id:
            by_district[card.department.district].append(card)
    rows.sort(key=lambda r: (r.score is None, r.score if r.score is not None else 0, r.code))

    def summed(name: str, code: str, group: list[DepartmentScorecard]) -> CardRow:
        counts: dict[str, tuple[int, int]] = {}
        for card in group:
            for key, data in card.figures.items():
                total, failing = counts.get(key, (0, 0))
                counts[key] = (total + data["total"], failing + data["failing"])
        score, cells = _cells(rule, default_target, counts)
        return CardRow(name, code, score, cells, all(c.frozen for c in group), max((c.as_of for c in group),
                                                                                      default=None),
                       [c.pk for c in group])

    districts = sorted((summed(d.name, f"district:{d.code}", group) for d, group in by_district.items()),
                       key=lambda r: r.code)
    city = summed("全市" if is_city_operator(viewer) else str(viewer.district), "city", cards) if cards else None
    return MonthBoard(rules.month_start(month), [(k, s.name_zh) for k, s in rule.figures.items()], rows, districts,
                      city, bool(cards) and all(c.frozen for c in cards))


@dataclass
class DrillDown:
    month: dt.date
    scope_name: str
    figure: str
    figure_name: str
    failing_zh: str
    failing: int  # the figure's failing count, from the cards
    rows: list[ScorecardItem]


def figure_rows(*, viewer, month: dt.date, figure: str, scope_code: str) -> DrillDown:
    """The rows behind one figure of one card (a department code, ``district:<code>`` or ``city``). The list's
    length equals the figure's failing count: both come from the same stored card."""
    rule, _ = _specs(month)
    spec = rule.figures.get(figure)
    if spec is None:
        raise DomainError("governance.unknown_figure", f"考核指标不存在：{figure}", f"unknown figure {figure!r}",
                          "figure")
    cards = DepartmentScorecard.objects.filter(month=rules.month_start(month),
                                               department__in=Department.objects.filter(department_scope(viewer)))
    if scope_code == "city":
        name = "全市"
    elif scope_code.startswith("district:"):
        cards = cards.filter(department__district__code=scope_code.removeprefix("district:"))
        name = scope_code.removeprefix("district:")
    else:
        cards = cards.filter(department__code=scope_code)
        name = scope_code
    cards = list(cards.select_related("department", "department__district"))
    if scope_code not in ("city",) and not cards:
        raise DomainError("governance.not_found", "该月没有此范围的考核表", "no scorecard for this scope and month",
                          "scope")
    if cards and not scope_code.startswith("district:") and scope_code != "city":
        name = cards[0].department.name
    elif cards and scope_code.startswith("district:") and cards[0].department.district:
        name = cards[0].department.district.name
    failing = sum(c.figures.get(figure, {}).get("failing", 0) for c in cards)
    items = list(ScorecardItem.objects.filter(scorecard__in=cards, figure=figure)
                 .select_related("scorecard__department").order_by("scorecard__department__code", "day", "id"))
    return DrillDown(rules.month_start(month), name, figure, spec.name_zh, spec.failing_zh, failing, items)


# -- city monitoring (城市信用状况监测) -------------------------------------------------------------------------------

@dataclass
class IndicatorRow:
    indicator: rules.Indicator
    figure_name: str
    months: list[tuple[str, float | None, float | None]]  # (YYYY-MM, points, gap to full points)


@dataclass
class SourceRow:
    """An indicator described by another system's figures: each month's sentence (measured, not scored)."""

    indicator: rules.Indicator
    source_zh: str
    months: list[tuple[str, SourceCell]]


@dataclass
class Monitoring:
    months: list[str]
    measured: list[IndicatorRow]
    not_measured: list[rules.Indicator]
    basis: str
    sourced: list[SourceRow] = field(default_factory=list)


def monitoring(*, viewer, today: dt.date | None = None) -> Monitoring:
    """The measurable indicators, month by month over the rolling 12 months, from the city-wide sums of the
    department cards (scored into points); the indicators other systems' figures describe (信易贷, 信易+, commitments,
    report use, graded supervision: ``sources``), month by month as measured; the others listed with the reason the
    platform cannot measure them."""
    if not (getattr(viewer, "is_authenticated", False) and is_city_operator(viewer)):
        raise PermissionDenied("city monitoring is for the credit centre")
    today = today or clock.today()
    book = rulebook.monitoring_book()
    months = rules.months_back(today, 12)
    sums: dict[dt.date, dict[str, tuple[int, int]]] = defaultdict(dict)
    for card in DepartmentScorecard.objects.filter(month__in=months).only("month", "figures"):
        for key, data in card.figures.items():
            total, failing = sums[card.month].get(key, (0, 0))
            sums[card.month][key] = (total + data["total"], failing + data["failing"])
    scored: dict[dt.date, dict[str, rules.FigureScore]] = {}
    for month in months:
        if month in sums:
            rule, default_target = _specs(month)
            card = rules.score_card({k: sums[month].get(k, (0, 0)) for k in rule.figures}, rule,
                                    default_target=default_target)
            scored[month] = {f.key: f for f in card.figures}
    measured = []
    for indicator in book.indicators:
        if indicator.figure is None:
            continue
        spec = rulebook.scorecard_rule(today).figures.get(indicator.figure)
        cells = []
        for month in months:
            points = rules.indicator_points(indicator, scored.get(month, {}).get(indicator.figure))
            gap = round(indicator.points - points, 2) if points is not None and indicator.points else None
            cells.append((month.strftime("%Y-%m"), points, gap))
        measured.append(IndicatorRow(indicator, spec.name_zh if spec else indicator.figure, cells))
    memo: dict = {}  # one reading of a month's finance figures for both of its rows
    sourced = [SourceRow(indicator, rules.MONITORING_SOURCES[indicator.source],
                         [(month.strftime("%Y-%m"), source_cell(indicator.source, month,
                                                                min(rules.month_end(month), today), memo))
                          for month in months])
               for indicator in book.indicators if indicator.source is not None]
    return Monitoring([m.strftime("%Y-%m") for m in months], measured,
                      [i for i in book.indicators if i.not_measured_zh is not None], book.basis, sourced)


def attachment_for_viewer(*, viewer, pk: int) -> ProgressAttachment | None:
    """A progress report's file for whoever may read the task ledger (city and district operators); else None."""
    if not may_view(viewer):
        return None
    return ProgressAttachment.objects.select_related("report__task").filter(pk=pk).first()


# -- the task ledger ----------------------------------------------------------------------------------------------

@dataclass
class TaskRow:
    task: PolicyTask
    overdue: bool
    overdue_reason: str
    latest: ProgressReport | None
    status_zh: str
    recurrence_zh: str
    indicator_names: list[str]


def task_rows(*, today: dt.date | None = None, month: dt.date | None = None) -> list[TaskRow]:
    """Every task with its overdue flag (rules.governance.task_overdue on the working-day calendar) and its latest
    progress (of ``month`` when given)."""
    today = today or clock.today()
    book, calendar = rulebook.task_book(), work_calendar()
    figures = rulebook.scorecard_rule(today).figures
    tasks = list(PolicyTask.objects.order_by("-kind", "code"))  # the 15 tasks, then the safeguards
    periods: dict[int, set[dt.date]] = defaultdict(set)
    latest: dict[int, ProgressReport] = {}
    reports = ProgressReport.objects.filter(task__in=tasks).order_by("created_at", "id")
    for report in reports:
        periods[report.task_id].add(report.period)
        if month is None or report.period == rules.month_start(month):
            latest[report.task_id] = report
    rows = []
    for task in tasks:
        overdue, why = rules.task_overdue(status=task.status, deadline=task.deadline, recurrence=task.recurrence,
                                          reported_periods=periods[task.pk], today=today, calendar=calendar,
                                          due_working_day=book.report_due_working_day)
        rows.append(TaskRow(task, overdue, why, latest.get(task.pk),
                            rules.TASK_STATUS_LABELS.get(task.status, task.status),
                            rules.RECURRENCE_LABELS.get(task.recurrence, task.recurrence),
                            [figures[k].name_zh if k in figures else k for k in task.indicators]))
    return rows


# -- the big screen (大屏): counts only, no personal data -----------------------------------------------------------

def screen_data(*, today: dt.date | None = None) -> dict[str, Any]:
    """What the big screen shows: aggregates and department names only (no subject, no person, no identifier)."""
    today = today or clock.today()
    month = rules.month_start(today)
    start = dt.datetime.combine(month, dt.time(0), clock.PLATFORM_TZ)
    day_start = dt.datetime.combine(today, dt.time(0), clock.PLATFORM_TZ)
    end = day_start + dt.timedelta(days=1)
    by_department = (CreditRecord.objects.filter(received_at__gte=start, received_at__lt=end)
                     .values("department__name")
                     .annotate(month=Count("id"), today=Count("id", filter=Q(received_at__gte=day_start)))
                     .order_by("-month")[:15])
    cards = list(DepartmentScorecard.objects.filter(month=month).select_related("department")
                 .order_by("score", "department__code"))
    sums: dict[str, tuple[int, int]] = {}
    for card in cards:
        for key, data in card.figures.items():
            total, failing = sums.get(key, (0, 0))
            sums[key] = (total + data["total"], failing + data["failing"])
    rule, default_target = _specs(month)
    _, city_cells = _cells(rule, default_target, sums)
    sharing_counts = {"sharing": 0, "not_sharing": 0, "no_data": 0}
    for card in cards:
        if card.sharing_status in sharing_counts:
            sharing_counts[card.sharing_status] += 1
    with_data = sharing_counts["sharing"] + sharing_counts["not_sharing"]
    from pubcredit.lists.selectors import in_force_filter  # the one definition of "in force on a day"
    from pubcredit.lists.models import ListEntry
    from pubcredit.repair.models import Objection, RepairApplication
    from pubcredit.sanctions.models import Check

    lists = (ListEntry.objects.filter(in_force_filter(today)).values("kind").annotate(n=Count("id")).order_by("kind"))
    checks = Check.objects.filter(as_of__gte=start, as_of__lt=end).aggregate(
        checks=Count("id"), hits=Count("id", filter=Q(hit_count__gt=0)))
    from pubcredit.repair.selectors import OPEN_APPLICATION, OPEN_OBJECTION

    evaluation = _evaluation_classes()
    return {
        "districts": _district_figures(cards, month, start, end),
        "as_of": today.isoformat(), "month": month.strftime("%Y-%m"),
        "records_by_department": [{"department": r["department__name"], "month": r["month"], "today": r["today"]}
                                  for r in by_department],
        "sharing": {**sharing_counts, "share": round(sharing_counts["sharing"] / with_data, 4) if with_data else None,
                    "goal": rulebook.sharing_rule(today).goal_share},
        "figures": [{"key": c.key, "name": c.name_zh, "value": c.value, "target": c.target, "status": c.status}
                    for c in city_cells],
        "scores": [{"department": c.department.name, "score": c.score} for c in cards if c.score is not None][:15],
        "lists_in_force": [{"kind": r["kind"], "count": r["n"]} for r in lists],
        "checks": checks,
        "repairs_open": RepairApplication.objects.filter(state__in=OPEN_APPLICATION).count(),
        "objections_open": Objection.objects.filter(state__in=OPEN_OBJECTION).count(),
        "evaluation_classes": evaluation,
    }


def _district_figures(cards: list[DepartmentScorecard], month: dt.date, start: dt.datetime,
                      end: dt.datetime) -> list[dict[str, Any]]:
    """Per district with a map polygon (a GB/T 2260 code): the month's scorecard score of its departments summed
    (counts added, then scored, as the dashboard's district rows) and the records collected this month. District
    names and numbers only: what colours the big screen's map."""
    from pubcredit.accounts.models import District

    rule, default_target = _specs(month)
    by_district: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for card in cards:
        if card.department.district_id is None:
            continue
        counts = by_district[card.department.district_id]
        for key, data in card.figures.items():
            total, failing = counts.get(key, (0, 0))
            counts[key] = (total + data["total"], failing + data["failing"])
    records = dict(CreditRecord.objects.filter(received_at__gte=start, received_at__lt=end,
                                               department__district__isnull=False)
                   .values_list("department__district_id").annotate(n=Count("id")).order_by())
    out = []
    for district in District.objects.exclude(division_code="").order_by("division_code"):
        score = _cells(rule, default_target, by_district[district.pk])[0] if district.pk in by_district else None
        out.append({"name": district.name, "division_code": district.division_code, "score": score,
                    "records": records.get(district.pk, 0)})
    return out


def _evaluation_classes() -> list[dict[str, Any]]:
    """Subjects per class (诚信/轻微失信/一般失信/严重失信) in the latest finished evaluation run (evaluation app)."""
    from pubcredit.evaluation.choices import RunStatus
    from pubcredit.evaluation.models import EvaluationRun
    from pubcredit.rules.evaluation import CLASS_LABELS, CreditClass

    run = EvaluationRun.objects.filter(status=RunStatus.DONE).order_by("-id").first()
    if run is None:
        return []
    counts = dict(run.results.values("class_code").annotate(n=Count("id")).order_by().values_list("class_code", "n"))
    return [{"class": CLASS_LABELS[c], "count": counts.get(c.value, 0)} for c in CreditClass]


# -- the daily digest of what is late or due soon (逾期与临期提醒) -----------------------------------------------------

DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class DigestItem:
    kind_zh: str
    reference: str
    due: dt.date
    late: bool
    url: str


@dataclass
class Digest:
    department: Department
    today: dt.date
    horizon: dt.date  # the 3rd working day after today: due on or before it is "due soon"
    items: list[DigestItem]

    @property
    def late(self) -> list[DigestItem]:
        return [i for i in self.items if i.late]

    @property
    def due_soon(self) -> list[DigestItem]:
        return [i for i in self.items if not i.late]


def department_digest(*, department: Department, today: dt.date | None = None) -> Digest:
    """A department's open steps with a deadline that is past (逾期) or within the next 3 working days (临期):
    repair applications and objections it handles (their step's limit, repair app), the verifications of the
    commitments it accepted (``commitments.selectors.commitment_row``), and its identification cases (the push of a
    decided case; the end of a notified case's defence period, ``lists.selectors.case_deadlines``). Late first, then
    by due day. Checks awaiting feedback are not listed: the data gives them no due day."""
    from django.urls import reverse

    from pubcredit.commitments.rulebook import COMMITMENT_CLASS
    from pubcredit.commitments.selectors import commitment_row
    from pubcredit.lists.models import IdentificationCase
    from pubcredit.lists.selectors import case_deadlines
    from pubcredit.repair.models import OPEN_APPLICATION, OPEN_OBJECTION, Objection, RepairApplication

    today = today or clock.today()
    horizon = work_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS).value
    items: list[DigestItem] = []

    def add(kind_zh: str, reference: str, due: dt.date | None, url: str) -> None:
        if due is not None and due <= horizon:
            items.append(DigestItem(kind_zh, reference, due, due < today, url))

    queue = reverse("repair:queue")
    for app in RepairApplication.objects.filter(department=department, state__in=OPEN_APPLICATION) \
            .select_related("record"):
        add("信用修复申请（受理）" if app.state == "received" else "信用修复申请（办理）", app.record.decision_no,
            app.accept_due if app.state == "received" else app.decide_due, queue)
    for obj in Objection.objects.filter(department=department, state__in=OPEN_OBJECTION).select_related("record"):
        add("异议申诉（受理）" if obj.state == "received" else "异议申诉（核查）", obj.record.decision_no,
            (obj.accept_due or obj.forward_due) if obj.state == "received" else obj.verify_due, queue)
    for record in CreditRecord.objects.filter(department=department, class_code=COMMITMENT_CLASS,
                                              fields__status="in_force"):
        row = commitment_row(record, today=today)
        if row.verified_on is None:
            add("信用承诺核查", record.decision_no, row.verification_due, reverse("commitments:detail", args=[record.pk]))
    # identification cases (认定案件, lists app): a decided case must reach the platform within its push limit; a
    # notified case's defence period ends (then the unit may decide) — an end, not a limit, so never "late"
    for case in IdentificationCase.objects.filter(department=department, state__in=["decided", "notified"]) \
            .order_by("id"):
        deadlines = case_deadlines(case)
        url = reverse("lists:case_detail", args=[case.pk])
        if case.state == "decided":
            add("认定决定推送平台", case.decision_no, deadlines.push_due, url)
        elif deadlines.defence_until is not None and deadlines.defence_until >= today and not case.defence_received_on:
            add("陈述申辩期满（之后可作出认定决定）", case.notice_no or f"认定案件{case.pk}", deadlines.defence_until, url)
    items.sort(key=lambda i: (not i.late, i.due, i.reference))
    return Digest(department, today, horizon, items)


def digest_counts(*, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every department with something late or due soon: (department, late, due soon) — the daily job's digest."""
    out = []
    for department in Department.objects.order_by("code"):
        digest = department_digest(department=department, today=today)
        if digest.items:
            out.append({"department": department.name, "late": len(digest.late), "due_soon": len(digest.due_soon)})
    return out
