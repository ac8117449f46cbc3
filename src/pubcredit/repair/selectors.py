"""Reads of the repair app: eligibility of a record or list entry (信用修复资格), queues and overdue cases."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from pubcredit.lists.models import ListEntry
from pubcredit.publicity.models import PublicityState
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.repair.models import OPEN_APPLICATION, OPEN_OBJECTION, Evidence, Notice, Objection, RepairApplication
from pubcredit.repair.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.rules.lists import parse_day
from pubcredit.rules.repair import Eligibility, ItemFacts, Reason, add_years, assess_eligibility, reorganisation_refusal
from pubcredit.workdays.selectors import work_calendar

NO_DURATION = dt.date(2099, 12, 31)


def _fraud_block_until(record_id: int) -> dt.date | None:
    """The 3-year bar after a grant revoked for fraud (Order 36 art. 25): the latest one on this record."""
    row = (RepairApplication.objects.filter(record_id=record_id, fraud_block_until__isnull=False)
           .order_by("-fraud_block_until").values_list("fraud_block_until", flat=True).first())
    return row


def _obligations(fields: dict) -> bool | None:
    """False when the record itself says obligations are unperformed (法院名单 "全部未履行" / "部分未履行")."""
    performance = str(fields.get("performance") or "")
    if "未履行" in performance:
        return False
    return None


def _record_facts(record: CreditRecord, state: PublicityState | None) -> ItemFacts:
    fields = record.fields or {}
    until = parse_day(fields.get("valid_until"))
    duration = until if until is not None and record.decision_date < until < NO_DURATION else None
    return ItemFacts(
        kind="record", authority=str(fields.get("authority_name") or record.department.name),
        publicity_regime=state.regime if state else "", state=state.state if state else None,
        repairable_from=state.repairable_from if state else None,
        publish_until=state.publish_until if state else None, duration_until=duration,
        record_revoked=record.status == RecordStatus.REVOKED, obligations_performed=_obligations(fields),
        fraud_block_until=_fraud_block_until(record.pk))


def _entry_facts(entry: ListEntry, state: PublicityState | None) -> ItemFacts:
    book = rulebook()
    rule = book.lists.get(entry.list_code)
    window = rule.repeat_window_years if rule and rule.repeat_window_years else None
    listings = 1
    if window:
        since = add_years(entry.effective_date, -window)
        listings = ListEntry.objects.filter(subject_id=entry.subject_id, list_code=entry.list_code,
                                            effective_date__gte=since, effective_date__lte=entry.effective_date).count()
    return ItemFacts(
        kind="list_entry", authority=entry.identifying_unit, publicity_regime=state.regime if state else "",
        state=state.state if state else None, list_code=entry.list_code, list_in_force=entry.status == "in_force",
        list_effective=entry.effective_date, listings_in_window=listings,
        record_revoked=entry.record.status == RecordStatus.REVOKED,
        obligations_performed=_obligations(entry.record.fields or {}), fraud_block_until=_fraud_block_until(entry.record_id))


OBJECTION_MARK = "异议处理中"  # the mark a record carries on the public site while an objection is verified


def records_under_objection(record_ids) -> set[int]:
    """Of ``record_ids``, the records with an objection accepted and not yet decided (异议处理中). Publication goes on
    meanwhile (NDRC Order 36 art. 18 does not suspend it; art. 19 keeps it even during reconsideration or
    litigation): the public site shows the record with this mark. An objection only received, not yet accepted by
    the identifying unit, does not mark the record: anyone may object, and acceptance is the unit's screening."""
    ids = {int(pk) for pk in record_ids}
    if not ids:
        return set()
    return set(Objection.objects.filter(record_id__in=ids, state="accepted").values_list("record_id", flat=True))


def record_eligibility(*, record: CreditRecord) -> Eligibility:
    """信用修复资格 of one record on today (a list-class record answers for its list entry)."""
    state = PublicityState.objects.filter(record_id=record.pk).first()
    entry = ListEntry.objects.filter(record_id=record.pk).select_related("record").first()
    facts = _entry_facts(entry, state) if entry is not None else _record_facts(record, state)
    return assess_eligibility(facts, rulebook(), as_of=clock.today())


