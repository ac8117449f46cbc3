"""Reads of 信易贷 and 信易+: authorisations and reads as the enterprise sees them, and the facts a profile and an
incentive answer are made from (records, list entries, publicity states, the evaluation class)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.choices import Role

from pubcredit.accounts.choices import DepartmentKind
from pubcredit.finance.choices import ApplicationStatus, ReadOutcome
from pubcredit.accounts.models import Department
from pubcredit.catalog.registry import all_classes, get_class
from pubcredit.evaluation.selectors import current_class
from pubcredit.finance.models import (Authorisation, IncentiveAnswer, LoanApplication, LoanProduct, NationalReport,
                                      PersonAuthorisation, ProfileRead)
from pubcredit.finance.rulebook import incentive_book, profile_book
from pubcredit.lists.models import ListEntry
from pubcredit.lists.selectors import in_force_filter
from pubcredit.publicity.models import PublicityState
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.rules.finance import (STATE_LABELS, Grant, LendingFacts, ProductCondition, Qualification,
                                    authorisation_state, qualify)
from pubcredit.subjects.choices import SubjectKind
from pubcredit.accounts.models import District
from pubcredit.subjects.models import Subject
from pubcredit.rules.clock import PLATFORM_TZ

# subject columns of a record: the profile names the subject once, in its basic information
_SUBJECT_KEYS = {"subject_name", "subject_category", "subject_uscc", "legal_rep", "legal_rep_id_number", "id_type",
                 "id_number", "source_name", "source_uscc"}
# publicity states that end a negative record's effect (期满、修复、撤销、归档); any other state, including 不予公示
# (a natural person's record is not published, yet in force), counts against a natural person
ENDED_STATES = ("expired", "repaired", "revoked", "archived")


def financial_institutions() -> QuerySet[Department]:
    return Department.objects.filter(kind=DepartmentKind.FINANCIAL_INSTITUTION).order_by("name")


def grant_of(authorisation: Authorisation) -> Grant:
    return Grant(str(authorisation.authorisation_id), authorisation.starts_on, authorisation.ends_on,
                 authorisation.revoked_at is not None, frozenset(authorisation.scope))


def state_of(authorisation: Authorisation, today: dt.date) -> tuple[str, str]:
    state = authorisation_state(grant_of(authorisation), today)
    return state, STATE_LABELS[state]


def authorisations_for_enterprise(*, uscc: str) -> QuerySet[Authorisation]:
    return Authorisation.objects.filter(uscc=uscc).select_related("institution").order_by("-granted_at", "-id")


def authorisations_for_institution(*, institution: Department, uscc: str | None = None) -> QuerySet[Authorisation]:
    qs = Authorisation.objects.filter(institution=institution)
    if uscc:
        qs = qs.filter(uscc=uscc)
    return qs.order_by("-granted_at", "-id")


def reads_for_enterprise(*, uscc: str, limit: int = 200) -> QuerySet[ProfileRead]:
    """Every read of the enterprise's profile, served or refused, newest first (谁在何时为何查询了我的信息)."""
    return (ProfileRead.objects.filter(uscc=uscc).select_related("institution", "authorisation")
            .order_by("-read_at", "-id")[:limit])


def authorisation_for_enterprise(*, uscc: str, authorisation_id: Any) -> Authorisation | None:
    return Authorisation.objects.filter(uscc=uscc, authorisation_id=authorisation_id).first()


def answer_get(*, answer_id: Any) -> IncentiveAnswer | None:
    return IncentiveAnswer.objects.filter(answer_id=answer_id).first()


def subject_by_uscc(uscc: str) -> Subject | None:
    return Subject.objects.filter(uscc=uscc).select_related("district").first()


# --- the profile --------------------------------------------------------------------------------------------------


def _plain(values: dict[str, Any], sensitive: set[str]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in _SUBJECT_KEYS and k not in sensitive and v not in (None, "")}


def _labelled(class_code: str, values: dict[str, Any]) -> dict[str, Any]:
    """Enumeration codes with their Chinese labels beside them (``payment_status_zh``)."""
    info_class = get_class(class_code)
    out = dict(values)
    for key, value in values.items():
        spec = info_class.fields_by_key.get(key)
        if spec is not None and spec.type == "enum" and isinstance(value, str):
            out[f"{key}_zh"] = spec.enum_labels.get(value, value)
        elif spec is not None and spec.type == "multi_enum" and isinstance(value, (list, tuple)):
            out[f"{key}_zh"] = "、".join(spec.enum_labels.get(v, v) for v in value)  # 处罚类别: 警告、罚款
    return out


