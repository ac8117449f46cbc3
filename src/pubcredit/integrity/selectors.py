"""Reads of government integrity (政务诚信): the arrears ledger scoped to the viewer, one complaint's row with its
deadline and flags, and the ledger's figures by debtor, handling department and district (清欠统计)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role
from pubcredit.integrity import permissions
from pubcredit.integrity.choices import IntegrityRole
from pubcredit.integrity.models import ArrearsComplaint, StateEnterprise
from pubcredit.integrity.rulebook import arrears_book
from pubcredit.rules import clock
from pubcredit.rules.integrity import (
    DEBTOR_KIND_LABELS, OPEN_STATUSES, STATUS_LABELS, ArrearsFacts, Flag, arrears_flags, next_due, share)
from pubcredit.workdays.selectors import work_calendar

_NOTHING = Q(pk__in=[])


def ledger_scope(viewer) -> Q:
    """Filter on ArrearsComplaint for what ``viewer`` reads: the city (operators, leaders), the debtors of their
    district (district operators), or the complaints their department handles."""
    if not permissions.may_view_ledger(viewer):
        return _NOTHING
    if is_city_operator(viewer) or permissions.has_grant(viewer, IntegrityRole.LEADER):
        return Q()
    if viewer.role == Role.DISTRICT_OPERATOR:
        return Q(debtor__district_id=viewer.district_id) if viewer.district_id else _NOTHING
    return Q(handling_department_id=viewer.department_id)


def complaints(*, viewer, status: str = "", debtor_id: int | None = None) -> QuerySet[ArrearsComplaint]:
    qs = ArrearsComplaint.objects.filter(ledger_scope(viewer)).select_related(
        "debtor", "debtor__district", "handling_department")
    if status in STATUS_LABELS:
        qs = qs.filter(status=status)
    if debtor_id is not None:
        qs = qs.filter(debtor_id=debtor_id)
    return qs


def complaint_get(*, viewer, pk: int) -> ArrearsComplaint | None:
    return complaints(viewer=viewer).filter(pk=pk).first()


def _facts(c: ArrearsComplaint) -> ArrearsFacts:
    return ArrearsFacts(status=c.status, filed_on=c.filed_on, assigned_on=c.assigned_on, verified_on=c.verified_on,
                        plan_last_day=c.plan_last_day, outstanding=c.outstanding or Decimal(0))


@dataclass(frozen=True)
class ComplaintRow:
    complaint: ArrearsComplaint
    status_zh: str
    debtor_kind_zh: str
    due: dt.date | None
    flags: list[Flag]
    outstanding: Decimal | None

    @property
    def past_plan(self) -> bool:
        return any(f.code == "past_plan" for f in self.flags)


def complaint_row(c: ArrearsComplaint, *, today: dt.date | None = None) -> ComplaintRow:
    book, calendar = arrears_book(), work_calendar()
    today = today or clock.today()
    facts = _facts(c)
    return ComplaintRow(c, STATUS_LABELS.get(c.status, c.status), DEBTOR_KIND_LABELS.get(c.debtor_kind, c.debtor_kind),
                        next_due(facts, book=book, calendar=calendar),
                        arrears_flags(facts, today=today, book=book, calendar=calendar), c.outstanding)


@dataclass
class Tally:
    """One line of the figures: complaints, verified amount, paid, outstanding, share cleared."""

    key: str
    label: str
    complaints: int = 0
    open: int = 0
    cleared: int = 0
    past_plan: int = 0
    owed: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")
    flagged: bool = False

    @property
    def outstanding(self) -> Decimal:
        return self.owed - self.paid

    @property
    def cleared_share(self) -> Decimal | None:
        """清偿率: paid as a share of the verified amount owed."""
        return share(self.paid, self.owed)

    def add(self, row: ComplaintRow) -> None:
        c = row.complaint
        self.complaints += 1
        self.open += c.status in OPEN_STATUSES
        self.cleared += c.status == "cleared"
        self.past_plan += row.past_plan
        self.flagged = self.flagged or row.past_plan
        if c.amount_owed is not None:
            self.owed += c.amount_owed
            self.paid += c.amount_paid


@dataclass
class LedgerFigures:
    total: Tally
    by_debtor: list[Tally] = field(default_factory=list)
    by_department: list[Tally] = field(default_factory=list)
    by_district: list[Tally] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    flagged: list[ComplaintRow] = field(default_factory=list)


def figures(*, viewer) -> LedgerFigures:
    """清欠统计 over what ``viewer`` reads: by debtor, handling department and district, with the share cleared and
    the debtors past their plan (逾期未清偿) first."""
    today = clock.today()
    total = Tally("all", "合计")
    groups: dict[str, dict[str, Tally]] = {"debtor": {}, "department": {}, "district": {}}
    by_status: dict[str, int] = defaultdict(int)
    flagged: list[ComplaintRow] = []
    for c in complaints(viewer=viewer).order_by("id"):
        row = complaint_row(c, today=today)
        total.add(row)
        by_status[c.status] += 1
        if row.past_plan:
            flagged.append(row)
        keys = {"debtor": (str(c.debtor_id), c.debtor.name),
                "department": (str(c.handling_department_id or ""),
                               c.handling_department.name if c.handling_department else "尚未转交"),
                "district": (str(c.debtor.district_id or ""), c.debtor.district.name if c.debtor.district else "市外或未识别")}
        for group, (key, label) in keys.items():
            groups[group].setdefault(key, Tally(key, label)).add(row)

    def ordered(tallies: dict[str, Tally]) -> list[Tally]:
        return sorted(tallies.values(), key=lambda t: (not t.flagged, -t.outstanding, t.label))

    return LedgerFigures(total, ordered(groups["debtor"]), ordered(groups["department"]), ordered(groups["district"]),
                         {s: by_status.get(s, 0) for s in STATUS_LABELS}, flagged)


def state_enterprises() -> QuerySet[StateEnterprise]:
    return StateEnterprise.objects.order_by("name")


def is_state_enterprise(uscc: str) -> bool:
    return StateEnterprise.objects.filter(uscc=uscc).exists()


def department_complaints(*, department, status: str = "") -> QuerySet[ArrearsComplaint]:
    """The complaints transferred to ``department`` (its API token's view)."""
    qs = ArrearsComplaint.objects.filter(handling_department=department).select_related("debtor", "handling_department")
    return qs.filter(status=status) if status in STATUS_LABELS else qs
