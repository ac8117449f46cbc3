"""Department figures (部门报送统计) and the city's real-time sharing comparison (实时共享), for consoles,
department systems and governance.

Every figure is a database aggregate over the department's records, batches and refused rows, so the cost is a
handful of queries whatever the number of records; the only Python loops are over a bounded sample of refused
rows (for the top reasons) and over the distinct delay values (for the median). docs/figures.md explains each
figure; ``rules/sharing.py`` holds the verdict, ``accounts.selectors.sharing_rule`` the rule in force and
``accounts.access`` who may read what.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth

from pubcredit.accounts.access import city_figures_scope, may_read_department_figures
from pubcredit.accounts.models import Department
from pubcredit.accounts.selectors import sharing_rule
from pubcredit.catalog.registry import get_class
from pubcredit.ingest.choices import BatchStatus
from pubcredit.ingest.models import Batch, RejectedRow
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock, sharing
from pubcredit.rules.errors import DomainError

__all__ = ["ClassMonth", "Reason", "Period", "DepartmentFigures", "DepartmentVerdict", "CityFigures",
           "department_figures", "city_sharing_figures", "MAX_MONTHS"]

TOP_REASONS = 5
REASON_ROWS_LIMIT = 5000  # refused rows read for the top reasons: the most recent ones in the window
MAX_MONTHS = 60


def _city_scope(viewer) -> tuple[Q, str]:
    """Departments the viewer may compare (filter on Department) and the scope's name; others → PermissionDenied."""
    scope = city_figures_scope(viewer)
    if scope is None:
        raise PermissionDenied("city figures are for operators")
    return scope


# -- helpers -------------------------------------------------------------------------------------------------

def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), clock.PLATFORM_TZ)


def _months(today: dt.date, count: int) -> list[dt.date]:
    """First days of the ``count`` months ending with today's month, oldest first."""
    year, month, out = today.year, today.month, []
    for _ in range(count):
        out.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """Median of values given as (value, count) sorted by value; the mean of the two middle ones for an even count."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    wanted = ((total - 1) // 2, total // 2)  # 0-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value, n in histogram:
        if not n:
            continue
        for position in wanted:
            if seen <= position < seen + n:
                found.append(value)
        seen += n
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def _class_name(code: str) -> str:
    try:
        return get_class(code).name_zh
    except DomainError:
        return code


def _field_label(class_code: str, key: str | None) -> str | None:
    """The field's Chinese label in its class (``subject_uscc`` → 统一社会信用代码)."""
    if not key:
        return None
    try:
        info_class = get_class(class_code)
    except DomainError:
        return None
    return next((spec.label_zh for spec in info_class.fields if spec.key == key), None)


# -- one department ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClassMonth:
    class_code: str
    class_name: str
    month: str  # YYYY-MM, month of first receipt in Asia/Shanghai
    count: int


@dataclass(frozen=True)
class Reason:
    """One refusal reason: its code and field, how many refused rows carry it, and one example message."""

    code: str
    field: str | None
    field_label: str | None  # the field's Chinese label in the catalogue
    count: int
    example: str


class _SubmissionShares:
    """Shares derived from the counts ``new_records``, ``on_time`` and ``rejected_rows``."""

    @property
    def on_time_share(self) -> float | None:
        return _ratio(self.on_time, self.new_records)

    @property
    def rejection_rate(self) -> float | None:
        return _ratio(self.rejected_rows, self.new_records + self.rejected_rows)


@dataclass(frozen=True)
class Period(_SubmissionShares):
    """Counts over one period (the rule's window, or everything up to today)."""

    new_records: int
    on_time: int
    rejected_rows: int
    median_delay_working_days: float | None

    @property
    def late(self) -> int:
        return self.new_records - self.on_time