def _sensitive(class_code: str) -> set[str]:
    return {f.key for f in get_class(class_code).fields if f.sensitive}


def _shared_records(subject: Subject, class_code: str) -> list[tuple[CreditRecord, PublicityState | None]]:
    """The subject's active records of the class still shared (共享中: a repaired or expired negative record is no
    longer shared, publicity/docs), oldest decision first, each with its publicity state."""
    records = list(CreditRecord.objects.filter(subject=subject, class_code=class_code, status=RecordStatus.ACTIVE)
                   .order_by("decision_date", "pk"))
    states = {s.record_id: s for s in PublicityState.objects.filter(record__in=records)}
    return [(r, states.get(r.pk)) for r in records if states.get(r.pk) is None or states[r.pk].shared]


def _state_out(state: PublicityState | None) -> dict[str, Any]:
    if state is None:
        return {"publicity_state": None, "publicity_state_zh": "未评估", "publish_until": None}
    return {"publicity_state": state.state, "publicity_state_zh": state.get_state_display(),
            "publish_until": state.publish_until}


def _records_section(subject: Subject, class_code: str) -> list[dict[str, Any]]:
    sensitive = _sensitive(class_code)
    return [{"decision_no": r.decision_no, "decision_date": r.decision_date,
             "values": _labelled(class_code, _plain(r.fields, sensitive)), **_state_out(state)}
            for r, state in _shared_records(subject, class_code)]


def _lists_section(subject: Subject, list_code: str, today: dt.date) -> list[dict[str, Any]]:
    entries = (ListEntry.objects.filter(subject=subject, list_code=list_code).filter(in_force_filter(today))
               .order_by("effective_date", "pk"))
    states = {s.record_id: s for s in PublicityState.objects.filter(record__in=[e.record_id for e in entries])}
    return [{"decision_no": e.decision_no, "decision_date": e.decision_date, "kind": e.kind,
             "kind_zh": "红名单" if e.kind == "red" else "黑名单", "effective_date": e.effective_date,
             "planned_end": e.planned_end, "identifying_unit": e.identifying_unit, **_state_out(states.get(e.record_id))}
            for e in entries]


def _monthly_section(subject: Subject, class_code: str) -> list[dict[str, Any]]:
    """The class's records as a monthly series (按月序列): one point per month (and utility), oldest first."""
    sensitive = _sensitive(class_code)
    out = []
    for record, _state in _shared_records(subject, class_code):
        values = _labelled(class_code, _plain(record.fields, sensitive))
        values.pop("decision_date", None)
        values.pop("decision_no", None)
        out.append({"month": record.decision_date.strftime("%Y-%m"), **values})
    return out


def _evaluation_section(subject: Subject) -> dict[str, Any] | None:
    found = current_class(subject=subject)
    if found is None:
        return None
    return {"grade": found.grade, "class_code": found.class_code, "class_name_zh": found.class_name_zh,
            "as_of": found.as_of, "scorecard_version": found.scorecard_version}


def basic_information(*, uscc: str, fallback_name: str) -> dict[str, Any]:
    subject = subject_by_uscc(uscc)
    if subject is None:
        return {"uscc": uscc, "name": fallback_name, "kind": None, "kind_zh": "平台尚无该主体的信用信息",
                "district": None, "known": False}
    return {"uscc": uscc, "name": subject.name, "kind": subject.kind, "kind_zh": subject.get_kind_display(),
            "district": subject.district.name if subject.district else None, "known": True}


def profile_sections(*, uscc: str, sections: tuple[str, ...], today: dt.date) -> list[dict[str, Any]]:
    """The authorised sections of the enterprise's profile, in the rulebook's order; nothing outside ``sections``."""
    return profile_sections_of(subject=subject_by_uscc(uscc), sections=sections, today=today)


def profile_sections_of(*, subject: Subject | None, sections: tuple[str, ...], today: dt.date) -> list[dict[str, Any]]:
    """The authorised sections of a subject's profile (an enterprise or a natural person; None: the platform holds
    nothing, every section empty), in the rulebook's order; nothing outside ``sections``."""
    book = profile_book()
    out = []
    for item in book.items:
        if item.code not in sections:
            continue
        section: dict[str, Any] = {"code": item.code, "name_zh": item.name_zh, "source": item.source, "items": [],
                                   "series": [], "evaluation": None}
        if subject is not None:
            if item.source == "records":
                section["items"] = _records_section(subject, item.code)
            elif item.source == "lists":
                section["items"] = _lists_section(subject, item.code, today)
            elif item.source == "monthly":
                section["series"] = _monthly_section(subject, item.code)
            elif item.source == "evaluation" and subject.kind in item.subject_kinds:
                section["evaluation"] = _evaluation_section(subject)
        out.append(section)
    return out