def reorganisation_check(*, record: CreditRecord) -> tuple[Reason | None, str, str]:
    """Whether ``record`` (or its list entry) can be shielded for a bankruptcy reorganisation today (NDRC Order 36
    art. 20): the refusal reason or ``None``, the regime ("ndrc_order_36" / "samr_order_107") and the authority."""
    state = PublicityState.objects.filter(record_id=record.pk).first()
    entry = ListEntry.objects.filter(record_id=record.pk).select_related("record").first()
    facts = _entry_facts(entry, state) if entry is not None else _record_facts(record, state)
    book = rulebook()
    regime_id = "samr_order_107" if book.regime_for(facts.publicity_regime) is book.regimes["samr_order_107"] \
        else "ndrc_order_36"
    return reorganisation_refusal(facts, book, as_of=clock.today()), regime_id, facts.authority


def entry_eligibility(*, entry: ListEntry) -> Eligibility:
    state = PublicityState.objects.filter(record_id=entry.record_id).first()
    return assess_eligibility(_entry_facts(entry, state), rulebook(), as_of=clock.today())


def department_scope(department) -> Q:
    return Q(department=department)


def record_for_department(*, department, pk: int) -> CreditRecord | None:
    """A record the department's token may ask about: its own (it is the identifying unit), or one shown publicly."""
    return (CreditRecord.objects.select_related("department", "subject")
            .filter(Q(department=department) | Q(publicity__state="published")).filter(pk=pk).first())


def entry_for_department(*, department, pk: int) -> ListEntry | None:
    return (ListEntry.objects.select_related("record", "subject")
            .filter(Q(department=department) | Q(record__publicity__state="published")).filter(pk=pk).first())


def application_get(*, department, pk: int) -> RepairApplication | None:
    return RepairApplication.objects.filter(department=department, pk=pk).select_related("record").first()


def objection_get(*, department, pk: int) -> Objection | None:
    return Objection.objects.filter(department=department, pk=pk).select_related("record").first()


def application_queue(*, department=None) -> QuerySet[RepairApplication]:
    """Open applications, the nearest deadline first (the unit's queue; all units for operators)."""
    qs = RepairApplication.objects.filter(state__in=OPEN_APPLICATION).select_related("department", "record")
    if department is not None:
        qs = qs.filter(department=department)
    return qs.order_by("accept_due", "decide_due", "id")


def overdue_counts(*, department=None, today: dt.date | None = None) -> dict[str, int]:
    """Open cases past their step's deadline: applications not accepted by ``accept_due`` or not decided by
    ``decide_due``; objections not verified by ``verify_due``."""
    today = today or clock.today()
    apps = RepairApplication.objects.filter(
        Q(state="received", accept_due__lt=today) | Q(state__in=["accepted", "extended"], decide_due__lt=today))
    objs = Objection.objects.filter(_objection_overdue(today))
    if department is not None:
        apps, objs = apps.filter(department=department), objs.filter(department=department)
    return {"applications": apps.count(), "objections": objs.count(),
            "open_objections": Objection.objects.filter(state__in=OPEN_OBJECTION).count() if department is None
            else Objection.objects.filter(state__in=OPEN_OBJECTION, department=department).count()}


def _objection_overdue(today: dt.date) -> Q:
    """An objection past its current limit: not accepted by its acceptance limit (``accept_due``, 经营异常名录第十五条)
    or, where the law sets none, not forwarded by ``forward_due`` (art. 18); not verified by ``verify_due``."""
    return (Q(state="received", accept_due__lt=today)
            | Q(state="received", accept_due__isnull=True, forward_due__lt=today)
            | Q(state="accepted", verify_due__lt=today))


def may_handle(user) -> bool:
    """Reviewers and data providers of a department act as its identifying unit (认定单位)."""
    from pubcredit.accounts.choices import Role

    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", "") in (Role.PROVIDER, Role.REVIEWER)
                and user.department_id)


def may_view(user) -> bool:
    from pubcredit.accounts.access import is_city_operator

    return may_handle(user) or (getattr(user, "is_authenticated", False) and is_city_operator(user))


