"""信易贷 and 信易+ API. Token auth (``Authorization: Bearer pc_…``): the token's department asks.

- ``GET /api/v1/finance/profiles/{uscc}``: a financial institution reads an enterprise's credit profile, only within
  the enterprise's authorisation in force and only its scope; otherwise 403 saying why. Every request is kept and
  shown to the enterprise.
- ``GET /api/v1/finance/authorisations``: the institution's authorisations, with their state today.
- ``GET /api/v1/incentives/scenarios``: the 信易+ scenarios (rulebook/incentives/scenarios.yaml).
- ``POST /api/v1/incentives/eligibility``: may a subject have a scenario's benefit → yes/no, every condition, the
  benefit; kept and audited like a check.
- ``POST /api/v1/incentives/answers/{answer_id}/feedback``: the provider reports whether it gave the benefit.

docs/finance.md explains each field.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from pubcredit.api import DepartmentToken
from pubcredit.api_common import ErrorOut
from pubcredit.finance import selectors, services
from pubcredit.finance.rulebook import incentive_book, incentive_version
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.incentives import KIND_LABELS

router = Router(tags=["finance"], auth=DepartmentToken())
incentive_router = Router(tags=["incentives"], auth=DepartmentToken())

# refusals of a read that are a matter of permission (403), not of a malformed request
FORBIDDEN_CODES = {"finance.not_a_financial_institution", "product.other_institution", "application.other_institution",
                   "finance.other_institution"}


def _forbidden_or_raise(exc: DomainError):
    if exc.code in FORBIDDEN_CODES:
        return Status(403, exc.as_dict())
    raise exc


class FinanceBasicOut(Schema):
    uscc: str
    name: str
    kind: str | None = Field(description="legal_person / individual_business; null when the platform holds nothing")
    kind_zh: str
    district: str | None
    known: bool = Field(description="whether the platform holds any information about this enterprise")


class FinanceSectionOut(Schema):
    code: str = Field(description="scope item (rulebook/finance/profile.yaml), e.g. admin_penalty")
    name_zh: str
    source: str = Field(description="records / lists / monthly / evaluation")
    items: list[dict[str, Any]] = Field(description="records (with publicity_state) or list entries in force")
    series: list[dict[str, Any]] = Field(description="monthly classes: one point per month, oldest first (month YYYY-MM)")
    evaluation: dict[str, Any] | None = Field(description="evaluation_class: grade, class_code, class_name_zh, as_of")


class FinanceProfileOut(Schema):
    uscc: str
    as_of: dt.datetime
    authorisation_id: str = Field(description="the authorisation this read was made under")
    purpose: str
    purpose_zh: str
    authorised_until: dt.date
    read_id: str = Field(description="this read, as the enterprise sees it in its read log")
    basic: FinanceBasicOut
    sections: list[FinanceSectionOut] = Field(description="only the sections within the authorisation's scope")


class FinanceAuthorisationOut(Schema):
    authorisation_id: str
    uscc: str
    enterprise_name: str
    scope: list[str]
    purpose: str
    purpose_zh: str
    starts_on: dt.date
    ends_on: dt.date
    state: str = Field(description="pending / in_force / expired / revoked")
    state_zh: str


class FinanceProfileQuery(Schema):
    sections: str | None = Field(None, description="comma-separated scope items; default: the whole authorised scope")
    reference: str | None = Field(None, description="the institution's own reference, e.g. a loan application number")


@router.get("/profiles/{uscc}", response={200: FinanceProfileOut, 403: ErrorOut}, url_name="finance_profile")
def profile(request, uscc: str, query: Query[FinanceProfileQuery]):
    """信易贷信用信息查询: the enterprise's profile within its authorisation in force (basic information always; each
    authorised section: records with their publicity state, list entries in force, monthly payment series, the
    evaluation class), with ``as_of`` and ``authorisation_id``. 403 with the reason's code when there is no
    authorisation (``finance.not_authorised``), it was revoked, has ended or not started, a section asked for is
    outside its scope (``finance.outside_scope``), or the token is not a financial institution's."""
    try:
        answer = services.profile_read(institution=request.department, uscc=uscc, sections=query.sections,
                                       reference=query.reference or "", actor=request.actor)
    except DomainError as exc:
        if exc.code in FORBIDDEN_CODES:
            return Status(403, exc.as_dict())
        raise
    if answer.profile is None:
        d = answer.decision
        return Status(403, {"code": d.code, "message": d.message_zh, "message_en": d.message_en, "fields": []})
    return Status(200, answer.profile)