# --- incentive facts ----------------------------------------------------------------------------------------------


def entries_in_force(subject: Subject, today: dt.date) -> list[ListEntry]:
    return list(ListEntry.objects.filter(subject=subject).filter(in_force_filter(today)).order_by("pk"))


def negative_records_in_force(subject: Subject) -> int:
    """A natural person's negative records still in force (active, their effect not ended by expiry or repair)."""
    negative = [c.code for c in all_classes() if c.nature == "negative"]
    return (CreditRecord.objects.filter(subject=subject, class_code__in=negative, status=RecordStatus.ACTIVE)
            .exclude(publicity__state__in=ENDED_STATES).count())


def is_person(subject: Subject | None) -> bool:
    return subject is not None and subject.kind == SubjectKind.NATURAL_PERSON


# --- loan products --------------------------------------------------------------------------------------------------


def products(*, include_withdrawn: bool = False) -> QuerySet[LoanProduct]:
    """The loan products on offer (a withdrawn one only when asked), by institution."""
    qs = LoanProduct.objects.select_related("institution").order_by("institution__name", "name")
    return qs if include_withdrawn else qs.filter(withdrawn_at__isnull=True)


def product_get(*, product_id: Any) -> LoanProduct | None:
    return LoanProduct.objects.select_related("institution").filter(product_id=product_id).first()


def lending_facts(*, uscc: str, today: dt.date) -> LendingFacts:
    """What a product's conditions are checked against: lists in force, the evaluation class, monthly statuses."""
    subject = subject_by_uscc(uscc)
    if subject is None:
        return LendingFacts(frozenset(), frozenset(), None, {})
    entries = entries_in_force(subject, today)
    found = current_class(subject=subject)
    monthly: dict[str, dict[str, str]] = {}
    book = profile_book()
    codes = [i.code for i in book.items if i.source == "monthly"]
    for code, day, fields in (CreditRecord.objects.filter(subject=subject, class_code__in=codes, status=RecordStatus.ACTIVE)
                              .values_list("class_code", "decision_date", "fields")):
        monthly.setdefault(code, {})[day.strftime("%Y-%m")] = fields.get("payment_status")
    return LendingFacts(frozenset(e.list_code for e in entries if e.kind == "black"),
                        frozenset(e.list_code for e in entries if e.kind == "red"),
                        found.class_code if found else None, monthly)


def _qualify(product: LoanProduct, facts: LendingFacts, today: dt.date) -> list[Qualification]:
    names = {i.code: i.name_zh for i in profile_book().items}
    return qualify([ProductCondition.model_validate(c) for c in product.conditions], facts, today=today, names=names)


def qualification_of(*, product: LoanProduct, uscc: str, today: dt.date) -> list[Qualification]:
    """Whether the enterprise meets each of the product's conditions today, with the reason (资格说明)."""
    return _qualify(product, lending_facts(uscc=uscc, today=today), today)


def product_qualifications(*, uscc: str, today: dt.date) -> list[dict[str, Any]]:
    """Each product on offer with whether the enterprise qualifies and why not otherwise (资格说明)."""
    facts = lending_facts(uscc=uscc, today=today)
    out = []
    for product in products():
        lines = _qualify(product, facts, today)
        out.append({"product": product, "qualified": all(q.passed for q in lines), "lines": lines})
    return out


# --- loan applications ----------------------------------------------------------------------------------------------


def applications_for_enterprise(*, uscc: str) -> QuerySet[LoanApplication]:
    return (LoanApplication.objects.filter(uscc=uscc).select_related("product", "institution", "authorisation")
            .prefetch_related("repayment_problems").order_by("-applied_at", "-id"))


def applications_for_institution(*, institution: Department, status: str | None = None) -> QuerySet[LoanApplication]:
    qs = LoanApplication.objects.filter(institution=institution)
    if status:
        qs = qs.filter(status=status)
    return (qs.select_related("product", "institution", "authorisation", "district")
            .prefetch_related("repayment_problems").order_by("-applied_at", "-id"))


def application_get(*, application_id: Any) -> LoanApplication | None:
    return (LoanApplication.objects.select_related("product", "institution", "authorisation", "district")
            .filter(application_id=application_id).first())


def person_authorisation_get(*, authorisation_id: Any) -> PersonAuthorisation | None:
    return PersonAuthorisation.objects.filter(authorisation_id=authorisation_id).first()