@dataclass(frozen=True)
class DepartmentFigures:
    department: Department
    as_of: dt.date
    rule: sharing.SharingRule
    first_day: dt.date  # the rule's window, both days included
    last_day: dt.date
    window: Period
    overall: Period
    refused_batches: int  # whole files refused in the window (unreadable, required columns missing)
    months: list[str]
    by_class_month: list[ClassMonth]
    top_reasons: list[Reason]
    reasons_rows_examined: int
    reasons_truncated: bool
    last_submission_at: dt.datetime | None
    verdict: sharing.SharingOutcome

    def chart(self) -> dict:
        """ECharts data: the months and one series per class (counts per month, zeros filled)."""
        names: dict[str, str] = {}
        counts: dict[tuple[str, str], int] = {}
        for item in self.by_class_month:
            names[item.class_code] = item.class_name
            counts[(item.class_code, item.month)] = item.count
        series = [{"code": code, "name": names[code], "data": [counts.get((code, m), 0) for m in self.months]}
                  for code in sorted(names)]
        return {"months": self.months, "series": series}

    def month_rows(self) -> list[tuple[str, list[int], int]]:
        """The chart as a table: (month, count per class in ``chart()`` series order, total), newest first."""
        series = self.chart()["series"]
        rows = []
        for i, month in enumerate(self.months):
            values = [s["data"][i] for s in series]
            rows.append((month, values, sum(values)))
        return rows[::-1]


def department_figures(*, viewer, department: Department, months: int = 12) -> DepartmentFigures:
    """A department's figures as of today: records by class and month (last ``months`` months), and over the
    sharing rule's window: rejection rate, top reasons, on-time share, median delay, and the real-time verdict.

    ``viewer`` is a staff user or a department's API token; anyone not allowed → ``PermissionDenied``.
    """
    if not may_read_department_figures(viewer, department):
        raise PermissionDenied("not allowed to read this department's figures")
    months = max(1, min(int(months), MAX_MONTHS))
    today = clock.today()
    rule = sharing_rule(today)
    first_day, last_day = sharing.window(today, rule)
    start, end = _start_of(first_day), _start_of(last_day + dt.timedelta(days=1))
    in_window = Q(received_at__gte=start)

    records = CreditRecord.objects.filter(department=department, received_at__lt=end)
    totals = records.aggregate(
        n_all=Count("id"), n_on_time=Count("id", filter=Q(on_time=True)),
        n_window=Count("id", filter=in_window), n_window_on_time=Count("id", filter=in_window & Q(on_time=True)),
        last=Max("received_at"),
    )
    # median delay: the database groups by delay (a few dozen distinct values), Python walks the groups
    histogram = list(records.values("delay_working_days")
                     .annotate(n=Count("id"), w=Count("id", filter=in_window))
                     .order_by("delay_working_days")
                     .values_list("delay_working_days", "n", "w"))

    month_days = _months(today, months)
    by_month = (records.filter(received_at__gte=_start_of(month_days[0]))
                .annotate(month=TruncMonth("received_at", tzinfo=clock.PLATFORM_TZ))
                .values("class_code", "month").annotate(n=Count("id")).order_by("month", "class_code"))
    by_class_month = [ClassMonth(row["class_code"], _class_name(row["class_code"]),
                                 row["month"].astimezone(clock.PLATFORM_TZ).strftime("%Y-%m"), row["n"])
                      for row in by_month]

    refused = RejectedRow.objects.filter(department=department, batch__received_at__lt=end)
    refused_counts = refused.aggregate(total=Count("id"), w=Count("id", filter=Q(batch__received_at__gte=start)))
    batches = Batch.objects.filter(department=department, received_at__lt=end).aggregate(
        last=Max("received_at"), refused=Count("id", filter=in_window & Q(status=BatchStatus.REFUSED)))

    reasons, examined = _top_reasons(refused.filter(batch__received_at__gte=start))

    window = Period(totals["n_window"], totals["n_window_on_time"], refused_counts["w"],
                    _median([(d, w) for d, _, w in histogram]))
    overall = Period(totals["n_all"], totals["n_on_time"], refused_counts["total"],
                     _median([(d, n) for d, n, _ in histogram]))
    verdict = sharing.realtime_sharing(new_records=window.new_records, on_time=window.on_time,
                                       rejected_rows=window.rejected_rows, rule=rule)
    last = max((t for t in (totals["last"], batches["last"]) if t is not None), default=None)
    return DepartmentFigures(
        department=department, as_of=today, rule=rule, first_day=first_day, last_day=last_day,
        window=window, overall=overall, refused_batches=batches["refused"],
        months=[d.strftime("%Y-%m") for d in month_days], by_class_month=by_class_month,
        top_reasons=reasons, reasons_rows_examined=examined,
        reasons_truncated=examined >= REASON_ROWS_LIMIT and refused_counts["w"] > examined,
        last_submission_at=last.astimezone(clock.PLATFORM_TZ) if last else None, verdict=verdict,
    )