@router.get("/authorisations", response=list[FinanceAuthorisationOut], url_name="finance_authorisations")
def authorisations(request, uscc: str | None = None):
    """The authorisations enterprises granted to this institution (newest first), each with its state today."""
    today = clock.today()
    out = []
    for a in selectors.authorisations_for_institution(institution=request.department, uscc=uscc)[:500]:
        state, label = selectors.state_of(a, today)
        out.append({"authorisation_id": str(a.authorisation_id), "uscc": a.uscc, "enterprise_name": a.enterprise_name,
                    "scope": a.scope, "purpose": a.purpose, "purpose_zh": a.get_purpose_display(),
                    "starts_on": a.starts_on, "ends_on": a.ends_on, "state": state, "state_zh": label})
    return out


class LoanProductIn(Schema):
    name: str
    description: str = ""
    amount_min: float = Field(ge=0, description="万元")
    amount_max: float = Field(ge=0, description="万元")
    term_months_min: int = Field(ge=1, le=600)
    term_months_max: int = Field(ge=1, le=600)
    rate_min: float = Field(ge=0, le=100, description="annual rate, %")
    rate_max: float = Field(ge=0, le=100)
    conditions: list[dict[str, Any]] = Field(default=[], description=(
        "each {kind: no_black_list | min_evaluation_class (value) | red_lists_any (lists) | continuous_months "
        "(class_code, months, statuses)}"))


class LoanProductOut(Schema):
    product_id: str
    institution: str
    institution_name: str
    name: str
    description: str
    amount_min: float
    amount_max: float
    term_months_min: int
    term_months_max: int
    rate_min: float
    rate_max: float
    conditions: list[dict[str, Any]]
    published_at: dt.datetime
    updated_at: dt.datetime | None
    withdrawn_at: dt.datetime | None = Field(description="set once the institution withdrew the product (下架)")


def product_out(p) -> dict[str, Any]:
    return {"product_id": str(p.product_id), "institution": p.institution.code, "institution_name": p.institution.name,
            "name": p.name, "description": p.description, "amount_min": float(p.amount_min),
            "amount_max": float(p.amount_max), "term_months_min": p.term_months_min,
            "term_months_max": p.term_months_max, "rate_min": float(p.rate_min), "rate_max": float(p.rate_max),
            "conditions": p.conditions, "published_at": p.published_at, "updated_at": p.updated_at,
            "withdrawn_at": p.withdrawn_at}


@router.post("/products", response={201: LoanProductOut, 403: ErrorOut}, url_name="finance_product_publish")
def product_publish(request, body: LoanProductIn):
    """发布信贷产品 (financial institutions): amount, term and rate ranges and the conditions as data; a condition
    naming an unknown class or list is refused with its index (``conditions[i]``)."""
    try:
        product = services.loan_product_publish(institution=request.department, actor=request.actor,
                                                **body.dict())
    except DomainError as exc:
        if exc.code in FORBIDDEN_CODES:
            return Status(403, exc.as_dict())
        raise
    return Status(201, product_out(product))


@router.get("/products", response=list[LoanProductOut], url_name="finance_products")
def product_list(request):
    """Every loan product on offer (信贷产品), by institution; a withdrawn one is no longer listed."""
    return [product_out(p) for p in selectors.products()[:500]]


def _product(product_id: uuid.UUID):
    found = selectors.product_get(product_id=product_id)
    if found is None:
        raise Http404
    return found


@router.put("/products/{product_id}", response={200: LoanProductOut, 403: ErrorOut}, url_name="finance_product_update")
def product_update(request, product_id: uuid.UUID, body: LoanProductIn):
    """修改信贷产品: the publishing institution replaces the product's fields, checked as when published; audited
    with before and after. A withdrawn product cannot be edited (``product.withdrawn``)."""
    try:
        product = services.loan_product_update(product=_product(product_id), institution=request.department,
                                               actor=request.actor, **body.dict())
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    return Status(200, product_out(product))


class ReasonIn(Schema):
    reason: str = Field(description="why (required)")


@router.post("/products/{product_id}/withdraw", response={200: LoanProductOut, 403: ErrorOut},
             url_name="finance_product_withdraw")
def product_withdraw(request, product_id: uuid.UUID, body: ReasonIn):
    """下架信贷产品: no longer listed nor open to applications; applications already made go on."""
    try:
        product = services.loan_product_withdraw(product=_product(product_id), institution=request.department,
                                                 reason=body.reason, actor=request.actor)
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    return Status(200, product_out(product))