# --- the bank's own console (金融机构工作台): everything scoped to the one institution --------------------------------


def products_of_institution(*, institution: Department) -> QuerySet[LoanProduct]:
    """The institution's products, on offer first, then withdrawn ones (下架), by name."""
    return LoanProduct.objects.filter(institution=institution).order_by(F("withdrawn_at").asc(nulls_first=True), "name")


def product_of_institution(*, institution: Department, product_id: Any) -> LoanProduct | None:
    return LoanProduct.objects.filter(institution=institution, product_id=product_id).first()


def application_of_institution(*, institution: Department, application_id: Any) -> LoanApplication | None:
    return (LoanApplication.objects.select_related("product", "institution", "authorisation", "district")
            .prefetch_related("repayment_problems").filter(institution=institution, application_id=application_id)
            .first())


def person_authorisations_for_institution(*, institution: Department) -> QuerySet[PersonAuthorisation]:
    """The persons' signed authorisations the institution registered, newest first (masked numbers only)."""
    return PersonAuthorisation.objects.filter(institution=institution).order_by("-recorded_at", "-id")


def national_reports(*, limit: int = 12) -> QuerySet[NationalReport]:
    """The latest attempts to report to the national 信易贷 platform, newest first."""
    return NationalReport.objects.order_by("-attempted_at", "-id")[:limit]


def reads_by_institution(*, institution: Department, limit: int = 50) -> QuerySet[ProfileRead]:
    """The institution's own profile requests, served or refused, newest first."""
    return ProfileRead.objects.filter(institution=institution).order_by("-read_at", "-id")[:limit]


# --- figures (信易贷 and 信易+ figures the monitoring indicators ask for) ------------------------------------------


@dataclass
class LendingTally:
    """Applications in one group (a bank, a product, an industry, a district, a month) and what became of them."""

    key: str
    name_zh: str
    applications: int = 0
    approved: int = 0  # approved, disbursed or not yet
    refused: int = 0
    disbursed: int = 0
    first_loans: int = 0  # 首贷: disbursed loans the bank reported as the enterprise's first
    approved_amount: Decimal = Decimal("0")
    disbursed_amount: Decimal = Decimal("0")
    repayment_problems: int = 0

    def add(self, application: LoanApplication) -> None:
        self.applications += 1
        if application.status in (ApplicationStatus.APPROVED, ApplicationStatus.DISBURSED):
            self.approved += 1
            self.approved_amount += application.approved_amount or 0
        if application.status == ApplicationStatus.REFUSED:
            self.refused += 1
        if application.status == ApplicationStatus.DISBURSED:
            self.disbursed += 1
            self.disbursed_amount += application.disbursed_amount or 0
            self.first_loans += bool(application.first_loan)
        self.repayment_problems += len(application.repayment_problems.all())

    @property
    def approval_rate(self) -> float | None:
        """Approved among those decided (批准率), in %; None when none was decided."""
        decided = self.approved + self.refused
        return round(100 * self.approved / decided, 1) if decided else None

    @property
    def first_loan_share(self) -> float | None:
        """首贷占比: first loans among disbursed loans, in %; None when nothing was disbursed."""
        return round(100 * self.first_loans / self.disbursed, 1) if self.disbursed else None


@dataclass
class IncentiveTally:
    """信易+ in one scenario: checks asked, answers eligible, benefits the providers reported given."""

    code: str
    name_zh: str
    family_zh: str
    checks: int = 0
    eligible: int = 0
    used: int = 0


@dataclass
class LendingFigures:
    first_day: dt.date
    last_day: dt.date
    scope_zh: str
    total: LendingTally
    by_institution: list[LendingTally]
    by_product: list[LendingTally]
    by_industry: list[LendingTally]
    by_district: list[LendingTally]
    by_month: list[LendingTally]
    incentives: list[IncentiveTally]
    authorisations: int  # granted in the window (with an application or alone)
    reads_served: int
    reads_refused: int

    @property
    def incentive_checks(self) -> int:
        return sum(t.checks for t in self.incentives)

    @property
    def incentive_used(self) -> int:
        return sum(t.used for t in self.incentives)

    def chart(self) -> dict[str, Any]:
        """What the page's charts draw (json_script): applications, approvals and disbursements by month, amounts by
        bank, 信易+ checks and uses by scenario."""
        return {
            # a month's short name on the axis; the year where it starts and at each January
            "months": [t.name_zh if i == 0 or t.key.endswith("-01") else f"{int(t.key[5:])}月"
                       for i, t in enumerate(self.by_month)],
            "applications": [t.applications for t in self.by_month],
            "approved": [t.approved for t in self.by_month],
            "disbursed": [t.disbursed for t in self.by_month],
            "institutions": [t.name_zh for t in self.by_institution],
            "approved_amount": [float(t.approved_amount) for t in self.by_institution],
            "disbursed_amount": [float(t.disbursed_amount) for t in self.by_institution],
            "scenarios": [t.name_zh for t in self.incentives],
            "checks": [t.checks for t in self.incentives],
            "eligible": [t.eligible for t in self.incentives],
            "used": [t.used for t in self.incentives],
        }