def _due(item) -> dt.date | None:
    if isinstance(item, RepairApplication):
        return item.accept_due if item.state == "received" else item.decide_due
    if item.state == "received":  # 经营异常名录第十五条: the unit's acceptance limit; else the forwarding limit
        return item.accept_due or item.forward_due
    return item.verify_due


def case_queue(*, viewer) -> tuple[list[RepairApplication], list[Objection]]:
    """Open applications and objections in the viewer's scope (its own unit; all for the credit centre), overdue
    first, then the nearest deadline; each row carries ``due`` and ``overdue``."""
    today = clock.today()
    apps = (RepairApplication.objects.filter(state__in=OPEN_APPLICATION)
            .select_related("department", "record", "subject").prefetch_related("evidence"))
    objs = (Objection.objects.filter(state__in=OPEN_OBJECTION).select_related("department", "record")
            .prefetch_related("evidence"))
    if may_handle(viewer):
        apps, objs = apps.filter(department=viewer.department), objs.filter(department=viewer.department)
    rows: list = []
    for item in [*apps[:500], *objs[:500]]:
        item.due = _due(item)
        item.overdue = item.due is not None and item.due < today
        rows.append(item)
    accepted: dict[int, list[int]] = {}
    for item in rows:
        if isinstance(item, Objection) and item.state == "accepted":
            accepted.setdefault(item.record_id, []).append(item.pk)
    for item in rows:  # 合并核查: the other accepted objections on the same record, answered by one decision
        if isinstance(item, Objection):
            item.verified_with = [pk for pk in accepted.get(item.record_id, []) if pk != item.pk] \
                if item.state == "accepted" else []
    rows.sort(key=lambda r: (not r.overdue, r.due or dt.date.max, r.pk))
    return ([r for r in rows if isinstance(r, RepairApplication)], [r for r in rows if isinstance(r, Objection)])


def overdue_digest(*, today: dt.date | None = None) -> dict[str, Any]:
    """Per identifying unit: open applications and objections past their step's limit and the oldest such limit."""
    today = today or clock.today()
    units: dict[int, dict[str, Any]] = {}
    apps = RepairApplication.objects.filter(
        Q(state="received", accept_due__lt=today) | Q(state__in=["accepted", "extended"], decide_due__lt=today))
    objs = Objection.objects.filter(_objection_overdue(today))
    for kind, rows in (("applications", apps.select_related("department")), ("objections",
                                                                          objs.select_related("department"))):
        for item in rows:
            row = units.setdefault(item.department_id, {"department": item.department.name, "applications": 0,
                                                        "objections": 0, "oldest_due": None})
            row[kind] += 1
            due = _due(item)
            if row["oldest_due"] is None or (due and due.isoformat() < row["oldest_due"]):
                row["oldest_due"] = due.isoformat() if due else None
    return {"day": today.isoformat(), "units": sorted(units.values(), key=lambda r: r["oldest_due"] or "")}


def notice_list(*, department, unread_only: bool = False) -> QuerySet[Notice]:
    """The department's step notices (both recipients), newest first; ``unread_only``: the unit's unread ones."""
    qs = Notice.objects.filter(department=department).select_related("application", "objection")
    if unread_only:
        qs = qs.filter(recipient="unit", read_at__isnull=True)
    return qs.order_by("-id")


def notice_list_for(*, department=None) -> QuerySet[Notice]:
    """The notices page: one unit's notices (both recipients), or every unit's for the credit centre."""
    qs = Notice.objects.select_related("department", "application", "objection")
    if department is not None:
        qs = qs.filter(department=department)
    return qs.order_by("-id")


def unread_notice_count(*, department) -> int:
    """The unit's unread notices (its workbench home counts them)."""
    return Notice.objects.filter(department=department, recipient="unit", read_at__isnull=True).count()


# --- figures for governance (信用修复与异议处理情况) --------------------------------------------------------------------


