"""Reading checks, replays, watches, measures and the joint reward and punishment figures, scoped per viewer."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department
from pubcredit.lists.models import ListChange, ListEntry
from pubcredit.lists.selectors import entries_in_force_at, late_push_counts
from pubcredit.rules import clock
from pubcredit.rules.sanctions import Measure
from pubcredit.sanctions.models import Check, CheckBatch, CheckFeedback, MeasureVersion, Watch, WatchCursor
from pubcredit.sanctions.rulebook import measure_book, measure_book_at, seed

FIGURE_MONTHS = 12


# --- who may do what -------------------------------------------------------------------------------------------------


def may_check(user) -> bool:
    """Business users (and data providers, reviewers) of a department check subjects; operators may too."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_city_operator(user) or bool(user.department_id) and user.role in (
        Role.BUSINESS_USER, Role.PROVIDER, Role.REVIEWER)


def may_edit_measures(user) -> bool:
    return is_city_operator(user)


def may_read_city_figures(user) -> bool:
    return is_city_operator(user) or getattr(user, "role", "") == Role.DISTRICT_OPERATOR


def check_scope(user) -> Q:
    if is_city_operator(user):
        return Q()
    if getattr(user, "role", "") == Role.DISTRICT_OPERATOR and user.district_id:
        return Q(department__district_id=user.district_id)
    if getattr(user, "department_id", None):
        return Q(department_id=user.department_id)
    return Q(pk__in=[])


# --- the facts of a check ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    pk: int
    list_code: str
    kind: str
    effective_date: dt.date
    planned_end: dt.date | None
    decision_no: str
    identifying_unit: str
    facts: dict = field(default_factory=dict, hash=False, compare=False)  # conditions' facts (ListEntry.facts)


@dataclass(frozen=True)
class SubjectRow:
    pk: int
    kind: str
    name: str


@dataclass(frozen=True)
class CheckFacts:
    """What a check needs from the database, read in one round trip: the subject (None when unknown), its entries
    in force on the day (same rule as ``lists.selectors.in_force_filter``), the measure overlay revision, and whether
    the caller's API token is still unrevoked (True when no token was asked about)."""

    subject: SubjectRow | None
    entries: list[EntryRow]
    measure_revision: int
    token_active: bool = True


@functools.cache
def _check_facts_sql(column: str) -> tuple[str, int]:
    """The query, and how many of its placeholders take the day (the list rule's, from lists.selectors)."""
    from pubcredit.accounts.models import ApiToken
    from pubcredit.lists.models import ListEntry
    from pubcredit.lists.selectors import in_force_sql
    from pubcredit.sanctions.models import MeasureVersion
    from pubcredit.subjects.models import Subject

    in_force, days = in_force_sql("e")
    return (
        "SELECT rev.n, tok.active, s.id, s.kind, s.name, e.id, e.list_code, e.kind, e.effective_date, e.planned_end, "
        "e.decision_no, e.identifying_unit, e.facts "
        f"FROM (SELECT COALESCE(MAX(id), 0) AS n FROM {MeasureVersion._meta.db_table}) rev "
        f"CROSS JOIN (SELECT EXISTS (SELECT 1 FROM {ApiToken._meta.db_table} WHERE id = %s AND revoked_at IS NULL) "
        "AS active) tok "
        f"LEFT JOIN {Subject._meta.db_table} s ON s.{column} = %s "
        f"LEFT JOIN {ListEntry._meta.db_table} e ON e.subject_id = s.id AND {in_force} "
        "ORDER BY e.list_code, e.effective_date, e.id"
    ), days


def check_facts(*, uscc: str | None = None, id_hash: str | None = None, day: dt.date,
                token_id: int | None = None) -> CheckFacts:
    """The subject by USCC or identity-number hash (both unique, indexed), its entries in force on ``day``, the
    measure revision and, given ``token_id``, whether that API token is unrevoked: one query (the check API's hot
    path)."""
    from django.db import connection

    column = "uscc" if uscc else "id_hash"
    with connection.cursor() as cursor:
        sql, days = _check_facts_sql(column)
        cursor.execute(sql, [token_id, uscc or id_hash, *[day] * days])
        rows = cursor.fetchall()
    revision, token_active = rows[0][0], bool(rows[0][1]) or token_id is None
    subject = SubjectRow(rows[0][2], rows[0][3], rows[0][4]) if rows[0][2] is not None else None
    entries = [EntryRow(r[5], r[6], r[7], _day(r[8]), _day(r[9]), r[10], r[11], _json(r[12]))
               for r in rows if r[5] is not None]
    return CheckFacts(subject, entries, revision, token_active)


