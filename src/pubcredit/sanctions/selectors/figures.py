"""Joint reward and punishment figures (联合奖惩统计): checks, hits, feedback and late list pushes per department
and month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.models import Department
from pubcredit.lists.models import ListEntry
from pubcredit.lists.selectors import late_push_counts
from pubcredit.rules import clock
from pubcredit.sanctions.models import Check, CheckFeedback
from pubcredit.sanctions.selectors.access import may_read_city_figures, may_read_department_figures

FIGURE_MONTHS = 12


@dataclass
class CheckFigures:
    """One department's (or the city's) joint reward and punishment figures over a window."""

    checks: int = 0
    hit_checks: int = 0
    feedback_required: int = 0
    feedback_complete: int = 0
    measures_applied: int = 0
    measures_not_applied: int = 0
    late_pushes: int = 0

    @property
    def hit_rate(self) -> float | None:
        return self.hit_checks / self.checks if self.checks else None

    @property
    def feedback_rate(self) -> float | None:
        """Checks with every measure reported on / checks that had measures (反馈率)."""
        return self.feedback_complete / self.feedback_required if self.feedback_required else None

    def add(self, other: CheckFigures) -> None:
        for name in ("checks", "hit_checks", "feedback_required", "feedback_complete", "measures_applied",
                     "measures_not_applied", "late_pushes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class CityFigures:
    first_day: dt.date
    last_day: dt.date
    scope_name: str
    total: CheckFigures
    departments: list[tuple[Department, CheckFigures]]
    months: list[str]
    monthly: dict[str, list[int]] = field(default_factory=dict)  # series name → counts per month

    def chart(self) -> dict[str, Any]:
        """ECharts data: per department (checks, hits, measures applied, late pushes) and per month."""
        named = [(d.name, f) for d, f in self.departments if f.checks or f.late_pushes]
        return {
            "departments": [n for n, _ in named],
            "by_department": {"核查次数": [f.checks for _, f in named], "命中次数": [f.hit_checks for _, f in named],
                              "实施措施": [f.measures_applied for _, f in named],
                              "超期推送名单": [f.late_pushes for _, f in named]},
            "months": self.months, "by_month": self.monthly,
        }


def _month_list(last_day: dt.date, count: int) -> list[str]:
    year, month = last_day.year, last_day.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def _figures_by_department(checks: QuerySet[Check], first_day: dt.date) -> dict[int, CheckFigures]:
    out: dict[int, CheckFigures] = {}
    for row in checks.values("department_id").annotate(
            n=Count("id"), hits=Count("id", filter=Q(hit_count__gt=0)),
            req=Count("id", filter=Q(feedback_required=True)),
            done=Count("id", filter=Q(feedback_required=True, feedback_complete=True))):
        out[row["department_id"]] = CheckFigures(row["n"], row["hits"], row["req"], row["done"])
    latest = (CheckFeedback.objects.filter(check_row__in=checks).values("check_row_id", "measure_code")
              .annotate(last=Max("id")).values("last"))
    for row in (CheckFeedback.objects.filter(id__in=Subquery(latest)).values("check_row__department_id")
                .annotate(yes=Count("id", filter=Q(applied=True)), no=Count("id", filter=Q(applied=False)))):
        figures = out.setdefault(row["check_row__department_id"], CheckFigures())
        figures.measures_applied, figures.measures_not_applied = row["yes"], row["no"]
    for department_id, n in late_push_counts(since=first_day).items():
        out.setdefault(department_id, CheckFigures()).late_pushes = n
    return out


def city_figures(*, viewer, months: int = FIGURE_MONTHS) -> CityFigures:
    """Every department's figures over the last ``months`` months (operators: the city; district operators: their
    district's departments): checks made, hits, feedback rate, measures applied, late list pushes."""
    if not may_read_city_figures(viewer):
        raise PermissionDenied("无权查看全市联合奖惩统计")
    last_day = clock.today()
    month_keys = _month_list(last_day, months)
    first_day = dt.date.fromisoformat(month_keys[0] + "-01")
    departments = Department.objects.select_related("district").order_by("code")
    checks = Check.objects.filter(as_of_date__gte=first_day, as_of_date__lte=last_day)
    scope_name = "全市"
    if not is_city_operator(viewer):
        departments = departments.filter(district_id=viewer.district_id)
        checks = checks.filter(department__district_id=viewer.district_id)
        scope_name = str(viewer.district)
    by_department = _figures_by_department(checks, first_day)
    allowed = {d.pk for d in departments}
    rows = [(d, by_department.get(d.pk, CheckFigures())) for d in departments]
    total = CheckFigures()
    for department_id, figures in by_department.items():
        if department_id in allowed:
            total.add(figures)
    monthly = _monthly(checks, month_keys)
    return CityFigures(first_day, last_day, scope_name, total, rows, month_keys, monthly)


def _monthly(checks: QuerySet[Check], month_keys: list[str]) -> dict[str, list[int]]:
    series = {"核查次数": [0] * len(month_keys), "命中次数": [0] * len(month_keys)}
    index = {m: i for i, m in enumerate(month_keys)}
    for row in (checks.annotate(month=TruncMonth("as_of_date")).values("month")
                .annotate(n=Count("id"), hits=Count("id", filter=Q(hit_count__gt=0)))):
        month = row["month"]
        key = f"{month.year:04d}-{month.month:02d}"
        if key in index:
            series["核查次数"][index[key]] = row["n"]
            series["命中次数"][index[key]] = row["hits"]
    return series


def department_figures(*, viewer, department: Department, months: int = FIGURE_MONTHS) -> CityFigures:
    """One department's figures (the same shape as the city's, with one department)."""
    if not may_read_department_figures(viewer, department):
        raise PermissionDenied("无权查看该部门的联合奖惩统计")
    last_day = clock.today()
    month_keys = _month_list(last_day, months)
    first_day = dt.date.fromisoformat(month_keys[0] + "-01")
    checks = Check.objects.filter(department=department, as_of_date__gte=first_day, as_of_date__lte=last_day)
    figures = _figures_by_department(checks, first_day).get(department.pk, CheckFigures())
    figures.late_pushes = ListEntry.objects.filter(department=department, pushed_late=True,
                                                   created_at__date__gte=first_day).count()
    return CityFigures(first_day, last_day, department.name, figures, [(department, figures)], month_keys,
                       _monthly(checks, month_keys))
