"""Reads of credit commitments (信用承诺), scoped like every record (``accounts.access.record_scope``), with the
verification state computed by the working-day calendar (``rules.commitments.verification_overdue``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from pubcredit.accounts.access import city_figures_scope, may_read_department_figures, record_scope
from pubcredit.accounts.models import Department
from pubcredit.commitments.models import EligibilityAnswer
from pubcredit.commitments.rulebook import BREACH_CLASS, COMMITMENT_CLASS, commitment_book
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.commitments import STATUS_LABELS, TYPE_LABELS, verification_due, verification_overdue
from pubcredit.workdays.selectors import work_calendar


def may_view(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role))


def may_accept(user) -> bool:
    """A clerk of an accepting department (受理部门) records commitments, verifications and breaches."""
    return bool(getattr(user, "is_authenticated", False) and user.department_id
                and user.role in ("provider", "business_user", "reviewer"))


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class CommitmentRow:
    record: CreditRecord
    type_zh: str
    matter_zh: str
    status: str
    status_zh: str
    verification_date: dt.date | None
    verification_due: dt.date | None
    verified_on: dt.date | None
    overdue: bool

    @property
    def fields(self) -> dict:
        return self.record.fields


def commitment_row(record: CreditRecord, *, today: dt.date | None = None) -> CommitmentRow:
    book, calendar = commitment_book(), work_calendar()
    today = today or clock.today()
    values = record.fields
    planned, verified = _day(values.get("verification_date")), _day(values.get("verified_on"))
    status = values.get("status", "")
    matter = book.matters.get(values.get("matter", ""))
    in_force = status == "in_force"
    return CommitmentRow(
        record, TYPE_LABELS.get(values.get("commitment_type", ""), "—"), matter.name_zh if matter else "—", status,
        STATUS_LABELS.get(status, "—"), planned,
        verification_due(planned, calendar, book.verification_grace_working_days) if planned else None, verified,
        in_force and verification_overdue(planned, verified, today=today, calendar=calendar,
                                          grace_working_days=book.verification_grace_working_days))


def commitments(*, viewer, status: str = "", matter: str = "") -> QuerySet[CreditRecord]:
    qs = (CreditRecord.objects.filter(record_scope(viewer), class_code=COMMITMENT_CLASS)
          .select_related("subject", "department").order_by("-decision_date", "-pk"))
    if status in STATUS_LABELS:
        qs = qs.filter(fields__status=status)
    if matter in commitment_book().matters:
        qs = qs.filter(fields__matter=matter)
    return qs


def commitment_get(*, viewer, pk: int) -> CreditRecord | None:
    return commitments(viewer=viewer).filter(pk=pk).first()


def breach_record_for(record: CreditRecord) -> CreditRecord | None:
    return (CreditRecord.objects.filter(class_code=BREACH_CLASS, subject_id=record.subject_id,
                                        fields__commitment_no=record.decision_no, status=RecordStatus.ACTIVE)
            .first())


@dataclass(frozen=True)
class Figures:
    by_status: dict[str, int]
    by_type: dict[str, int]
    verifications_due: int
    verifications_done: int
    verifications_overdue: int


def figures(*, viewer) -> Figures:
    """Counts for the list page: commitments by status and type, and verifications due, done and overdue."""
    by_status = {label: 0 for label in STATUS_LABELS.values()}
    by_type = {label: 0 for label in TYPE_LABELS.values()}
    due = done = overdue = 0
    today = clock.today()
    for record in commitments(viewer=viewer).select_related(None).only("fields", "decision_date"):
        row = commitment_row(record, today=today)
        by_status[row.status_zh] = by_status.get(row.status_zh, 0) + 1
        by_type[row.type_zh] = by_type.get(row.type_zh, 0) + 1
        if row.verification_date:
            due += 1
            done += row.verified_on is not None
            overdue += row.overdue
    return Figures(by_status, by_type, due, done, overdue)


def eligibility_answers(*, viewer) -> QuerySet[EligibilityAnswer]:
    qs = EligibilityAnswer.objects.select_related("department").order_by("-as_of")
    if viewer.is_superuser or viewer.role == "operator":
        return qs
    return qs.filter(department_id=viewer.department_id) if viewer.department_id else qs.none()


# --- figures (承诺统计, issue 17 item 5) ---------------------------------------------------------------------------

FIGURE_MONTHS = 12
LICENCE_CLASS = "admin_license"  # 行政许可: the approvals a 审批替代型 commitment's 审批办件编号 names


@dataclass
class DepartmentCommitments:
    """One accepting department's (受理部门) counts in the window."""

    made: int = 0
    approval_commitments: int = 0
    licences: int = 0
    licences_by_commitment: int = 0
    verifications_due: int = 0
    verifications_done: int = 0
    verifications_overdue: int = 0
    breaches: int = 0

    @property
    def approval_share(self) -> float | None:
        """Of the licences (行政许可) decided in the window, the share made by 告知承诺 (0–1); None without licences."""
        return round(self.licences_by_commitment / self.licences, 4) if self.licences else None


