"""Department figures (部门报送统计), read by department systems and staff.

- ``GET /api/v1/departments/{code}/stats``: one department's figures and its real-time sharing verdict (实时共享);
  a department token reads its own department only;
- ``GET /api/v1/departments/stats``: every department's verdict and the share of departments sharing in real
  time against the city goal (operators; a district operator gets its district).

Authentication: ``Authorization: Bearer <department token>`` or a logged-in staff session. docs/figures.md
explains each figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.security import HttpBearer, django_auth

from pubcredit.accounts.selectors import department_by_code
from pubcredit.figures import selectors
from pubcredit.api_common import ErrorOut

__all__ = ["router"]


class DepartmentToken(HttpBearer):
    """``Authorization: Bearer pc_…``: a department's API token (接口令牌).

    Delegates to :class:`pubcredit.api.DepartmentToken`, imported when a request comes: ``pubcredit.api`` mounts
    this router, so importing it here at module level would be circular.
    """

    def authenticate(self, request, token):
        from pubcredit.api import DepartmentToken as Shared

        return Shared().authenticate(request, token)


router = Router(tags=["departments"], auth=[DepartmentToken(), django_auth])


class WindowOut(Schema):
    days: int = Field(description="length of the window in calendar days (the sharing rule's window_days)")
    first_day: dt.date
    last_day: dt.date = Field(description="today (Asia/Shanghai); the window includes both days")
    new_records: int = Field(description="records first received in the window")
    on_time: int = Field(description="of those, received within their class's deadline")
    late: int
    rejected_rows: int = Field(description="rows refused by the platform in submissions received in the window")
    refused_batches: int = Field(description="whole submissions refused in the window (unreadable, columns missing)")


class OverallOut(Schema):
    records: int = Field(description="every record the department sent, by first receipt, up to today")
    on_time: int
    on_time_share: float | None
    median_delay_working_days: float | None
    rejected_rows: int
    rejection_rate: float | None


class ClassMonthOut(Schema):
    class_code: str
    class_name: str
    month: str = Field(description="YYYY-MM: month of first receipt in Asia/Shanghai")
    count: int


class ReasonOut(Schema):
    code: str = Field(description="stable error code, e.g. uscc.checksum")
    field: str | None = Field(description="field at fault (English key), null for row-level reasons")
    field_label: str | None = Field(description="the field's Chinese label in the catalogue")
    count: int = Field(description="refused rows in the window carrying this reason")
    example: str = Field(description="the Chinese message of one such row")


class VerdictOut(Schema):
    status: Literal["sharing", "not_sharing", "no_data"]
    label: str = Field(description="实时共享 / 未实时共享 / 无数据")
    reason: str = Field(description="why, in Chinese")
    reason_en: str
    rule_version: str = Field(description="e.g. realtime_sharing@2026.1 (rulebook/sharing.yaml)")
    window_days: int
    on_time_share_required: float
    min_records: int


class DepartmentStatsOut(Schema):
    code: str
    name: str
    district: str | None
    as_of: dt.date
    window: WindowOut
    months: list[str] = Field(description="the months covered by by_class_month, oldest first (YYYY-MM)")
    by_class_month: list[ClassMonthOut] = Field(description="new records per class and month; empty months omitted")
    rejection_rate: float | None = Field(description="window: rejected_rows / (new_records + rejected_rows), 0–1")
    top_reasons: list[ReasonOut] = Field(description="up to 5 most frequent refusal reasons in the window")
    top_reasons_rows_examined: int = Field(description="refused rows read for top_reasons (newest first, bounded)")
    on_time_share: float | None = Field(description="window: on_time / new_records, 0–1; null without new records")
    median_delay_working_days: float | None = Field(
        description="window: median working days from decision to first receipt")
    last_submission_at: dt.datetime | None = Field(description="latest receipt of a batch or a record")
    overall: OverallOut
    realtime_sharing: VerdictOut


class DepartmentVerdictOut(Schema):
    code: str
    name: str
    district: str | None
    new_records: int
    on_time_share: float | None
    rejection_rate: float | None
    last_submission_at: dt.datetime | None
    realtime_sharing: VerdictOut


class CityStatsOut(Schema):
    as_of: dt.date
    scope: str = Field(description="全市, or the district of a district operator")
    first_day: dt.date
    last_day: dt.date
    rule_version: str
    goal_share: float = Field(description="the city goal, 0–1 (0.9: 淄政办字〔2021〕31号 item 2)")
    departments_total: int
    departments_counted: int = Field(description="sharing + not sharing; departments without data are left out")
    sharing: int
    not_sharing: int
    no_data: int
    share: float | None = Field(description="sharing / departments_counted, 0–1; null when nobody has data")
    meets_goal: bool | None
    summary: str = Field(description="the result in one Chinese sentence")
    departments: list[DepartmentVerdictOut]


class StatsQuery(Schema):
    months: int = Field(12, ge=1, le=selectors.MAX_MONTHS, description="months of by_class_month, ending this month")


def _verdict(outcome, rule) -> dict:
    return {"status": outcome.status.value, "label": outcome.label, "reason": outcome.reason_zh,
            "reason_en": outcome.reason_en, "rule_version": outcome.rule_version, "window_days": rule.window_days,
            "on_time_share_required": rule.on_time_share, "min_records": rule.min_records}


def _viewer(request):
    """The token (department systems) or the session user (staff) the request acts as."""
    return getattr(request, "api_token", None) or request.user


@router.get("/stats", response={200: CityStatsOut, 401: ErrorOut, 403: ErrorOut},
            summary="各部门实时共享情况 (city-wide real-time sharing)",
            operation_id="pubcredit_accounts_api_city_stats")  # the id published before the figures app
def city_stats(request):
    """Every department's real-time sharing verdict over the rule's window and the share of departments sharing in
    real time, against the city goal (≥ 90 %). Departments with no data are listed but not counted in the share.
    For credit-centre operators (a district operator gets its district's departments); department tokens → 403."""
    figures = selectors.city_sharing_figures(viewer=_viewer(request))
    outcome = figures.outcome
    return {
        "as_of": figures.as_of, "scope": figures.scope_name, "first_day": figures.first_day,
        "last_day": figures.last_day, "rule_version": figures.rule.rule_version, "goal_share": outcome.goal_share,
        "departments_total": outcome.departments, "departments_counted": outcome.counted,
        "sharing": outcome.sharing, "not_sharing": outcome.not_sharing, "no_data": outcome.no_data,
        "share": outcome.share, "meets_goal": outcome.meets_goal, "summary": outcome.reason_zh,
        "departments": [{
            "code": row.department.code, "name": row.department.name,
            "district": row.department.district.name if row.department.district else None,
            "new_records": row.new_records, "on_time_share": row.on_time_share,
            "rejection_rate": row.rejection_rate, "last_submission_at": row.last_submission_at,
            "realtime_sharing": _verdict(row.verdict, figures.rule),
        } for row in figures.departments],
    }


@router.get("/{code}/stats", response={200: DepartmentStatsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            summary="部门报送统计 (a department's figures)",
            operation_id="pubcredit_accounts_api_department_stats")
def department_stats(request, code: str, query: Query[StatsQuery]):
    """A department's figures as of today: new records by class and month; over the sharing window (last 30 days):
    rejection rate, top refusal reasons, share received within the deadline, median delay in working days; the
    last submission time; and whether it shares in real time (实时共享) under the rule version named.
    A department token reads its own department only (403 otherwise); unknown code → 404 ``department.not_found``."""
    department = department_by_code(code)
    figures = selectors.department_figures(viewer=_viewer(request), department=department, months=query.months)
    window, overall = figures.window, figures.overall
    return {
        "code": department.code, "name": department.name,
        "district": department.district.name if department.district else None,
        "as_of": figures.as_of,
        "window": {"days": figures.rule.window_days, "first_day": figures.first_day, "last_day": figures.last_day,
                   "new_records": window.new_records, "on_time": window.on_time, "late": window.late,
                   "rejected_rows": window.rejected_rows, "refused_batches": figures.refused_batches},
        "months": figures.months,
        "by_class_month": [asdict(item) for item in figures.by_class_month],
        "rejection_rate": window.rejection_rate,
        "top_reasons": [asdict(reason) for reason in figures.top_reasons],
        "top_reasons_rows_examined": figures.reasons_rows_examined,
        "on_time_share": window.on_time_share,
        "median_delay_working_days": window.median_delay_working_days,
        "last_submission_at": figures.last_submission_at,
        "overall": {"records": overall.new_records, "on_time": overall.on_time,
                    "on_time_share": overall.on_time_share,
                    "median_delay_working_days": overall.median_delay_working_days,
                    "rejected_rows": overall.rejected_rows, "rejection_rate": overall.rejection_rate},
        "realtime_sharing": _verdict(figures.verdict, figures.rule),
    }