# --- loan applications (贷款申请) -------------------------------------------------------------------------------------


class RepaymentProblemOut(Schema):
    kind: str
    kind_zh: str
    occurred_on: dt.date
    amount: float
    note: str
    recorded_at: dt.datetime


class LoanApplicationOut(Schema):
    application_id: str
    product_id: str
    product_name: str
    uscc: str
    enterprise_name: str
    district: str | None
    industry: str = Field(description="GB/T 4754-2017 section letter")
    industry_zh: str
    amount_requested: float = Field(description="万元")
    term_months: int
    note: str
    applied_at: dt.datetime
    authorisation_id: str = Field(description="the authorisation applying granted: read the profile under it")
    status: str = Field(description="submitted / approved / refused / disbursed")
    status_zh: str
    decided_at: dt.datetime | None
    approved_amount: float | None
    refusal_reason: str
    disbursed_on: dt.date | None
    disbursed_amount: float | None
    first_loan: bool | None = Field(description="首贷: the enterprise's first bank loan, as the bank reported")
    repayment_problems: list[RepaymentProblemOut]


def _money(value) -> float | None:
    return None if value is None else float(value)


def application_out(a) -> dict[str, Any]:
    return {"application_id": str(a.application_id), "product_id": str(a.product.product_id),
            "product_name": a.product.name, "uscc": a.uscc, "enterprise_name": a.enterprise_name,
            "district": a.district.name if a.district else None, "industry": a.industry,
            "industry_zh": a.get_industry_display(), "amount_requested": float(a.amount_requested),
            "term_months": a.term_months, "note": a.note, "applied_at": a.applied_at,
            "authorisation_id": str(a.authorisation.authorisation_id), "status": a.status,
            "status_zh": a.get_status_display(), "decided_at": a.decided_at,
            "approved_amount": _money(a.approved_amount), "refusal_reason": a.refusal_reason,
            "disbursed_on": a.disbursed_on, "disbursed_amount": _money(a.disbursed_amount), "first_loan": a.first_loan,
            "repayment_problems": [{"kind": p.kind, "kind_zh": p.get_kind_display(), "occurred_on": p.occurred_on,
                                    "amount": float(p.amount), "note": p.note, "recorded_at": p.recorded_at}
                                   for p in a.repayment_problems.all()]}


@router.get("/applications", response=list[LoanApplicationOut], url_name="finance_applications")
def application_list(request, status: str | None = None):
    """The applications made to this institution's products (newest first), optionally of one ``status``."""
    return [application_out(a) for a in
            selectors.applications_for_institution(institution=request.department, status=status)[:500]]


def _application(application_id: uuid.UUID):
    found = selectors.application_get(application_id=application_id)
    if found is None:
        raise Http404
    return found


class ApplicationDecisionIn(Schema):
    approved: bool
    approved_amount: float | None = Field(None, ge=0, description="万元; required when approved")
    reason: str = Field("", description="required when refused: told to the enterprise")


class ApplicationDisbursementIn(Schema):
    amount: float = Field(ge=0, description="万元, at most the approved amount")
    disbursed_on: dt.date
    first_loan: bool = Field(description="首贷: whether this is the enterprise's first bank loan")


class RepaymentProblemIn(Schema):
    kind: str = Field(description="overdue (逾期还款) / non_performing (形成不良贷款)")
    occurred_on: dt.date
    amount: float = Field(ge=0, description="万元")
    note: str = ""


@router.post("/applications/{application_id}/decision", response={200: LoanApplicationOut, 403: ErrorOut},
             url_name="finance_application_decision")
def application_decision(request, application_id: uuid.UUID, body: ApplicationDecisionIn):
    """审批结果: approved with the amount, or refused with the reason; only a submitted application."""
    try:
        found = services.application_decide(application=_application(application_id), institution=request.department,
                                            approved=body.approved, approved_amount=body.approved_amount,
                                            reason=body.reason, actor=request.actor)
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    return Status(200, application_out(found))


@router.post("/applications/{application_id}/disbursement", response={200: LoanApplicationOut, 403: ErrorOut},
             url_name="finance_application_disbursement")