@dataclass
class CommitmentFigures:
    """Commitments (信用承诺) of a scope over a window: made by type, matter, department and month; verifications due
    in the window, done (on time) and overdue; breaches found in the window; the share of approvals (行政许可)
    made by commitment. ``as_dict()`` is the plain form other apps (governance) read."""

    scope_name: str
    first_day: dt.date
    last_day: dt.date
    total: DepartmentCommitments
    departments: list[tuple[Department, DepartmentCommitments]]
    by_type: dict[str, int]
    by_matter: dict[str, int]
    by_status: dict[str, int]
    verifications_on_time: int
    serious_untrue: int
    approval_commitments_unmatched: int
    months: list[str]
    monthly: dict[str, list[int]] = field(default_factory=dict)

    def chart(self) -> dict[str, Any]:
        """ECharts data for the page's static script (``commitments/figures.js``)."""
        named = [(d.name, f) for d, f in self.departments if f.made or f.breaches or f.verifications_due]
        return {
            "by_type": [{"name": k, "value": v} for k, v in self.by_type.items()],
            "matters": list(self.by_matter), "by_matter": {"作出承诺": list(self.by_matter.values())},
            "departments": [n for n, _ in named],
            "by_department": {"作出承诺": [f.made for _, f in named], "应核查": [f.verifications_due for _, f in named],
                              "逾期未核查": [f.verifications_overdue for _, f in named],
                              "违诺": [f.breaches for _, f in named]},
            "months": self.months, "by_month": self.monthly,
        }

    def as_dict(self) -> dict[str, Any]:
        def counts(f: DepartmentCommitments) -> dict[str, Any]:
            return {"made": f.made, "approval_commitments": f.approval_commitments, "licences": f.licences,
                    "licences_by_commitment": f.licences_by_commitment, "approval_share": f.approval_share,
                    "verifications_due": f.verifications_due, "verifications_done": f.verifications_done,
                    "verifications_overdue": f.verifications_overdue, "breaches": f.breaches}
        return {"scope": self.scope_name, "first_day": self.first_day.isoformat(),
                "last_day": self.last_day.isoformat(), **counts(self.total),
                "verifications_on_time": self.verifications_on_time, "serious_untrue": self.serious_untrue,
                "approval_commitments_unmatched": self.approval_commitments_unmatched,
                "by_type": self.by_type, "by_matter": self.by_matter, "by_status": self.by_status,
                "departments": [{"code": d.code, "name": d.name, **counts(f)} for d, f in self.departments],
                "months": self.months, "by_month": self.monthly}


