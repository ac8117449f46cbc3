"""Reads of government integrity (政务诚信): the arrears ledger scoped to the viewer, one complaint's row with its
deadline and flags, and the ledger's figures by debtor, handling department and district (清欠统计)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import DepartmentKind, Role
from pubcredit.accounts.models import Department, User
from pubcredit.audit.services import SystemActor
from pubcredit.integrity import permissions
from pubcredit.integrity.choices import IntegrityRole
from pubcredit.catalog.registry import get_class
from pubcredit.integrity.models import ArrearsComplaint, CaseOffice, GovernmentCase, IntegrityGrant, StateEnterprise
from pubcredit.lists.models import ListEntry
from pubcredit.lists.selectors import entries_in_force, in_force_filter
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.subjects.models import Subject
from pubcredit.integrity.rulebook import arrears_book, cases_book
from pubcredit.rules import clock
from pubcredit.rules.integrity import (
    CASE_STATUS_LABELS, DEBTOR_KIND_LABELS, OPEN_STATUSES, STATUS_LABELS, ArrearsFacts, CaseFacts, Flag, arrears_flags,
    case_flags, case_public, classify_debtor, next_due, plan_due, share)
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


def complaint_facts(c: ArrearsComplaint) -> ArrearsFacts:
    """A complaint's dates and amounts as the pure rules take them."""
    return _facts(c)


def _facts(c: ArrearsComplaint) -> ArrearsFacts:
    return ArrearsFacts(status=c.status, filed_on=c.filed_on, assigned_on=c.assigned_on, verified_on=c.verified_on,
                        plan_last_day=c.plan_last_day, outstanding=c.outstanding or Decimal(0),
                        verify_extended_to=c.verify_extended_to)


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
    return StateEnterprise.objects.filter(uscc=uscc, kind="state_enterprise").exists()


def register_class(uscc: str):
    """What the code and the register say a debtor is (rules.integrity.classify_debtor): 机关, 事业单位, 国有企业 or
    使用财政资金的团体组织 (条例第三十六条), or out of scope."""
    kind = StateEnterprise.objects.filter(uscc=uscc).values_list("kind", flat=True).first()
    return classify_debtor(uscc, state_owned=kind == "state_enterprise", fiscal_funded=kind == "fiscal_group")


def department_complaints(*, department, status: str = "") -> QuerySet[ArrearsComplaint]:
    """The complaints transferred to ``department`` (its API token's view)."""
    qs = ArrearsComplaint.objects.filter(handling_department=department).select_related("debtor", "handling_department")
    return qs.filter(status=status) if status in STATUS_LABELS else qs


# --- the government-integrity view (政务诚信) -------------------------------------------------------------------

COURT_LIST = "court_dishonest_debtor"  # 失信被执行人名单: the body as judgment debtor
# catalogue classes about a government body's own dishonesty, read like any record (docs/integrity.md)
GOVERNMENT_CLASSES = ("gov_unfulfilled_commitment", "gov_lost_admin_judgment", "gov_audit_finding",
                      "commitment_breach")
_SETTLED = {"gov_unfulfilled_commitment": "fulfilled", "gov_audit_finding": "fulfilled",
            "gov_lost_admin_judgment": "fulfilled"}
_CONTENT_FIELDS = ("commitment_content", "finding", "case_cause", "breach_facts")


def may_view_government(viewer, subject: Subject | None = None) -> bool:
    """Operators and leaders read every body; a district office the bodies registered in its district."""
    if isinstance(viewer, SystemActor):
        return False  # department systems reach cases only as case offices (cases.may_act_on_cases)
    if is_city_operator(viewer) or permissions.has_grant(viewer, IntegrityRole.LEADER):
        return True
    return (getattr(viewer, "role", "") == Role.DISTRICT_OPERATOR and bool(viewer.district_id)
            and (subject is None or subject.district_id == viewer.district_id))