@dataclass
class CaseFigures:
    """Counts and handling times of one kind of case (applications or objections) for one unit or the city.

    ``handling_*``: working days (工作日, platform calendar) from receipt to the decision, of the cases decided in the
    period; ``on_time_share``: of the decided cases with a limit, the share decided by it (None: nothing to measure);
    ``overdue_open``: open today and past the current step's limit."""

    received: int = 0
    decided: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # state → count, of the decided cases
    withdrawn: int = 0  # of the cases received in the period, withdrawn by the applicant
    open_now: int = 0
    overdue_open: int = 0
    handling_median: float | None = None
    handling_p90: int | None = None
    on_time: int = 0
    with_limit: int = 0
    provisional: bool = False  # a working-day count ran into a year without a holiday schedule

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.with_limit if self.with_limit else None


@dataclass
class UnitRepairFigures:
    department_id: int | None  # None: the whole city
    department: str
    applications: CaseFigures
    objections: CaseFigures


@dataclass
class RepairFigures:
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    units: list[UnitRepairFigures]
    city: UnitRepairFigures


APPLICATION_DECIDED = ("granted", "refused", "not_accepted", "revoked")
OBJECTION_DECIDED = ("corrected", "withdrawn_record", "dismissed")


def _p90(values: list[int]) -> int | None:
    """Nearest-rank 90th percentile (the smallest value at or above 90 % of the cases)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _application_limit(app: RepairApplication) -> dt.date | None:
    """The limit the decision kept or missed: the decision limit once accepted, the acceptance limit otherwise."""
    return app.decide_due if app.accepted_on else app.accept_due


def _objection_limit(obj: Objection) -> dt.date | None:
    """Verification limit (7 WD from acceptance, art. 18); an objection not accepted has no limit in the law."""
    return obj.verify_due if obj.accepted_on else None


def _fill(figures: CaseFigures, rows: list, *, period_from: dt.date, period_to: dt.date, today: dt.date,
          decided_states: tuple[str, ...], open_states: list[str], limit, due) -> None:
    calendar = work_calendar()
    times: list[int] = []
    for row in rows:
        if period_from <= row.received_on <= period_to:
            figures.received += 1
            figures.withdrawn += int(row.state == "withdrawn")  # of those received in the period
        if row.state in open_states:
            figures.open_now += 1
            step_due = due(row)
            figures.overdue_open += int(step_due is not None and step_due < today)
            continue
        if row.state not in decided_states or row.decided_on is None \
                or not period_from <= row.decided_on <= period_to:
            continue
        outcome = "granted" if row.state == "revoked" else row.state  # a revoked grant was decided as a grant
        figures.decided += 1
        figures.outcomes[outcome] = figures.outcomes.get(outcome, 0) + 1
        counted = calendar.working_days_between(row.received_on, row.decided_on)
        figures.provisional = figures.provisional or bool(counted.warnings)
        times.append(counted.value)
        row_limit = limit(row)
        if row_limit is not None:
            figures.with_limit += 1
            figures.on_time += int(row.decided_on <= row_limit)
    figures.handling_median = float(statistics.median(times)) if times else None
    figures.handling_p90 = _p90(times)


def repair_figures(*, period_from: dt.date, period_to: dt.date, department=None) -> RepairFigures:
    """信用修复与异议处理情况 per identifying unit and for the city, for governance (scorecards: 信用修复、信息异议).

    Received: cases received in the period; decided: cases decided in the period (applications granted — a grant
    later revoked for fraud still counts as granted —, refused or not accepted; objections corrected, withdrawn or
    dismissed), with the working days from receipt to decision (median, 90th percentile) and the share decided within
    the limit the case carried (applications: the decision limit once accepted, else the acceptance limit;
    objections: the verification limit once accepted); open and overdue: as of today. ``department``: one unit only.
    """
    today = clock.today()
    apps = RepairApplication.objects.filter(kind="repair").filter(  # reorganisation shielding: no decision limit
        Q(received_on__range=(period_from, period_to)) | Q(decided_on__range=(period_from, period_to))
        | Q(state__in=OPEN_APPLICATION)).select_related("department")
    objs = Objection.objects.filter(
        Q(received_on__range=(period_from, period_to)) | Q(decided_on__range=(period_from, period_to))
        | Q(state__in=OPEN_OBJECTION)).select_related("department")
    if department is not None:
        apps, objs = apps.filter(department=department), objs.filter(department=department)
    apps, objs = list(apps), list(objs)
    names = {row.department_id: row.department.name for row in [*apps, *objs]}
    units = []
    for dep_id in sorted(names, key=lambda pk: names[pk]):
        unit = UnitRepairFigures(dep_id, names[dep_id], CaseFigures(), CaseFigures())
        _fill(unit.applications, [a for a in apps if a.department_id == dep_id], period_from=period_from,
              period_to=period_to, today=today, decided_states=APPLICATION_DECIDED, open_states=OPEN_APPLICATION,
              limit=_application_limit, due=_due)
        _fill(unit.objections, [o for o in objs if o.department_id == dep_id], period_from=period_from,
              period_to=period_to, today=today, decided_states=OBJECTION_DECIDED, open_states=OPEN_OBJECTION,
              limit=_objection_limit, due=_due)
        units.append(unit)
    city = UnitRepairFigures(None, "全市", CaseFigures(), CaseFigures())
    _fill(city.applications, apps, period_from=period_from, period_to=period_to, today=today,
          decided_states=APPLICATION_DECIDED, open_states=OPEN_APPLICATION, limit=_application_limit, due=_due)
    _fill(city.objections, objs, period_from=period_from, period_to=period_to, today=today,
          decided_states=OBJECTION_DECIDED, open_states=OPEN_OBJECTION, limit=_objection_limit, due=_due)
    return RepairFigures(period_from, period_to, today, units, city)


def evidence_for_viewer(*, viewer, pk: int) -> Evidence | None:
    """A proof file the viewer may open: its unit's cases (the credit centre: every unit's); a deleted (infected)
    file is not offered."""
    qs = Evidence.objects.select_related("application", "objection").exclude(scan_status="infected")
    if may_handle(viewer):
        qs = qs.filter(Q(application__department=viewer.department) | Q(objection__department=viewer.department))
    elif not may_view(viewer):
        return None
    return qs.filter(pk=pk).first()


# --- the enterprise's own view on the public site (企业用户: 本企业信用信息与信用修复) -----------------------------------


@dataclass
class EnterpriseItem:
    """One negative item of the enterprise, shown to it whatever its publicity (including never published)."""

    record: CreditRecord
    class_name: str
    publicity: PublicityState | None
    entry: ListEntry | None
    eligibility: Eligibility
    open_application: RepairApplication | None
    under_objection: bool

    @property
    def shielded(self) -> bool:
        """Temporarily shielded for a bankruptcy reorganisation (Order 36 art. 20), not repaired."""
        return self.open_application is not None and self.open_application.state == "shielded"

    @property
    def publicity_zh(self) -> str:
        if self.record.status == RecordStatus.REVOKED:
            return "已撤销"
        if self.shielded:
            return "破产重整临时屏蔽中"
        return self.publicity.get_state_display() if self.publicity else "未公示"


def _negative_classes() -> dict[str, str]:
    from pubcredit.catalog.registry import all_classes

    return {c.code: c.name_zh for c in all_classes() if c.nature == "negative"}


def enterprise_items(*, uscc: str) -> list[EnterpriseItem]:
    """The enterprise's negative records and list entries (by its USCC), newest first, each with its eligibility
    today, the open application on it and whether an objection is being verified. Published or not: the enterprise
    sees what the platform holds about it."""
    negative = _negative_classes()
    records = list(CreditRecord.objects.filter(subject__uscc=uscc, class_code__in=list(negative))
                   .select_related("department", "subject").order_by("-decision_date", "-id")[:200])
    ids = [r.pk for r in records]
    states = {s.record_id: s for s in PublicityState.objects.filter(record_id__in=ids)}
    entries = {e.record_id: e for e in ListEntry.objects.filter(record_id__in=ids).select_related("record")}
    open_apps = {a.record_id: a for a in RepairApplication.objects.filter(record_id__in=ids,
                                                                           state__in=OPEN_APPLICATION)}
    objected = records_under_objection(ids)
    items = []
    for record in records:
        items.append(EnterpriseItem(record=record, class_name=negative[record.class_code],
                                    publicity=states.get(record.pk), entry=entries.get(record.pk),
                                    eligibility=record_eligibility(record=record),
                                    open_application=open_apps.get(record.pk), under_objection=record.pk in objected))
    return items


def enterprise_record(*, uscc: str, pk: int) -> CreditRecord | None:
    """One of the enterprise's own records (None: not its own, or unknown)."""
    return CreditRecord.objects.select_related("department", "subject").filter(subject__uscc=uscc, pk=pk).first()