def application_disbursement(request, application_id: uuid.UUID, body: ApplicationDisbursementIn):
    """放款: amount, day and whether it is the enterprise's first bank loan (首贷); only an approved application."""
    try:
        found = services.application_disburse(application=_application(application_id), institution=request.department,
                                              amount=body.amount, disbursed_on=body.disbursed_on,
                                              first_loan=body.first_loan, actor=request.actor)
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    return Status(200, application_out(found))


@router.post("/applications/{application_id}/repayment-problems", response={201: LoanApplicationOut, 403: ErrorOut},
             url_name="finance_application_repayment_problem")
def application_repayment_problem(request, application_id: uuid.UUID, body: RepaymentProblemIn):
    """贷后还款异常: overdue or non-performing, on a disbursed loan."""
    try:
        problem = services.repayment_problem_record(application=_application(application_id),
                                                    institution=request.department, kind=body.kind,
                                                    occurred_on=body.occurred_on, amount=body.amount, note=body.note,
                                                    actor=request.actor)
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    return Status(201, application_out(selectors.application_get(application_id=problem.application.application_id)))


# --- natural persons (自然人) -------------------------------------------------------------------------------------------


class PersonAuthorisationIn(Schema):
    id_number: str
    person_name: str
    scope: list[str] = Field(description="items of the profile rulebook for natural persons")
    purpose: str = Field(description="loan_application / credit_line / post_loan")
    purpose_note: str = ""
    starts_on: dt.date
    ends_on: dt.date
    document_ref: str = Field(description="the signed authorisation's number")
    document_base64: str = Field(description="the signed authorisation (scan or signed PDF), Base64")


class PersonAuthorisationOut(Schema):
    authorisation_id: str
    id_masked: str
    person_name: str
    scope: list[str]
    purpose: str
    purpose_zh: str
    starts_on: dt.date
    ends_on: dt.date
    document_ref: str
    document_sha256: str
    state: str
    state_zh: str


def person_authorisation_out(a) -> dict[str, Any]:
    state, label = selectors.state_of(a, clock.today())
    return {"authorisation_id": str(a.authorisation_id), "id_masked": a.id_masked, "person_name": a.person_name,
            "scope": a.scope, "purpose": a.purpose, "purpose_zh": a.get_purpose_display(), "starts_on": a.starts_on,
            "ends_on": a.ends_on, "document_ref": a.document_ref, "document_sha256": a.document_sha256,
            "state": state, "state_zh": label}


@router.post("/person-authorisations", response={201: PersonAuthorisationOut, 403: ErrorOut},
             url_name="finance_person_authorisation")