def _months(last_day: dt.date, count: int) -> list[str]:
    year, month, out = last_day.year, last_day.month, []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def commitment_figures(*, departments: Iterable[Department], scope_name: str, first_day: dt.date,
                       last_day: dt.date) -> CommitmentFigures:
    """The figures of the commitments accepted by ``departments`` (no permission check: for the pages below, which
    check it, and for other apps such as governance, which read them for their own audience).

    - made: commitments whose 承诺日期 is in ``[first_day, last_day]``, by type, matter, status (today's) and month;
    - verifications: commitments (whenever made) whose verification was due in the window (the due day of
      ``commitment_row``: the verification date moved to a working day, plus the grace); done by ``last_day``, of
      them on time, and overdue (still in force, not verified: 逾期未核查);
    - breaches: 违诺信息 (``commitment_breach`` records) found in the window, of them seriously untrue;
    - approvals: licences (``admin_license`` records) decided in the window, and those whose 许可决定书文号 is the
      审批办件编号 of a 审批替代型 commitment (made by commitment); 审批替代型 commitments whose approval matches no
      licence on the platform are counted apart (the licence not yet collected, or a case number instead)."""
    departments = list(departments)
    by_pk = {d.pk: DepartmentCommitments() for d in departments}
    total = DepartmentCommitments()
    book, calendar = commitment_book(), work_calendar()
    months = _months(last_day, max(1, (last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1))
    month_index = {m: i for i, m in enumerate(months)}
    monthly = {"作出承诺": [0] * len(months), "违诺": [0] * len(months), "完成核查": [0] * len(months)}
    by_type = {label: 0 for label in TYPE_LABELS.values()}
    by_matter = {m.name_zh: 0 for m in book.matters.values()}
    by_status = {label: 0 for label in STATUS_LABELS.values()}
    on_time = serious = 0
    approvals: dict[str, int] = {}  # 审批办件编号 of 审批替代型 commitments → their department

    def bump(department_id: int, name: str, n: int = 1) -> None:
        setattr(total, name, getattr(total, name) + n)
        setattr(by_pk[department_id], name, getattr(by_pk[department_id], name) + n)

    commitments_qs = (CreditRecord.objects.filter(class_code=COMMITMENT_CLASS, status=RecordStatus.ACTIVE,
                                                  department_id__in=list(by_pk))
                      .only("department_id", "decision_date", "fields").order_by("pk"))
    for record in commitments_qs.iterator():
        values = record.fields
        kind, status = values.get("commitment_type", ""), values.get("status", "")
        if first_day <= record.decision_date <= last_day:
            bump(record.department_id, "made")
            by_type[TYPE_LABELS.get(kind, "—")] = by_type.get(TYPE_LABELS.get(kind, "—"), 0) + 1
            matter = book.matters.get(values.get("matter", ""))
            by_matter[matter.name_zh if matter else "—"] = by_matter.get(matter.name_zh if matter else "—", 0) + 1
            by_status[STATUS_LABELS.get(status, "—")] = by_status.get(STATUS_LABELS.get(status, "—"), 0) + 1
            monthly["作出承诺"][month_index[record.decision_date.strftime("%Y-%m")]] += 1
            if kind == "approval_substitute":
                bump(record.department_id, "approval_commitments")
                if values.get("approval_no"):
                    approvals[values["approval_no"]] = record.department_id
        planned, verified = _day(values.get("verification_date")), _day(values.get("verified_on"))
        if planned is None:
            continue
        due = verification_due(planned, calendar, book.verification_grace_working_days)
        if not first_day <= due <= last_day:
            continue
        bump(record.department_id, "verifications_due")
        if verified is not None and verified <= last_day:
            bump(record.department_id, "verifications_done")
            on_time += verified <= due
            if verified >= first_day:
                monthly["完成核查"][month_index[verified.strftime("%Y-%m")]] += 1
        elif status == "in_force" and due < last_day:
            bump(record.department_id, "verifications_overdue")

    breaches = (CreditRecord.objects.filter(class_code=BREACH_CLASS, status=RecordStatus.ACTIVE,
                                            department_id__in=list(by_pk), decision_date__gte=first_day,
                                            decision_date__lte=last_day)
                .values_list("department_id", "decision_date", "fields__serious_untrue"))
    for department_id, day, untrue in breaches:
        bump(department_id, "breaches")
        serious += untrue == "yes"
        monthly["违诺"][month_index[day.strftime("%Y-%m")]] += 1

    matched: set[str] = set()
    licences = (CreditRecord.objects.filter(class_code=LICENCE_CLASS, status=RecordStatus.ACTIVE,
                                            department_id__in=list(by_pk), decision_date__gte=first_day,
                                            decision_date__lte=last_day)
                .values_list("department_id", "decision_no"))
    for department_id, decision_no in licences:
        bump(department_id, "licences")
        if decision_no in approvals:
            bump(department_id, "licences_by_commitment")
            matched.add(decision_no)
    return CommitmentFigures(
        scope_name, first_day, last_day, total, [(d, by_pk[d.pk]) for d in departments],
        {k: v for k, v in by_type.items() if v or k in TYPE_LABELS.values()},
        {k: v for k, v in by_matter.items() if v}, {k: v for k, v in by_status.items() if v},
        on_time, serious, len(set(approvals) - matched), months, monthly)


def _window(months: int) -> tuple[dt.date, dt.date]:
    last_day = clock.today()
    return dt.date.fromisoformat(_months(last_day, months)[0] + "-01"), last_day


def city_figures(*, viewer, months: int = FIGURE_MONTHS) -> CommitmentFigures:
    """The city's (operators) or the viewer's district's (district operators) commitments over the last ``months``
    months, by accepting department."""
    scope = city_figures_scope(viewer)
    if scope is None:
        raise PermissionDenied("仅市社会信用中心和区县信用办可查看全市（全区）信用承诺统计")
    where, scope_name = scope
    departments = Department.objects.select_related("district").filter(where).order_by("code")
    first_day, last_day = _window(months)
    return commitment_figures(departments=departments, scope_name=scope_name, first_day=first_day,
                              last_day=last_day)


def department_figures(*, viewer, department: Department, months: int = FIGURE_MONTHS) -> CommitmentFigures:
    """One accepting department's commitments (the same shape as the city's, with one department)."""
    if not may_read_department_figures(viewer, department):
        raise PermissionDenied("只能查看本部门（或本区县部门）的信用承诺统计")
    first_day, last_day = _window(months)
    return commitment_figures(departments=[department], scope_name=department.name, first_day=first_day,
                              last_day=last_day)