def enterprise_applications(*, uscc: str) -> QuerySet[RepairApplication]:
    """The enterprise's applications, newest first, with their notices and files (the applicant's progress)."""
    return (RepairApplication.objects.filter(subject__uscc=uscc).select_related("record", "department")
            .prefetch_related("evidence", "notices").order_by("-id"))


def enterprise_application(*, uscc: str, pk: int) -> RepairApplication | None:
    return RepairApplication.objects.filter(subject__uscc=uscc, pk=pk).select_related("record").first()


def enterprise_objections(*, uscc: str) -> QuerySet[Objection]:
    """Objections to the enterprise's records (by anyone), newest first: the subject sees each one's state."""
    return (Objection.objects.filter(record__subject__uscc=uscc).select_related("record", "department")
            .order_by("-id"))


def record_for_objection(*, pk: int, uscc: str | None = None) -> CreditRecord | None:
    """A record anyone may object to: one published on the public site; the logged-in enterprise also its own,
    published or not."""
    published = Q(publicity__state="published")
    scope = published | Q(subject__uscc=uscc) if uscc else published
    return (CreditRecord.objects.select_related("department", "subject").filter(scope)
            .exclude(status=RecordStatus.REVOKED).filter(pk=pk).first())


# --- monthly figures (信用修复与异议处理月度统计: charts and the XLSX export) -------------------------------------------


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def month_list(*, months: int = 12, ending: dt.date | None = None) -> list[dt.date]:
    """The first days of the ``months`` months up to the month of ``ending`` (default today), oldest first."""
    last = (ending or clock.today()).replace(day=1)
    out = [last]
    while len(out) < months:
        out.append((out[-1] - dt.timedelta(days=1)).replace(day=1))
    return out[::-1]