def _json(value) -> dict:
    """A JSON column read by a raw cursor: text on SQLite, already decoded by psycopg."""
    if value is None or value == "":
        return {}
    return json.loads(value) if isinstance(value, (str, bytes)) else dict(value)


def _day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite returns text


# --- checks ----------------------------------------------------------------------------------------------------------


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


def check_for_department(*, department: Department, check_id: Any) -> Check | None:
    """A check made by ``department`` (API: a department reads only its own checks)."""
    pk = _uuid(check_id)
    return None if pk is None else Check.objects.filter(check_id=pk, department=department).first()


def check_get(*, viewer, check_id: Any) -> Check | None:
    pk = _uuid(check_id)
    if pk is None:
        return None
    return Check.objects.filter(check_scope(viewer)).select_related("department", "batch").filter(check_id=pk).first()


def check_list(*, viewer, awaiting: bool = False, scenario: str = "") -> QuerySet[Check]:
    qs = Check.objects.filter(check_scope(viewer)).select_related("department")
    if awaiting:
        qs = qs.filter(feedback_required=True, feedback_complete=False)
    if scenario:
        qs = qs.filter(scenario=scenario)
    return qs.order_by("-id")


def checks_for_department(*, department: Department) -> QuerySet[Check]:
    return Check.objects.filter(department=department).order_by("-id")


def awaiting_feedback(*, department: Department) -> QuerySet[Check]:
    """The department's checks with measures not yet reported on (待反馈)."""
    return Check.objects.filter(department=department, feedback_required=True, feedback_complete=False).order_by("-id")


def feedback_latest(check: Check) -> dict[str, CheckFeedback]:
    """The latest feedback per measure code."""
    out: dict[str, CheckFeedback] = {}
    for item in check.feedback.order_by("id"):
        out[item.measure_code] = item
    return out


def check_answer(check: Check) -> dict[str, Any]:
    """The check as answered (the API's response body)."""
    return {
        "check_id": str(check.check_id),
        "subject": {"found": check.subject_id is not None, "kind": check.subject_kind or None,
                    "name": check.subject_name or None, "code": check.subject_code},
        "scenario": check.scenario, "reference": check.reference, "as_of": check.as_of,
        "rulebook_version": check.rulebook_version, "hits": check.hits,
    }


@dataclass
class Replay:
    """Why a check answered what it did: the entries in force at that moment (as they stand now, with any later
    removal), the measure list then, and the feedback since."""

    answer: dict[str, Any]
    entries: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    feedback: list[dict[str, Any]]
    consistent: bool  # re-deriving the entries in force at that moment gives the entries answered


def check_replay(check: Check) -> Replay:
    moment = check.as_of
    entries = entries_in_force_at(subject_id=check.subject_id, moment=moment) if check.subject_id else []
    answered = {h["entry_id"] for h in check.hits}
    entry_rows = [{
        "entry_id": e.pk, "list_code": e.list_code, "decision_no": e.decision_no, "identifying_unit": e.identifying_unit,
        "since": e.effective_date, "until": e.planned_end, "status_now": e.status,
        "removal_reason": e.removal_reason or None, "removed_on": e.removed_on, "removed_at": e.removed_at,
        "rule_version": e.rule_version, "answered": e.pk in answered,
    } for e in entries]
    codes = {m["code"] for h in check.hits for m in h["measures"]}
    book = measure_book_at(moment)
    day = check.as_of_date
    measures = []
    for code in sorted(codes):
        measure = book.current(code, day)
        if measure is not None:
            measures.append({**measure.as_data(), "mandatory": measure.mandatory,
                             "source": "operator" if code in book.overridden else "seed"})
    feedback = [{"measure_code": f.measure_code, "applied": f.applied, "note": f.note, "by": f.actor_label,
                 "at": f.created_at} for f in check.feedback.order_by("id")]
    return Replay(check_answer(check), entry_rows, measures, feedback, {e.pk for e in entries} == answered)


def batch_for_department(*, department: Department, batch_id: int) -> CheckBatch | None:
    return CheckBatch.objects.filter(pk=batch_id, department=department).first()