def person_authorisation(request, body: PersonAuthorisationIn):
    """登记个人查询授权: the signed authorisation of a natural person the institution holds (scope, purpose, term, the
    document's reference; its SHA-256 is kept). Without one, a person's profile is not read."""
    try:
        document = base64.b64decode(body.document_base64, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError("finance.document_base64", "授权书文件不是有效的Base64", "document_base64 is not Base64",
                          "document_base64") from None
    try:
        row = services.person_authorisation_record(
            institution=request.department, id_number=body.id_number, person_name=body.person_name, scope=body.scope,
            purpose=body.purpose, purpose_note=body.purpose_note, starts_on=body.starts_on, ends_on=body.ends_on,
            document_ref=body.document_ref, document=document, actor=request.actor)
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    return Status(201, person_authorisation_out(row))


@router.post("/person-authorisations/{authorisation_id}/revoke", response={200: PersonAuthorisationOut, 403: ErrorOut},
             url_name="finance_person_authorisation_revoke")
def person_authorisation_revoke(request, authorisation_id: uuid.UUID, body: ReasonIn):
    """撤回个人授权: the person withdrew it; reads from now on are refused."""
    found = selectors.person_authorisation_get(authorisation_id=authorisation_id)
    if found is None:
        raise Http404
    try:
        row = services.person_authorisation_revoke(authorisation=found, institution=request.department,
                                                   reason=body.reason, actor=request.actor)
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    return Status(200, person_authorisation_out(row))


class PersonProfileIn(Schema):
    id_number: str
    sections: list[str] | None = Field(None, description="scope items; default: the whole authorised scope")
    reference: str = ""


class PersonBasicOut(Schema):
    name: str
    district: str | None
    known: bool


class PersonProfileOut(Schema):
    id_masked: str
    as_of: dt.datetime
    authorisation_id: str
    purpose: str
    purpose_zh: str
    authorised_until: dt.date
    read_id: str
    basic: PersonBasicOut
    sections: list[FinanceSectionOut]


@router.post("/person-profiles", response={200: PersonProfileOut, 403: ErrorOut}, url_name="finance_person_profile")
def person_profile(request, body: PersonProfileIn):
    """自然人信易贷信用信息查询 (POST: the identity number stays out of URLs and logs): only within the person's signed
    authorisation in force (``POST /person-authorisations``) and its scope; otherwise 403 saying why
    (``finance.not_authorised`` when the person never authorised this institution), kept and audited, nothing read."""
    try:
        answer = services.person_profile_read(institution=request.department, id_number=body.id_number,
                                              sections=body.sections, reference=body.reference, actor=request.actor)
    except DomainError as exc:
        return _forbidden_or_raise(exc)
    if answer.profile is None:
        d = answer.decision
        return Status(403, {"code": d.code, "message": d.message_zh, "message_en": d.message_en, "fields": []})
    return Status(200, answer.profile)


# --- 信易+ -----------------------------------------------------------------------------------------------------------


class IncentiveScenarioOut(Schema):
    code: str
    name_zh: str
    family_zh: str
    provider_zh: str
    subject_kinds: list[str]
    subject_kinds_zh: list[str]
    eligibility: dict[str, Any]
    benefit_zh: str
    basis_zh: str


class IncentiveEligibilityIn(Schema):
    subject: dict[str, Any] = Field(description='{"uscc": …} or {"id_number": …}, as the check API')
    scenario: str
    reference: str = ""


class IncentiveReasonOut(Schema):
    code: str
    passed: bool
    message: str
    message_en: str


class IncentiveEligibilityOut(Schema):
    answer_id: str
    scenario: str
    scenario_name: str
    subject_code: str = Field(description="USCC, or the masked identity number")
    subject_name: str
    eligible: bool
    eligible_zh: str
    reasons: list[IncentiveReasonOut] = Field(description="every condition, passed or not")
    benefit: str
    provider: str
    basis: str
    rulebook_version: str
    as_of: dt.datetime


class IncentiveFeedbackIn(Schema):
    used: bool
    note: str = ""


class IncentiveFeedbackOut(Schema):
    answer_id: str
    used: bool
    note: str
    recorded_at: dt.datetime


@incentive_router.get("/scenarios", response=list[IncentiveScenarioOut], url_name="incentive_scenarios")
def scenarios(request):
    """信易+场景清单: each scenario's provider, subject kinds, conditions, benefit and policy basis."""
    return [{**s.model_dump(), "subject_kinds_zh": [KIND_LABELS[k] for k in s.subject_kinds],
             "eligibility": s.eligibility.model_dump()} for s in incentive_book().scenarios]


@incentive_router.post("/eligibility", response=IncentiveEligibilityOut, url_name="incentive_eligibility")
def eligibility(request, body: IncentiveEligibilityIn):
    """信易+激励适用性核查: ``scenario`` a code of ``GET /incentives/scenarios``. ``eligible: false`` when any condition
    fails (a black-list entry in force, the evaluation class, a missing red list, a natural person's negative record
    in force); each condition is in ``reasons``. Kept (``answer_id``) and audited."""
    answer = services.incentive_eligibility_check(department=request.department, subject=body.subject,
                                                  scenario=body.scenario, reference=body.reference, actor=request.actor)
    found = incentive_book().get(answer.scenario)
    return {"answer_id": str(answer.answer_id), "scenario": answer.scenario, "scenario_name": found.name_zh,
            "subject_code": answer.subject_code, "subject_name": answer.subject_name, "eligible": answer.eligible,
            "eligible_zh": "符合条件，可享受激励" if answer.eligible else "不符合条件", "reasons": answer.reasons,
            "benefit": answer.benefit, "provider": found.provider_zh, "basis": found.basis_zh,
            "rulebook_version": answer.rulebook_version or incentive_version(), "as_of": answer.as_of}


@incentive_router.post("/answers/{answer_id}/feedback", response=IncentiveFeedbackOut, url_name="incentive_feedback")
def feedback(request, answer_id: uuid.UUID, body: IncentiveFeedbackIn):
    """使用反馈: whether the benefit was given (``used``); ``note`` is required when it was not."""
    answer = selectors.answer_get(answer_id=answer_id)
    if answer is None:
        raise Http404
    use = services.incentive_use_record(answer=answer, department=request.department, used=body.used, note=body.note,
                                        actor=request.actor)
    return {"answer_id": str(answer.answer_id), "used": use.used, "note": use.note, "recorded_at": use.created_at}