def monthly_figures(*, viewer, months: list[dt.date]) -> list[tuple[dt.date, RepairFigures]]:
    """``repair_figures`` month by month, in the viewer's scope (a unit: its own cases; the credit centre: every
    unit and the city)."""
    department = viewer.department if may_handle(viewer) else None
    return [(m, repair_figures(period_from=_month_bounds(m)[0], period_to=_month_bounds(m)[1], department=department))
            for m in months]


def monthly_chart(rows: list[tuple[dt.date, RepairFigures]]) -> dict[str, Any]:
    """The city's (or the unit's) monthly series for the charts (ECharts reads it from the page's JSON)."""
    def share(value):
        return round(value * 100, 1) if value is not None else None

    def whole(fig: RepairFigures) -> UnitRepairFigures:
        return fig.city
    return {
        "months": [m.strftime("%Y-%m") for m, _ in rows],
        "counts": {
            "修复申请收到": [whole(f).applications.received for _, f in rows],
            "准予修复": [whole(f).applications.outcomes.get("granted", 0) for _, f in rows],
            "不予修复": [whole(f).applications.outcomes.get("refused", 0) for _, f in rows],
            "异议收到": [whole(f).objections.received for _, f in rows],
        },
        "days": {
            "修复办理用时中位数": [whole(f).applications.handling_median for _, f in rows],
            "修复办理用时P90": [whole(f).applications.handling_p90 for _, f in rows],
            "异议核查用时中位数": [whole(f).objections.handling_median for _, f in rows],
        },
        "on_time": {
            "修复申请按期办结率": [share(whole(f).applications.on_time_share) for _, f in rows],
            "异议按期办结率": [share(whole(f).objections.on_time_share) for _, f in rows],
        },
    }