def debtor_class_of(subject: Subject):
    """What the code and the register say the body is (机关, 事业单位, 国有企业, 使用财政资金的团体组织), or None."""
    if not subject.uscc:
        return None
    found = register_class(subject.uscc)
    return found if found.in_scope else None


@dataclass(frozen=True)
class RecordLine:
    record: CreditRecord
    class_name: str
    status_zh: str
    open: bool  # not fulfilled / not rectified yet
    content: str  # what was promised, found or judged, in the class's own field


@dataclass
class GovernmentView:
    subject: Subject
    kind_zh: str
    category_zh: str
    court_entries: list
    arrears: list[ComplaintRow]
    records: list[RecordLine]
    cases: list = field(default_factory=list)  # CaseRow: its government dishonesty cases (政府失信)

    @property
    def open_records(self) -> list[RecordLine]:
        return [r for r in self.records if r.open]

    @property
    def arrears_past_plan(self) -> list[ComplaintRow]:
        return [r for r in self.arrears if r.past_plan]

    @property
    def outstanding(self) -> Decimal:
        return sum((r.outstanding or Decimal(0) for r in self.arrears if r.complaint.status in OPEN_STATUSES),
                   Decimal("0.00"))

    @property
    def flags(self) -> list[str]:
        """What a leader should see first: 失信被执行人, arrears past plan, open findings."""
        flags = []
        if self.court_entries:
            flags.append(f"失信被执行人（{len(self.court_entries)}条在列）")
        if self.arrears_past_plan:
            flags.append(f"拖欠账款逾期未清偿（{len(self.arrears_past_plan)}件）")
        if self.open_records:
            flags.append(f"未履行承诺或未整改事项（{len(self.open_records)}条）")
        if open_cases := [c for c in self.cases if c.case.status != "removed"]:
            flags.append(f"政府失信案件（{len(open_cases)}件未移出）")
        return flags


def _record_line(record: CreditRecord) -> RecordLine:
    info_class = get_class(record.class_code)
    status = record.fields.get("status", "")
    status_field = next((f for f in info_class.fields if f.key == "status"), None)
    labels = {v.code: v.label_zh for v in status_field.values} if status_field else {}
    content = next((record.fields[k] for k in _CONTENT_FIELDS if record.fields.get(k)), "—")
    if record.class_code == "commitment_breach":
        return RecordLine(record, info_class.name_zh, "已违诺", True, content)
    return RecordLine(record, info_class.name_zh, labels.get(status, "—"), status != _SETTLED.get(record.class_code),
                      content)


def government_view(*, viewer, subject_id: int) -> GovernmentView | None:
    """A 机关, 事业单位 or state enterprise's government-integrity view: the court list entries where it is the debtor
    (in force today), the arrears complaints against it (with 逾期未清偿), and its records of the government classes.
    None when the subject is no such body or the viewer may not read it."""
    subject = Subject.objects.select_related("district").filter(pk=subject_id).first()
    if subject is None or not may_view_government(viewer, subject):
        return None
    found = debtor_class_of(subject)
    if found is None:
        return None
    today = clock.today()
    court = [e for e in entries_in_force(subject_id=subject.pk, day=today) if e.list_code == COURT_LIST]
    arrears = [complaint_row(c, today=today) for c in ArrearsComplaint.objects.filter(debtor=subject)
               .select_related("debtor", "handling_department").order_by("-filed_on", "-id")]
    records = [_record_line(r) for r in CreditRecord.objects.filter(
        subject=subject, class_code__in=GOVERNMENT_CLASSES, status=RecordStatus.ACTIVE).order_by("-decision_date")]
    cases = [case_row(c, today=today) for c in GovernmentCase.objects.filter(body=subject).select_related("body")]
    return GovernmentView(subject, found.kind_zh, found.category_zh, court, arrears, records, cases)