def _months(first_day: dt.date, last_day: dt.date) -> list[dt.date]:
    months, day = [], first_day.replace(day=1)
    while day <= last_day:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def lending_figures(*, first_day: dt.date, last_day: dt.date, district: District | None = None) -> LendingFigures:
    """信易贷 and 信易+ figures for the applications made and the checks asked from ``first_day`` to ``last_day``
    (both inclusive, the platform's days): applications, approvals (批准率 among those decided), amounts approved and
    disbursed, 首贷 share, repayment problems, by bank, product, industry, district and month; 信易+ checks,
    eligible answers and benefits given by scenario. ``district``: only that district's enterprises (the 信易+ checks
    and the authorisations stay city-wide: they carry no district). No personal data: counts and sums only.

    The governance app's 城市信用监测 may read this (the 信易贷 and 其他信易+ indicators)."""
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=PLATFORM_TZ)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=PLATFORM_TZ)
    applications = (LoanApplication.objects.filter(applied_at__gte=start, applied_at__lt=end)
                    .select_related("product", "institution", "district").prefetch_related("repayment_problems"))
    if district is not None:
        applications = applications.filter(district=district)
    total = LendingTally("total", "合计")
    groups: dict[str, dict[str, LendingTally]] = {"institution": {}, "product": {}, "industry": {}, "district": {},
                                                  "month": {}}
    for m in _months(first_day, last_day):
        groups["month"][m.strftime("%Y-%m")] = LendingTally(m.strftime("%Y-%m"), f"{m.year}年{m.month}月")
    for a in applications:
        total.add(a)
        keys = {
            "institution": (a.institution.code, a.institution.name),
            "product": (str(a.product.product_id), f"{a.institution.name} · {a.product.name}"),
            "industry": (a.industry, a.get_industry_display()),
            "district": (a.district.code if a.district else "-", a.district.name if a.district else "未知区县"),
            "month": (a.applied_at.astimezone(PLATFORM_TZ).strftime("%Y-%m"), ""),
        }
        for group, (key, name) in keys.items():
            tally = groups[group].get(key)
            if tally is None:
                tally = groups[group][key] = LendingTally(key, name)
            tally.add(a)

    def ranked(group: str) -> list[LendingTally]:
        return sorted(groups[group].values(), key=lambda t: (-t.applications, t.name_zh))

    scenarios = {s.code: IncentiveTally(s.code, s.name_zh, s.family_zh) for s in incentive_book().scenarios}
    answers = IncentiveAnswer.objects.filter(as_of__gte=start, as_of__lt=end)
    for code, eligible, count in answers.values_list("scenario", "eligible").annotate(n=Count("id")):
        tally = scenarios.setdefault(code, IncentiveTally(code, code, ""))
        tally.checks += count
        tally.eligible += count if eligible else 0
    # a benefit given: the provider's latest report on the answer says used
    for answer in answers.filter(uses__isnull=False).distinct().prefetch_related("uses"):
        latest = max(answer.uses.all(), key=lambda u: (u.created_at, u.pk))
        if latest.used:
            scenarios[answer.scenario].used += 1
    reads = ProfileRead.objects.filter(read_at__gte=start, read_at__lt=end)
    return LendingFigures(
        first_day=first_day, last_day=last_day, scope_zh=district.name if district else "全市", total=total,
        by_institution=ranked("institution"), by_product=ranked("product"), by_industry=ranked("industry"),
        by_district=ranked("district"), by_month=list(groups["month"].values()),
        incentives=list(scenarios.values()),
        authorisations=Authorisation.objects.filter(granted_at__gte=start, granted_at__lt=end).count(),
        reads_served=reads.filter(outcome=ReadOutcome.SERVED).count(),
        reads_refused=reads.filter(outcome=ReadOutcome.REFUSED).count())


def may_read_figures(user) -> bool:
    """信易贷 figures are for the credit centre (city-wide) and district credit offices (their district)."""
    return is_city_operator(user) or getattr(user, "role", "") == Role.DISTRICT_OPERATOR