def _top_reasons(rows) -> tuple[list[Reason], int]:
    """The most frequent (code, field) among the errors of the window's most recent refused rows.

    A reason counts once per row. At most ``REASON_ROWS_LIMIT`` rows are read, newest first.
    """
    counts: Counter[tuple[str, str | None]] = Counter()
    examples: dict[tuple[str, str | None], tuple[str, str]] = {}  # (message, class code) of the newest row
    examined = 0
    for class_code, errors in rows.order_by("-id").values_list("class_code", "errors")[:REASON_ROWS_LIMIT]:
        examined += 1
        seen = set()
        for error in errors if isinstance(errors, list) else []:
            if not isinstance(error, dict) or not error.get("code"):
                continue
            key = (str(error["code"]), error.get("field") or None)
            if key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            examples.setdefault(key, (str(error.get("message") or error.get("message_zh") or ""), class_code))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))[:TOP_REASONS]
    return [Reason(code, field_, _field_label(examples[(code, field_)][1], field_), n, examples[(code, field_)][0])
            for (code, field_), n in ranked], examined


# -- every department ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DepartmentVerdict(_SubmissionShares):
    department: Department
    new_records: int
    on_time: int
    rejected_rows: int
    last_submission_at: dt.datetime | None
    verdict: sharing.SharingOutcome


@dataclass(frozen=True)
class CityFigures:
    as_of: dt.date
    rule: sharing.SharingRule
    scope_name: str  # 全市, or the district operator's district
    first_day: dt.date
    last_day: dt.date
    departments: list[DepartmentVerdict] = field(default_factory=list)
    outcome: sharing.CityOutcome | None = None


def city_sharing_figures(*, viewer) -> CityFigures:
    """Every department's real-time sharing verdict and the share of departments sharing, against the goal.

    City operators see the whole city; a district operator sees the departments of their district (and the share
    among them); anyone else → ``PermissionDenied``. Five queries whatever the number of departments and records.
    """
    scope, scope_name = _city_scope(viewer)
    today = clock.today()
    rule = sharing_rule(today)
    first_day, last_day = sharing.window(today, rule)
    start, end = _start_of(first_day), _start_of(last_day + dt.timedelta(days=1))
    departments = list(Department.objects.filter(scope).select_related("district").order_by("code"))
    in_scope = Department.objects.filter(scope).values("pk")

    new = {row["department_id"]: row for row in
           CreditRecord.objects.filter(department__in=in_scope, received_at__gte=start, received_at__lt=end)
           .values("department_id").annotate(n=Count("id"), n_on_time=Count("id", filter=Q(on_time=True)))
           .order_by()}
    refused = dict(RejectedRow.objects.filter(department__in=in_scope, batch__received_at__gte=start,
                                              batch__received_at__lt=end)
                   .values("department_id").annotate(n=Count("id")).order_by().values_list("department_id", "n"))
    last_record = dict(CreditRecord.objects.filter(department__in=in_scope, received_at__lt=end)
                       .values("department_id").annotate(last=Max("received_at")).order_by()
                       .values_list("department_id", "last"))
    last_batch = dict(Batch.objects.filter(department__in=in_scope, received_at__lt=end)
                      .values("department_id").annotate(last=Max("received_at")).order_by()
                      .values_list("department_id", "last"))

    rows = []
    for department in departments:
        counts = new.get(department.pk, {"n": 0, "n_on_time": 0})
        rejected = refused.get(department.pk, 0)
        verdict = sharing.realtime_sharing(new_records=counts["n"], on_time=counts["n_on_time"],
                                           rejected_rows=rejected, rule=rule)
        last = max((t for t in (last_record.get(department.pk), last_batch.get(department.pk)) if t is not None),
                   default=None)
        rows.append(DepartmentVerdict(department, counts["n"], counts["n_on_time"], rejected,
                                      last.astimezone(clock.PLATFORM_TZ) if last else None, verdict))
    outcome = sharing.city_sharing([row.verdict.status for row in rows], rule=rule)
    return CityFigures(as_of=today, rule=rule, scope_name=scope_name, first_day=first_day, last_day=last_day,
                       departments=rows, outcome=outcome)