def government_bodies(*, viewer, query: str = "") -> list[GovernmentView]:
    """Bodies with anything to show (an arrears complaint, a court entry or a government-class record), those with
    flags first; ``query`` filters by name or code."""
    if not may_view_government(viewer):
        return []
    ids = set(ArrearsComplaint.objects.values_list("debtor_id", flat=True))
    ids |= set(GovernmentCase.objects.values_list("body_id", flat=True))
    ids |= set(CreditRecord.objects.filter(class_code__in=GOVERNMENT_CLASSES, status=RecordStatus.ACTIVE)
               .values_list("subject_id", flat=True))
    ids |= set(ListEntry.objects.filter(list_code=COURT_LIST).filter(in_force_filter(clock.today()))
               .filter(Q(subject__uscc__startswith="11") | Q(subject__uscc__startswith="12")
                       | Q(subject__uscc__in=StateEnterprise.objects.values("uscc")))
               .values_list("subject_id", flat=True))
    subjects = Subject.objects.filter(pk__in=ids)
    if query:
        subjects = subjects.filter(Q(name__contains=query) | Q(uscc=query.strip().upper()))
    views = [v for s in subjects.order_by("name")[:200] if (v := government_view(viewer=viewer, subject_id=s.pk))]
    return sorted(views, key=lambda v: (not v.flags, v.subject.name))


def own_integrity_files(*, viewer) -> QuerySet:
    """The files of the personnel office's own organisation (names and masked numbers only; opening one is a read
    through ``files.integrity_file_read``, audited)."""
    from pubcredit.integrity.models import IntegrityFile

    if not permissions.may_keep_files(viewer):
        return IntegrityFile.objects.none()
    return IntegrityFile.objects.filter(organisation_id=viewer.department_id).only(
        "id", "name", "id_masked", "position", "staff_kind", "organisation_id")


# --- judicial linkage: the court's feedback loop (司法联动：联合惩戒反馈) ------------------------------------------

@dataclass(frozen=True)
class MeasureReport:
    department: str
    scenario: str
    checked_on: dt.date
    measure_code: str
    measure_name: str
    applied: bool
    note: str
    reported_at: dt.datetime


@dataclass
class CourtCase:
    """One 失信被执行人 entry the court pushed, with what departments did about it (per case, 一案一反馈)."""

    entry: ListEntry
    checks: int = 0
    reports: list[MeasureReport] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(r.applied for r in self.reports)


def may_read_court_feedback(viewer) -> bool:
    return is_city_operator(viewer) or bool(getattr(viewer, "department_id", None))


def court_feedback(*, department, since: dt.date | None = None, limit: int = 200) -> list[CourtCase]:
    """For the court (the department that pushed the 失信被执行人 entries), each case with the checks that hit it and
    the measures the checking departments reported applied or not (``sanctions`` check feedback), newest first."""
    from pubcredit.sanctions.models import CheckFeedback, CheckHit
    from pubcredit.sanctions.rulebook import measure_book

    entries = ListEntry.objects.filter(list_code=COURT_LIST, department=department).select_related("subject")
    if since is not None:
        entries = entries.filter(decision_date__gte=since)
    cases = {e.pk: CourtCase(e) for e in entries.order_by("-decision_date", "-id")[:limit]}
    if not cases:
        return []
    check_entries: dict[int, set[int]] = defaultdict(set)
    for check_id, entry_id in CheckHit.objects.filter(entry_id__in=cases).values_list("check_row_id", "entry_id"):
        check_entries[check_id].add(entry_id)
        cases[entry_id].checks += 1
    book = measure_book()
    today = clock.today()
    feedback = (CheckFeedback.objects.filter(check_row_id__in=check_entries)
                .select_related("check_row", "check_row__department").order_by("created_at", "id"))
    for fb in feedback:
        measure = book.current(fb.measure_code, today)
        if measure is not None and COURT_LIST not in measure.lists:
            continue  # a measure of another list the same check hit: not the court's case
        check = fb.check_row
        report = MeasureReport(check.department.name if check.department else check.actor_label, check.scenario,
                               check.as_of_date, fb.measure_code, measure.name_zh if measure else fb.measure_code,
                               fb.applied, fb.note, fb.created_at)
        for entry_id in check_entries[check.pk]:  # the court entries this check hit (usually one)
            cases[entry_id].reports.append(report)
    return list(cases.values())