def batch_get(*, viewer, batch_id: int) -> CheckBatch | None:
    scope = Q() if is_city_operator(viewer) else Q(department_id=getattr(viewer, "department_id", None) or -1)
    return CheckBatch.objects.filter(scope).filter(pk=batch_id).select_related("department").first()


def batch_rows(batch: CheckBatch) -> list[dict[str, Any]]:
    """The batch result, one row per input row in order: checked rows with their hits, refused rows with the reason."""
    rows: dict[int, dict[str, Any]] = {}
    for check in batch.checks.order_by("batch_row"):
        rows[check.batch_row] = {"row": check.batch_row, "reference": check.reference, "check_id": str(check.check_id),
                                 "subject": {"found": check.subject_id is not None, "name": check.subject_name or None,
                                             "code": check.subject_code, "kind": check.subject_kind or None},
                                 "hits": check.hits, "error": None}
    for error in batch.errors:
        rows[error["row"]] = {"row": error["row"], "reference": error.get("reference", ""), "check_id": None,
                              "subject": None, "hits": [], "error": {k: error.get(k) for k in ("code", "field", "message")}}
    return [rows[k] for k in sorted(rows)]


# --- watches ---------------------------------------------------------------------------------------------------------


def watch_list(*, department: Department) -> QuerySet[Watch]:
    return Watch.objects.filter(department=department, active=True).order_by("-id")


def _watched_keys(department: Department) -> QuerySet:
    return Watch.objects.filter(department=department, active=True).values("subject_key")


def watch_changes(*, department: Department, since: int = 0, limit: int = 500) -> list[ListChange]:
    """List changes of the department's watched subjects after cursor ``since`` (the change feed for watches)."""
    return list(ListChange.objects.filter(subject_key__in=Subquery(_watched_keys(department)), id__gt=since)
                .select_related("subject").order_by("id")[:max(1, min(limit, 1000))])


def watch_feed_head() -> int:
    return ListChange.objects.aggregate(n=Max("id"))["n"] or 0


def watch_inbox(*, department: Department, limit: int = 200) -> tuple[list[ListChange], int]:
    """The department's notifications (newest first) and its read cursor."""
    cursor = WatchCursor.objects.filter(department=department).values_list("read_cursor", flat=True).first() or 0
    items = list(ListChange.objects.filter(subject_key__in=Subquery(_watched_keys(department)))
                 .select_related("subject").order_by("-id")[:limit])
    return items, cursor


def watch_unread(*, department: Department) -> int:
    cursor = WatchCursor.objects.filter(department=department).values_list("read_cursor", flat=True).first() or 0
    return ListChange.objects.filter(subject_key__in=Subquery(_watched_keys(department)), id__gt=cursor).count()


# --- measures --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    source: str  # seed | operator
    in_force: bool


def measure_rows(*, list_code: str = "", scenario: str = "", kind: str = "") -> list[MeasureRow]:
    """The measure list as it stands (every version, seed or operator), filtered."""
    book = measure_book()
    today = clock.today()
    rows = []
    for m in book.measures:
        if list_code and list_code not in m.lists or scenario and scenario not in m.scenarios or kind and m.kind != kind:
            continue
        rows.append(MeasureRow(m, "operator" if m.code in book.overridden else "seed", m.in_force(today)))
    return rows


def measure_current(code: str) -> Measure | None:
    return measure_book().current(code, clock.today())


def measure_history(code: str) -> QuerySet[MeasureVersion]:
    return MeasureVersion.objects.filter(code=code).order_by("-number")


def scenario_names() -> dict[str, str]:
    return {code: s.name_zh for code, s in seed().scenarios.items()}


# --- figures ---------------------------------------------------------------------------------------------------------


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


def may_read_department_figures(user, department: Department) -> bool:
    if is_city_operator(user):
        return True
    if getattr(user, "role", "") == Role.DISTRICT_OPERATOR:
        return department.district_id == user.district_id
    return getattr(user, "department_id", None) == department.pk


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


def usual_scenario(*, viewer) -> str:
    """The scenario of the viewer's latest check (a bidding clerk checks for bidding), so the form offers it first."""
    if not getattr(viewer, "is_authenticated", False):
        return ""
    return (Check.objects.filter(check_scope(viewer), actor_label=f"user:{viewer.username}")
            .order_by("-id").values_list("scenario", flat=True).first() or "")