def court_pushes(*, department_id: int) -> bool:
    return ListEntry.objects.filter(list_code=COURT_LIST, department_id=department_id).exists()


# --- integrity publicity (诚信宣传) -----------------------------------------------------------------------------

def published_articles(*, kind: str = ""):
    """What the public site shows: published pieces only, newest first."""
    from pubcredit.integrity.models import IntegrityArticle

    qs = IntegrityArticle.objects.filter(status="published")
    return qs.filter(kind=kind) if kind else qs


def campaign_calendar():
    """The campaign calendar as the public site shows it today (诚信宣传节点: 诚信兴商宣传月, 信用记录关爱日)."""
    from pubcredit.integrity.rulebook import campaigns_book
    from pubcredit.rules.integrity import campaign_calendar as calendar

    return calendar(campaigns_book(), today=clock.today())


def featured_campaigns():
    """The campaigns the site features today: upcoming within the rulebook's days, running, or just ended."""
    return [c for c in campaign_calendar() if c.state != "later"]


def editorial_articles(*, viewer):
    """Editors and reviewers see every piece in the workflow; nobody else."""
    from pubcredit.integrity.models import IntegrityArticle

    if not (permissions.has_grant(viewer, IntegrityRole.EDITOR)
            or permissions.has_grant(viewer, IntegrityRole.PUBLICITY_REVIEWER)):
        return IntegrityArticle.objects.none()
    return IntegrityArticle.objects.select_related("author", "reviewer").order_by("-updated_at", "-id")


# --- government dishonesty cases (政府失信认定) -------------------------------------------------------------------

@dataclass(frozen=True)
class CaseSource:
    """The record a case rests on, as it stands today: whose it is, its reference, whether the ground still stands
    (``live``) and, once gone, since when (the court's deletion, the clearance, the fulfilment)."""

    source_type: str
    source_id: int
    ground: str
    body_id: int
    reference: str
    label_zh: str
    live: bool
    gone_on: dt.date | None
    identifiable: bool  # the ground holds today (an arrears complaint must be past its plan, 逾期未清偿)


def _record_ground(class_code: str) -> str | None:
    return next((code for code, g in cases_book().grounds.items() if g.record_class == class_code), None)


def case_source(source_type: str, source_id: int, *, today: dt.date | None = None) -> CaseSource | None:
    """Read one source of a case (``arrears``, ``court_entry``, ``record``); None when there is no such row or it is
    not a ground of a government case."""
    today = today or clock.today()
    if source_type == "arrears":
        c = ArrearsComplaint.objects.select_related("debtor").filter(pk=source_id).first()
        if c is None:
            return None
        row = complaint_row(c, today=today)
        live = c.status in OPEN_STATUSES
        return CaseSource("arrears", c.pk, "arrears_past_plan", c.debtor_id, c.number,
                          f"拖欠账款投诉{c.number}（{row.status_zh}，尚欠{c.outstanding if c.outstanding is not None else '未核实'}元）",
                          live, c.cleared_on if c.status == "cleared" else None, row.past_plan)
    if source_type == "court_entry":
        e = ListEntry.objects.filter(pk=source_id, list_code=COURT_LIST).first()
        if e is None:
            return None
        live = ListEntry.objects.filter(pk=e.pk).filter(in_force_filter(today)).exists()
        gone = e.removed_on or (e.planned_end + dt.timedelta(days=1) if e.planned_end and not live else None)
        return CaseSource("court_entry", e.pk, "court_debtor", e.subject_id, e.decision_no,
                          f"失信被执行人{e.decision_no}（{e.identifying_unit}）", live, None if live else gone, live)
    if source_type == "record":
        r = CreditRecord.objects.filter(pk=source_id).first()
        ground = _record_ground(r.class_code) if r is not None else None
        if ground is None:
            return None
        line = _record_line(r)
        live = r.status == RecordStatus.ACTIVE and line.open
        gone = None if live else r.updated_at.astimezone(clock.PLATFORM_TZ).date()
        return CaseSource("record", r.pk, ground, r.subject_id, r.decision_no,
                          f"{line.class_name}{r.decision_no}（{line.status_zh}）", live, gone, live)
    return None


def case_source_department(source_type: str, source_id: int):
    """The department that supplied the fact a case rests on: the handling department of an arrears complaint, the
    court that pushed the 失信被执行人 entry, the department that submitted the government record."""
    if source_type == "arrears":
        return ArrearsComplaint.objects.select_related("handling_department").get(pk=source_id).handling_department
    if source_type == "court_entry":
        return ListEntry.objects.select_related("department").get(pk=source_id).department
    return CreditRecord.objects.select_related("department").get(pk=source_id).department


def identifiable_sources(*, subject_id: int) -> list[CaseSource]:
    """What a body may be identified on today: arrears past plan, court entries in force, open government records;
    sources an open case already rests on are left out."""
    taken = set(GovernmentCase.objects.filter(body_id=subject_id).exclude(status="removed")
                .values_list("source_type", "source_id"))
    candidates = [("arrears", pk) for pk in ArrearsComplaint.objects.filter(debtor_id=subject_id, status="planned")
                  .values_list("pk", flat=True)]
    candidates += [("court_entry", e.pk) for e in entries_in_force(subject_id=subject_id) if e.list_code == COURT_LIST]
    candidates += [("record", pk) for pk in CreditRecord.objects.filter(
        subject_id=subject_id, class_code__in=GOVERNMENT_CLASSES, status=RecordStatus.ACTIVE).values_list("pk", flat=True)]
    found = [case_source(t, pk) for t, pk in candidates if (t, pk) not in taken]
    return [s for s in found if s is not None and s.identifiable]


@dataclass(frozen=True)
class CaseRow:
    case: GovernmentCase
    ground_zh: str
    status_zh: str
    source: CaseSource | None
    flags: list[Flag]

    @property
    def public(self) -> bool:
        return case_public(status=self.case.status, serious=self.case.serious,
                           source_live=bool(self.source and self.source.live))


def case_row(case, *, today: dt.date | None = None) -> CaseRow:
    today = today or clock.today()
    book = cases_book()
    source = case_source(case.source_type, case.source_id, today=today)
    facts = CaseFacts(case.status, case.identified_on, case.rectify_due, case.rectified_on,
                      source.gone_on if source and not source.live else None)
    ground = book.grounds.get(case.ground)
    return CaseRow(case, ground.name_zh if ground else case.ground, CASE_STATUS_LABELS.get(case.status, case.status),
                   source, case_flags(facts, today=today, book=book, calendar=work_calendar()))


def cases_scope(viewer) -> Q:
    """Operators and leaders read every case; a district office the cases of bodies in its district; a department
    system (API token) of a granted case office those it may handle (``permissions.case_office_of``)."""
    if isinstance(viewer, SystemActor):
        office = permissions.case_office_of(viewer)
        if office is None:
            return _NOTHING
        return Q(body__district_id=office.district_id) if office.district_id else Q()
    if is_city_operator(viewer) or permissions.has_grant(viewer, IntegrityRole.LEADER):
        return Q()
    if getattr(viewer, "role", "") == Role.DISTRICT_OPERATOR and viewer.district_id:
        return Q(body__district_id=viewer.district_id)
    return _NOTHING


def government_cases(*, viewer, status: str = "", body_id: int | None = None):
    qs = GovernmentCase.objects.filter(cases_scope(viewer)).select_related("body", "body__district")
    if status:
        qs = qs.filter(status=status)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    return qs


def government_body_by_uscc(uscc: str, *, any_subject: bool = False) -> Subject | None:
    """The subject with this USCC when it is a 机关, 事业单位 or state enterprise (or any subject, for the
    identification to refuse it field by field)."""
    subject = Subject.objects.select_related("district").filter(uscc=(uscc or "").strip().upper()).first()
    if subject is None or any_subject:
        return subject
    return subject if debtor_class_of(subject) is not None else None


def government_case_get(*, viewer, pk: int):
    return government_cases(viewer=viewer).filter(pk=pk).first()


def public_government_cases() -> list[CaseRow]:
    """政务失信公示: serious cases (条例第二十六条) not removed whose ground still stands — a court's deletion or a
    clearance takes a case off the site at once; no person's name is in the row."""
    today = clock.today()
    rows = [case_row(c, today=today) for c in GovernmentCase.objects.filter(serious=True).exclude(status="removed")
            .select_related("body").order_by("-identified_on", "-id")[:500]]
    return [r for r in rows if r.public]


# --- what the governance scorecards read (部门考核：清欠按计划清偿) ----------------------------------------------------

@dataclass(frozen=True)
class PlanDue:
    """An agreed repayment plan a department answers for: the day it was due and the day the debt was cleared."""

    complaint_id: int
    number: str
    debtor_name: str
    due: dt.date  # the plan's last day moved off a rest day, plus the grace (rules.integrity.plan_due)
    cleared_on: dt.date | None
    as_debtor: bool  # the department owes the money itself (else it handles a debtor that is no platform department)


def arrears_plans_of_department(*, department, as_of: dt.date) -> list[PlanDue]:
    """Plans agreed by ``as_of`` that ``department`` answers for: complaints against itself (the debtor's USCC is the
    department's), and complaints it handles against a debtor that is not a platform department (事业单位, state
    enterprises: 谁主管谁负责, 条例第二十五条), so the city sum counts every plan once."""
    from pubcredit.accounts.models import Department

    book, calendar = arrears_book(), work_calendar()
    own = Q(debtor__uscc=department.uscc)
    handled = Q(handling_department=department) & ~Q(debtor__uscc__in=Department.objects.values("uscc"))
    rows = (ArrearsComplaint.objects.filter(own | handled, plan_last_day__isnull=False, planned_on__lte=as_of)
            .select_related("debtor").order_by("id"))
    return [PlanDue(c.pk, c.number, c.debtor.name, plan_due(c.plan_last_day, book, calendar),
                    c.cleared_on if c.cleared_on and c.cleared_on <= as_of else None, c.debtor.uscc == department.uscc)
            for c in rows]


def complaints_of_complainant(*, uscc: str) -> list[ComplaintRow]:
    """The complaints a firm filed (its enterprise account's USCC), newest first, with their step's due day: what the
    firm follows on the public site. Never another firm's, never the contact details."""
    today = clock.today()
    return [complaint_row(c, today=today) for c in ArrearsComplaint.objects.filter(complainant_uscc=uscc)
            .select_related("debtor", "handling_department").order_by("-filed_on", "-id")[:200]]


def case_offices():
    """The granted case offices (政府失信办理单位), city departments first, then by district and name."""
    return (CaseOffice.objects.select_related("department__district", "granted_by")
            .order_by("department__district__code", "department__name"))


def case_office_candidates():
    """Government departments that are not yet a case office (a financial institution never is one)."""
    return (Department.objects.filter(kind=DepartmentKind.GOVERNMENT, integrity_case_office__isnull=True)
            .select_related("district").order_by("district__code", "name"))


def integrity_grants():
    """The functions granted in this app (政务诚信岗位), by function, then by the holder's department and name."""
    return (IntegrityGrant.objects.select_related("user__department", "granted_by")
            .order_by("role", "user__department__name", "user__display_name", "user__username"))


def grant_candidates():
    """Who may be granted a function: active government staff (``services.may_hold_grant`` says the same per user)."""
    return (User.objects.filter(is_active=True).exclude(role=Role.ENTERPRISE)
            .exclude(department__kind=DepartmentKind.FINANCIAL_INSTITUTION)
            .select_related("department").order_by("department__name", "display_name", "username"))
